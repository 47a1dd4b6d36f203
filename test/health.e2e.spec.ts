import request from 'supertest';
import { dropDatabase, testServerUrl } from './support/test-database';
import { startTestService, TestService } from './support/service';

describe('GET /health', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: false });
  });
  afterAll(() => service.close());

  it('answers 200 while the database and queue are up, and 503 naming them once the database is gone', async () => {
    const up = await request(service.url).get('/health');
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ status: 'ok', database: 'up', queue: 'up' });

    await dropDatabase(testServerUrl(), service.db.name);

    const down = await request(service.url).get('/health');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'down', database: 'down', queue: 'down' });
  });
});
