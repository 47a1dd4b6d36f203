import request from 'supertest';
import { DataSource } from 'typeorm';
import { createZendeskSandbox, ZendeskSandbox } from '@apps/sandbox/src/zendesk';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { CLOCK, Clock } from '@libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { connectZendeskSandbox } from './support/zendesk-connection';
import { startTestService, TestService } from './support/service';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const START = Date.parse('2026-11-02T10:00:00Z');

describe('ticket_solved surveys from the Zendesk sandbox', () => {
  let service: TestService;
  let db: DataSource;
  let zendesk: ZendeskSandbox;
  let served: ListeningSandbox;
  let auth: { Authorization: string };
  let connectionId: string;
  let events: TicketEvents;
  let clock: Clock;
  let now = START;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    events = service.app.get(TicketEvents);
    clock = service.app.get(CLOCK);
    clock.now = () => new Date(now);
    zendesk = createZendeskSandbox({
      seed: 3,
      users: 5,
      tickets: 0,
      now: () => now,
      knownRequesters: [{ email: 'pat@customer.example', name: 'Pat Doe', organizationExternalId: '001ACME' }],
    });
    served = await listenSandbox(zendesk);
    const fx = new CrmFixtures(db);
    const crm = await fx.connection('crm');
    const account = await fx.account(crm, { externalId: '001ACME' });
    await fx.contact(crm, account, { email: 'pat@customer.example', role: 'admin' });
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
    const connected = await connectZendeskSandbox(service.url, auth, served.url);
    connectionId = connected.connectionId;
    expect(connected.setup.webhookUrl).toBe(`${service.url}/webhooks/helpdesk/${connectionId}`);
  });
  afterAll(async () => {
    await served.close();
    await service.close();
  });
  beforeEach(async () => {
    await db.query(`TRUNCATE surveys, webhook_deliveries CASCADE`);
  });

  const surveys = () => db.query(`SELECT source_ref, status, skip_reason, scheduled_at, account_id IS NOT NULL AS attributed FROM surveys ORDER BY source_ref`);
  const deliveries = async () => (await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries`))[0].n;

  async function solve(): Promise<string> {
    const ticket = zendesk.createTicket({ requesterEmail: 'pat@customer.example', organizationExternalId: '001ACME', subject: 'Export fails' });
    zendesk.solveTicket(ticket.id);
    await zendesk.webhooksDelivered();
    return String(ticket.id);
  }

  it('a signed solved-ticket webhook gives exactly one survey, scheduled at + 24 h', async () => {
    const id = await solve();
    expect(zendesk.webhookCalls().at(-1)?.status).toBe(202);
    await events.processDeliveries();
    const [survey] = await surveys();
    expect(survey).toMatchObject({ source_ref: id, status: 'scheduled', attributed: true });
    expect((survey.scheduled_at as Date).getTime()).toBe(Math.floor(START / 60_000) * 60_000 + 24 * 3600_000);
  });

  it('the same delivery sent 5 times at once is recorded once and gives one survey', async () => {
    await solve();
    const call = zendesk.webhookCalls().at(-1)!;
    await db.query(`TRUNCATE surveys, webhook_deliveries CASCADE`);
    const replies = await Promise.all(Array.from({ length: 5 }, () => request(service.url).post(`/webhooks/helpdesk/${connectionId}`).set(call.headers).send(call.body)));
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(replies.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    await events.processDeliveries();
    expect(await deliveries()).toBe(1);
    expect(await surveys()).toHaveLength(1);
  });

  it('a bad or stale signature gets 401 and stores nothing', async () => {
    await solve();
    const call = zendesk.webhookCalls().at(-1)!;
    await db.query(`TRUNCATE surveys, webhook_deliveries CASCADE`);
    const tampered = await request(service.url)
      .post(`/webhooks/helpdesk/${connectionId}`)
      .set(call.headers)
      .send(call.body + ' ');
    expect(tampered.status).toBe(401);
    expect(tampered.body.message).toMatch(/signature/i);
    now += 6 * 60_000;
    try {
      const stale = await request(service.url).post(`/webhooks/helpdesk/${connectionId}`).set(call.headers).send(call.body);
      expect(stale.status).toBe(401);
      expect(stale.body.message).toMatch(/old|stale|timestamp/i);
    } finally {
      now -= 6 * 60_000;
    }
    expect(await deliveries()).toBe(0);
  });

  it('a reopen before sending cancels the pending survey (seen by reconciliation)', async () => {
    const id = await solve();
    await events.processDeliveries();
    zendesk.reopenTicket(Number(id));
    now += 61_000; // the export leaves out the last minute
    await events.reconcile(connectionId);
    const mine = (await surveys()).filter((s: { source_ref: string }) => s.source_ref === id);
    expect(mine.map((s: { status: string; skip_reason: string }) => [s.status, s.skip_reason])).toEqual([['cancelled', 'ticket_reopened']]);
  });

  it('a solve whose webhook never came is found by reconciliation', async () => {
    zendesk.dropNextWebhooks(1);
    const id = await solve();
    expect(await deliveries()).toBe(0);
    now += 61_000;
    const result = await events.reconcile(connectionId);
    expect(result.planned).toBeGreaterThanOrEqual(1);
    expect((await surveys()).map((s: { source_ref: string; status: string }) => [s.source_ref, s.status])).toContainEqual([id, 'scheduled']);
  });
});
