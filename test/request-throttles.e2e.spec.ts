import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { Launched, start } from '@apps/all-in-one/src/roots';
import { FAILED_ADMIN_AUTH, UNKNOWN_TOKENS } from '@apps/api/src/security/request-throttles';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';
import { sentSurvey } from './support/survey-answers';

/** Failed admin authentications and unknown links are limited per client, across processes (issue 13 item 6). */
describe('request throttles', () => {
  let first: TestService;
  let second: Launched & { url: string };
  let db: DataSource;
  let key: string;

  beforeAll(async () => {
    first = await startTestService({ api: true, worker: false, sandbox: false });
    // A second api process on the same database, as production runs any number of them.
    const launched = await start(
      { api: true, worker: false, sandbox: false },
      { DATABASE_URL: first.db.url, ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), PORT: '0', LOG_LEVEL: 'silent', SCHEDULES: 'off', DEMO: 'off', SANDBOXES: 'off' },
    );
    second = { ...launched, url: launched.url! };
    db = first.app.get(DataSource);
    key = (await first.app.get(AdminKeyService).create('throttle test', 'test')).key;
  });
  afterAll(async () => {
    await second?.stop();
    await first?.close();
  });

  const bad = (url: string, header = 'Bearer npsb_not-a-key') => request(url).get('/api/admin-keys').set('Authorization', header);
  const good = (url: string) => request(url).get('/api/admin-keys').set('Authorization', `Bearer ${key}`);

  it('answers the 21st failed admin authentication with 429 and Retry-After, counted across two api processes', async () => {
    expect(FAILED_ADMIN_AUTH.failures).toBe(20);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await bad(first.url)).status);
    for (let i = 0; i < 9; i += 1) statuses.push((await bad(second.url)).status);
    statuses.push((await request(second.url).get('/api/admin-keys')).status); // no key at all fails too
    expect(statuses).toEqual(Array(20).fill(401));

    const refused = await bad(first.url);
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers['retry-after']);
    expect(Number.isInteger(wait) && wait > 0 && wait <= FAILED_ADMIN_AUTH.windowSeconds).toBe(true);
    expect(refused.body.message).toMatch(/too many failed admin authentications.*try again in \d+ s/);
    expect((await bad(second.url)).status).toBe(429);

    // The count lives in Postgres, under this client's address.
    const rows = await db.query(`SELECT key, points FROM request_throttles WHERE key LIKE 'admin_auth:%'`);
    expect(rows).toEqual([{ key: 'admin_auth:127.0.0.1', points: 22 }]);
  });

  it('never throttles a valid key, even from a client over the limit, and does not count it', async () => {
    expect((await good(first.url)).status).toBe(200);
    expect((await good(second.url)).status).toBe(200);
    const [row] = await db.query(`SELECT points FROM request_throttles WHERE key = 'admin_auth:127.0.0.1'`);
    expect(row.points).toBe(22);
  });

  it('lets the client try again once its window has passed', async () => {
    await db.query(`UPDATE request_throttles SET expire = $1 WHERE key = 'admin_auth:127.0.0.1'`, [Date.now() - 1]);
    expect((await bad(second.url)).status).toBe(401);
    const [row] = await db.query(`SELECT points FROM request_throttles WHERE key = 'admin_auth:127.0.0.1'`);
    expect(row.points).toBe(1);
  });

  it('answers unknown survey and response links past the limit with a 429 page, while known links keep working', async () => {
    const fx = new CrmFixtures(db);
    const crm = await fx.connection('salesforce');
    const accountId = await fx.account(crm);
    const contactId = await fx.contact(crm, accountId, { email: 'pat@customer.example', role: 'decision_maker' });
    const token = await sentSurvey(db, { trigger: 'quarterly', email: 'pat@customer.example', contactId, accountId, sentAt: new Date() });

    const statuses: number[] = [];
    for (let i = 0; i < UNKNOWN_TOKENS.failures; i += 1) {
      const url = i % 2 ? first.url : second.url;
      statuses.push((await request(url).get(i % 3 ? `/s/guess-${i}` : `/r/guess-${i}`)).status);
    }
    expect(statuses).toEqual(Array(UNKNOWN_TOKENS.failures).fill(404));

    for (const path of ['/s/guess-again', '/r/guess-again', '/s/guess-again/unsubscribe']) {
      const refused = await request(first.url).get(path);
      expect([path, refused.status, refused.headers['content-type']]).toEqual([path, 429, expect.stringMatching(/^text\/html/)]);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['cache-control']).toBe('no-store');
      expect(refused.text).toContain('Too many unknown links');
    }
    expect((await request(second.url).get(`/s/${token}`)).status).toBe(200);
    // Separate counts: the admin API is not affected by guessed links.
    expect((await bad(first.url)).status).toBe(401);
  });
});
