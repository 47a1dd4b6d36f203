import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { CLOCK, Clock } from '@libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';
import { answer, sentSurvey } from './support/survey-answers';

const NOW = Date.parse('2026-11-10T12:00:00Z');
const DAY = 86_400_000;

/** rules §6: the link in a follow-up opens a read-only response page without any nps-bridge login. */
describe('the response permalink in follow-up tasks (rules §6)', () => {
  let service: TestService;
  let db: DataSource;
  let clock: Clock;
  let auth: { Authorization: string };
  let accountId: string;
  let contactId: string;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    clock = service.app.get(CLOCK);
    clock.now = () => new Date(NOW);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('permalink test', 'test')).key}` };
    await db.query(`UPDATE program_settings SET settings = $1`, [{ profile: { productName: 'Beacon', companyName: 'Acme Inc' } }]);
    const fx = new CrmFixtures(db);
    const crm = await fx.connection('salesforce');
    accountId = await fx.account(crm, { externalId: '001ACME', name: 'Globex <Corp>', owner: '005CSM', arr: '48000.00', renewalDate: '2027-03-31' });
    contactId = await fx.contact(crm, accountId, { email: 'pat@customer.example', firstName: 'Pat', role: 'decision_maker' });
  });
  afterAll(() => service.close());

  /** An earlier, settled answer of the same person, as history. */
  async function earlierAnswer(score: number, comment: string, at: Date): Promise<void> {
    const [survey] = await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, account_id, email, status, scheduled_at, sent_at)
       VALUES ('relational', 'quarterly', gen_random_uuid()::text, $1, $2, 'pat@customer.example', 'answered', $3, $3) RETURNING id`,
      [contactId, accountId, at],
    );
    await db.query(
      `INSERT INTO responses (survey_id, stream, trigger, contact_id, account_id, score, category, comment, role_snapshot, first_answered_at, last_changed_at, settled_at)
       VALUES ($1, 'relational', 'quarterly', $2, $3, $4, $5, $6, 'decision_maker', $7, $7, $7)`,
      [survey.id, contactId, accountId, score, score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor', comment, at],
    );
  }

  /** The URL after "Response: " in the CRM task the settle queued. */
  async function taskLink(responseId: string): Promise<string> {
    const [task] = await db.query(`SELECT o.payload FROM outbox o JOIN follow_ups f ON f.id = o.follow_up_id WHERE f.response_id = $1 AND o.operation = 'crm.create_task'`, [
      responseId,
    ]);
    const line = (task.payload.task.description as string).split('\n').find((l) => l.startsWith('Response: '))!;
    return line.slice('Response: '.length);
  }

  const pathOf = (url: string): string => new URL(url).pathname;

  function expectPrivateHeaders(res: request.Response): void {
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-robots-tag']).toBe('noindex');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  }

  it('a settled answer queues a task whose link opens the answer, history and health without a key; revoking ends it', async () => {
    await earlierAnswer(9, 'Loved the onboarding', new Date(NOW - 200 * DAY));
    const token = await sentSurvey(db, { trigger: 'quarterly', email: 'pat@customer.example', contactId, accountId, sentAt: new Date(NOW - DAY) });
    await answer(service.url, token, 3, 'Exports <script>time out</script>');
    const [response] = await db.query(`SELECT r.id, r.settled_at FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE s.token_hash IS NOT NULL`);
    expect(response.settled_at).not.toBeNull();

    const link = await taskLink(response.id);
    expect(link).toMatch(new RegExp(`^${service.url}/r/[A-Za-z0-9_-]{43}$`));
    expect(link).not.toContain(response.id);
    // Only a hash of the token is kept.
    const [stored] = await db.query(`SELECT token_hash FROM response_permalinks WHERE response_id = $1`, [response.id]);
    expect(stored.token_hash).not.toContain(link.split('/').pop());

    const page = await request(service.url).get(pathOf(link));
    expect(page.status).toBe(200);
    expectPrivateHeaders(page);
    expect(page.text).toContain('<meta name="robots" content="noindex">');
    expect(page.text).toContain('<h1>NPS answer: 3 out of 10 (detractor)</h1>');
    expect(page.text).toContain('Exports &lt;script&gt;time out&lt;/script&gt;');
    expect(page.text).not.toContain('<script>time out');
    expect(page.text).toContain('<dt>Role</dt><dd>decision maker</dd>');
    expect(page.text).toContain('<dd>quarterly, relational</dd>');
    expect(page.text).toContain('Loved the onboarding'); // the earlier answer
    expect(page.text).toContain('<dt>Quadrant</dt>');
    expect(page.text).toContain('<dt>Relational NPS</dt><dd>-100</dd>'); // the latest answer per person: a 3
    expect(page.text).toContain('<dt>Sentiment</dt><dd>detractor</dd>');

    // Revoking needs an admin key, then the page answers 404.
    expect((await request(service.url).delete(`/api/responses/${response.id}/permalink`)).status).toBe(401);
    const revoked = await request(service.url).delete(`/api/responses/${response.id}/permalink`).set(auth);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ responseId: response.id, revoked: 1 });
    const gone = await request(service.url).get(pathOf(link));
    expect(gone.status).toBe(404);
    expectPrivateHeaders(gone);
    expect(gone.text).not.toContain('Exports');

    // A new link can be issued; the revoked one stays dead.
    expect((await request(service.url).post(`/api/responses/${response.id}/permalink`)).status).toBe(401);
    const issued = await request(service.url).post(`/api/responses/${response.id}/permalink`).set(auth);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ responseId: response.id, url: expect.stringMatching(new RegExp(`^${service.url}/r/[A-Za-z0-9_-]{43}$`)) });
    expect(issued.body.url).not.toBe(link);
    expect((await request(service.url).get(pathOf(issued.body.url))).status).toBe(200);
    expect((await request(service.url).get(pathOf(link))).status).toBe(404);
  });

  it('answers 404 for an unknown response or link and 400 for a malformed id', async () => {
    const unknownId = '00000000-0000-4000-8000-000000000000';
    expect((await request(service.url).post(`/api/responses/${unknownId}/permalink`).set(auth)).status).toBe(404);
    expect((await request(service.url).delete(`/api/responses/${unknownId}/permalink`).set(auth)).status).toBe(404);
    expect((await request(service.url).post(`/api/responses/not-a-uuid/permalink`).set(auth)).status).toBe(400);
    expect((await request(service.url).get(`/r/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await request(service.url).get(`/r/short`)).status).toBe(404);
  });

  it('documents the admin routes in Swagger with summaries and typed answers', async () => {
    const doc = await request(service.url).get('/docs-json');
    expect(doc.status).toBe(200);
    const route = doc.body.paths['/api/responses/{id}/permalink'];
    expect(route.post.summary).toMatch(/Issue a new read-only link/);
    expect(route.delete.summary).toMatch(/Revoke every live link/);
    expect(route.post.responses['201'].content['application/json'].schema.$ref).toMatch(/IssuedPermalinkDto$/);
    expect(doc.body.paths['/r/{token}']).toBeUndefined();
  });
});
