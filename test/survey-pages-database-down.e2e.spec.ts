import request from 'supertest';
import { DataSource } from 'typeorm';
import { Launched, start } from '@apps/all-in-one/src/roots';
import { DatabaseProxy } from './support/database-proxy';
import { sentSurvey } from './support/survey-answers';
import { createTestDatabase, TestDatabase, withDatabase } from './support/test-database';

/** Postgres stopped under the survey pages: the respondent gets a page that says to come back, not a 500. */
describe('survey pages while Postgres is down', () => {
  let db: TestDatabase;
  let proxy: DatabaseProxy;
  let service: Launched;
  let url: string;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = new DatabaseProxy(target);
    await proxy.start();
    service = await start(
      { api: true, worker: false, sandbox: false },
      {
        DATABASE_URL: withDatabase(proxy.url, db.name),
        ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        PORT: '0',
        LOG_LEVEL: 'silent',
        SHUTDOWN_GRACE_SECONDS: '2',
        SCHEDULES: 'off',
        DEMO: 'off',
      },
    );
    url = service.url!;
    token = await sentSurvey(service.app.get(DataSource), { trigger: 'quarterly', email: 'pat@customer.example', contactId: null, accountId: null, sentAt: new Date() });
  });
  afterAll(async () => {
    await proxy?.start().catch(() => undefined); // back up, so the service closes its pools cleanly
    await service?.stop();
    await proxy?.stop();
    await db?.drop();
  });

  it('answers a plain "try again in a minute" page with 503 and Retry-After, and the survey again once Postgres is back', async () => {
    expect((await request(url).get(`/s/${token}`)).status).toBe(200);

    await proxy.stop();
    try {
      for (const attempt of [
        () => request(url).get(`/s/${token}`),
        () => request(url).get(`/s/${token}/9`),
        () => request(url).post(`/s/${token}/score`).type('form').send({ score: '9' }),
      ]) {
        const res = await attempt();
        expect([res.status, res.headers['content-type'], res.headers['retry-after'], res.headers['cache-control']]).toEqual([503, 'text/html; charset=utf-8', '60', 'no-store']);
        expect(res.text).toMatch(/<h1>Please try again in a minute<\/h1>/);
        expect(res.text).not.toMatch(/Internal server error|statusCode/);
      }
    } finally {
      await proxy.start();
    }
    const back = await request(url).get(`/s/${token}`);
    expect(back.status).toBe(200);
    expect(back.text).toMatch(/<form/);
  });

  it('keeps other faults out of it: a bad score is still the page with the error, not a 503', async () => {
    const res = await request(url).get(`/s/${token}/11`);
    expect(res.status).toBe(400);
  });
});
