import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { AlertEvaluation } from '@libs/app/src/alerts/alert-evaluation';
import { OutboxDispatcher } from '@libs/app/src/outbox/outbox-dispatcher';
import { ResponseSettler } from '@libs/app/src/responses/settle-responses';
import { CLOCK, Clock } from '@libs/config/src';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';
import { SLACK_SANDBOX_TOKEN, SlackSandbox } from '@apps/sandbox/src/slack';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';

const RECIPIENTS = ['cs-leads@acme.example', 'vp-cs@acme.example'];
const COVERAGE_Q4 = 'NPS alert: relational revenue coverage is 0 % of active ARR (0.00 of 120000.00), below 80 %';

/**
 * rules §9 alerts end to end: raised once per cause and period, kept with their state, delivered
 * once by email (the mail catcher) and by a real POST to an incoming webhook (the Slack sandbox on
 * its own port), through the outbox, so an outage of the webhook delays its post and never repeats it.
 */
describe('alerts: raised once, delivered once, acknowledged', () => {
  let service: TestService;
  let db: DataSource;
  let slack: SlackSandbox;
  let served: ListeningSandbox;
  let auth: { Authorization: string };
  let now = Date.parse('2026-11-03T10:00:00Z');

  const evaluate = () => service.app.get(AlertEvaluation).evaluateDaily();
  const deliver = () => service.app.get(OutboxDispatcher).deliverDue();
  const api = () => request(service.url);
  const kept = () => db.query(`SELECT cause, period, kind, stream, state, message FROM alerts ORDER BY raised_at, cause`);
  const deliveries = (period: string) =>
    db.query(
      `SELECT o.operation, o.status, o.attempts, o.last_error FROM outbox o JOIN alerts a ON a.id = o.alert_id
       WHERE a.period = $1 AND a.kind = 'revenue_coverage' ORDER BY o.operation`,
      [period],
    );

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: true });
    db = service.app.get(DataSource);
    (service.app.get(CLOCK) as Clock).now = () => new Date(now);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('alerts', 'test')).key}` };
    slack = new SlackSandbox();
    served = await listenSandbox(slack);
    const fx = new CrmFixtures(db);
    await fx.account(await fx.connection('crm'), { arr: '120000.00' });
  });
  afterAll(async () => {
    await served?.close();
    await service?.close();
  });

  it('takes its recipients and webhook in the program settings, refusing a bad email or a URL that is not https, naming the field', async () => {
    const refused = [
      [{ alertEmails: ['not-an-email'] }, /^each value in alertEmails must be an email/],
      [{ alertEmails: 'cs@acme.example' }, /^alertEmails must be an array/],
      [{ slackWebhookUrl: 'http://hooks.example.com/services/T/B/X' }, /^slackWebhookUrl: must be an https URL/],
      [{ slackWebhookUrl: 'not a url' }, /^slackWebhookUrl: must be an https URL/],
    ] as const;
    for (const [body, message] of refused) {
      const res = await api().put('/api/program').set(auth).send(body);
      expect([body, res.status, res.body.message]).toEqual([body, 400, expect.arrayContaining([expect.stringMatching(message)])]);
    }
    const webhook = `${served.url}/sandbox/slack/webhook/${SLACK_SANDBOX_TOKEN}`;
    const set = await api().put('/api/program').set(auth).send({ alertEmails: RECIPIENTS, slackWebhookUrl: webhook });
    expect([set.status, set.body.alertEmails, set.body.slackWebhookUrl]).toEqual([200, RECIPIENTS, webhook]);
    const shown = await api().get('/api/program').set(auth);
    expect((await api().put('/api/program').set(auth).send(shown.body)).body).toEqual(shown.body); // GET can be PUT back
  });

  it('is raised once however often it is evaluated, and delivered once by email and to the webhook', async () => {
    expect(await evaluate()).toBe(1);
    expect(await evaluate()).toBe(0);
    expect(await kept()).toEqual([
      { cause: 'revenue_coverage:relational', period: '2026-Q4', kind: 'revenue_coverage', stream: 'relational', state: 'new', message: COVERAGE_Q4.slice('NPS alert: '.length) },
    ]);

    expect(await deliver()).toMatchObject({ delivered: 2, retried: 0, failed: 0 });
    const mail = await service.mail!.waitFor((m) => m.subject === COVERAGE_Q4, 5000);
    expect(mail.to.map((a) => a.address)).toEqual(RECIPIENTS);
    expect(mail.text).toContain(COVERAGE_Q4);
    expect(slack.messages().map((m) => [m.token, m.text, m.payload])).toEqual([[SLACK_SANDBOX_TOKEN, COVERAGE_Q4, { text: COVERAGE_Q4 }]]);

    // Nothing is sent again: not by another tick, not by another evaluation.
    expect(await deliver()).toMatchObject({ delivered: 0, retried: 0, failed: 0 });
    expect(await evaluate()).toBe(0);
    expect(await deliver()).toMatchObject({ delivered: 0 });
    expect(service.mail!.messages().filter((m) => m.subject === COVERAGE_Q4)).toHaveLength(1);
    expect(slack.messages()).toHaveLength(1);
    expect(await deliveries('2026-Q4')).toEqual([
      { operation: 'alert.email', status: 'delivered', attempts: 1, last_error: null },
      { operation: 'alert.webhook', status: 'delivered', attempts: 1, last_error: null },
    ]);
  });

  it('waits out a webhook outage and posts once after it, while the email goes at once', async () => {
    now = Date.parse('2027-01-05T09:00:00Z'); // a new quarter: the same cause is a new alert
    const text = 'NPS alert: relational revenue coverage is 0 % of active ARR (0.00 of 120000.00), below 80 %';
    slack.outage(true);
    expect(await evaluate()).toBe(1);
    expect(await deliver()).toMatchObject({ delivered: 1, retried: 1, failed: 0 });
    expect(await deliveries('2027-Q1')).toEqual([
      { operation: 'alert.email', status: 'delivered', attempts: 1, last_error: null },
      { operation: 'alert.webhook', status: 'pending', attempts: 1, last_error: '500 rollup_error' },
    ]);
    expect(slack.messages()).toHaveLength(1); // only the earlier quarter's

    // Before its backoff nothing is tried, even once the webhook is back.
    slack.outage(false);
    now += 5_000;
    expect(await deliver()).toMatchObject({ delivered: 0, retried: 0 });
    now += 30_000;
    expect(await deliver()).toMatchObject({ delivered: 1, retried: 0, failed: 0 });
    expect(await deliver()).toMatchObject({ delivered: 0, retried: 0 });
    expect(slack.messages().map((m) => m.text)).toEqual([COVERAGE_Q4, text]);
    expect(await deliveries('2027-Q1')).toEqual([
      { operation: 'alert.email', status: 'delivered', attempts: 1, last_error: null },
      { operation: 'alert.webhook', status: 'delivered', attempts: 2, last_error: null },
    ]);
    expect(service.mail!.messages()).toHaveLength(2);
  });

  it('raises an emerging theme on the settle that makes it, once', async () => {
    const detractorAnswer = async (comment: string) => {
      const [survey] = await db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, email, status, scheduled_at, sent_at)
         VALUES ('transactional', 'ticket_solved', $1, $2, 'answered', $3, $3) RETURNING id`,
        [randomUUID(), `${randomUUID().slice(0, 8)}@customer.example`, new Date(now - 3_600_000)],
      );
      await db.query(
        `INSERT INTO responses (survey_id, stream, trigger, score, category, comment, first_answered_at, last_changed_at)
         VALUES ($1, 'transactional', 'ticket_solved', 3, 'detractor', $2, $3, $3)`,
        [survey.id, comment, new Date(now - 3_600_000)],
      );
    };
    const settle = () => service.app.get(ResponseSettler).settleDue();
    const themed = () => db.query(`SELECT period, message, details FROM alerts WHERE kind = 'emerging_theme'`);

    for (let i = 0; i < 4; i++) await detractorAnswer('Every page is so slow');
    expect(await settle()).toBe(4);
    expect(await themed()).toEqual([]); // 4 detractor comments: not yet

    await detractorAnswer('Loading takes forever');
    expect(await settle()).toBe(1);
    expect(await themed()).toEqual([
      {
        period: '2027-Q1',
        message: 'transactional theme performance is emerging in 2027-Q1: 5 detractor comments',
        details: { theme: 'performance', quarter: '2027-Q1', detractorComments: 5 },
      },
    ]);

    await detractorAnswer('still slow');
    expect(await settle()).toBe(1);
    expect(await themed()).toHaveLength(1);
    expect(await db.query(`SELECT count(*)::int AS n FROM alerts WHERE stream = 'relational' AND kind = 'emerging_theme'`)).toEqual([{ n: 0 }]);
  });

  it('lists alerts by state and stream, and acknowledging one changes its state', async () => {
    const all = await api().get('/api/alerts').set(auth);
    expect(all.status).toBe(200);
    expect(all.body.map((a: any) => `${a.kind} ${a.stream} ${a.period} ${a.state}`)).toEqual([
      'emerging_theme transactional 2027-Q1 new',
      'revenue_coverage relational 2027-Q1 new',
      'revenue_coverage relational 2026-Q4 new',
    ]);
    const [, coverage] = all.body;
    expect(coverage.deliveries).toEqual({
      email: { status: 'delivered', attempts: 1, lastError: null, deliveredAt: expect.any(String) },
      webhook: { status: 'delivered', attempts: 2, lastError: null, deliveredAt: expect.any(String) },
    });

    const acknowledged = await api().post(`/api/alerts/${coverage.id}/acknowledge`).set(auth);
    expect([acknowledged.status, acknowledged.body.state, acknowledged.body.acknowledgedAt]).toEqual([200, 'acknowledged', new Date(now).toISOString()]);
    now += 60_000;
    const again = await api().post(`/api/alerts/${coverage.id}/acknowledge`).set(auth);
    expect([again.status, again.body.acknowledgedAt]).toEqual([200, acknowledged.body.acknowledgedAt]); // the first time stays

    const listed = async (query: string) => (await api().get(`/api/alerts?${query}`).set(auth)).body.map((a: any) => `${a.kind} ${a.period}`);
    expect(await listed('state=new')).toEqual(['emerging_theme 2027-Q1', 'revenue_coverage 2026-Q4']);
    expect(await listed('state=acknowledged')).toEqual(['revenue_coverage 2027-Q1']);
    expect(await listed('stream=transactional')).toEqual(['emerging_theme 2027-Q1']);
    expect(await listed('state=new&stream=relational')).toEqual(['revenue_coverage 2026-Q4']);

    expect((await api().post(`/api/alerts/${randomUUID()}/acknowledge`).set(auth)).status).toBe(404);
    expect((await api().post('/api/alerts/42/acknowledge').set(auth)).body.message).toEqual(['id: must be a UUID']);
    expect((await api().get('/api/alerts?state=open').set(auth)).body.message).toEqual(['state: must be one of new, acknowledged']);
    expect((await api().get('/api/alerts?stream=both').set(auth)).body.message).toEqual(['stream: must be one of relational, transactional']);
    expect((await api().get('/api/alerts').set(auth)).body).toHaveLength(3); // evaluating after an acknowledgement keeps the state
    expect(await evaluate()).toBe(0);
    expect(await listed('state=acknowledged')).toEqual(['revenue_coverage 2027-Q1']);
  });
});
