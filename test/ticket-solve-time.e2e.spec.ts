import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createZendeskSandbox, ZendeskSandbox } from '@apps/sandbox/src/zendesk';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { CLOCK, Clock } from '@libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { connectZendeskSandbox } from './support/zendesk-connection';
import { startTestService, TestService } from './support/service';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

/** Monday 10:14:00 UTC: solved + 24 h falls inside the default send window (weekdays 09:00–11:00 UTC). */
const START = Date.parse('2026-11-02T10:14:00Z');
const HOUR = 3600_000;

describe('a solved ticket’s survey from the Zendesk sandbox, timed to the second', () => {
  let service: TestService;
  let db: DataSource;
  let zendesk: ZendeskSandbox;
  let served: ListeningSandbox;
  let connectionId: string;
  let events: TicketEvents;
  let now = START;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    events = service.app.get(TicketEvents);
    const clock: Clock = service.app.get(CLOCK);
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
    const auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
    connectionId = (await connectZendeskSandbox(service.url, auth, served.url)).connectionId;
  });
  afterAll(async () => {
    await served.close();
    await service.close();
  });
  beforeEach(async () => {
    await db.query(`TRUNCATE surveys, webhook_deliveries CASCADE`);
    now = START;
  });

  const deliveries = () => db.query(`SELECT processed_at IS NOT NULL AS processed, outcome, error FROM webhook_deliveries ORDER BY id`);

  async function solveAt(at: number): Promise<number> {
    const ticket = zendesk.createTicket({ requesterEmail: 'pat@customer.example', organizationExternalId: '001ACME', subject: 'Export fails' });
    now = at;
    zendesk.solveTicket(ticket.id);
    await zendesk.webhooksDelivered();
    return ticket.id;
  }

  it('a ticket solved at hh:mm:37 is surveyed at exactly solved + 24 h, its deadline solved + 72 h, though the webhook says hh:mm', async () => {
    const solvedAt = START + 37_000;
    const id = await solveAt(solvedAt);
    // Like Zendesk's placeholder, the webhook body carries the minute only.
    expect(JSON.parse(zendesk.webhookCalls().at(-1)!.body).updated_at).toBe('2026-11-02T10:14Z');
    now = solvedAt + 2_000;
    zendesk.resetCalls();
    expect(await events.processDeliveries()).toBe(1);
    // One read of the ticket (show_many with its metric set) per batch of deliveries.
    expect(zendesk.requests().map((r) => r.url.split('?')[0])).toEqual(['/api/v2/tickets/show_many.json']);
    const [survey] = await db.query(`SELECT source_ref, status, scheduled_at, send_deadline_at, context->>'solvedAt' AS solved_at FROM surveys`);
    expect(survey.source_ref).toBe(String(id));
    expect(survey.status).toBe('scheduled');
    expect(survey.solved_at).toBe(new Date(solvedAt).toISOString());
    expect((survey.scheduled_at as Date).toISOString()).toBe(new Date(solvedAt + 24 * HOUR).toISOString());
    expect((survey.send_deadline_at as Date).toISOString()).toBe(new Date(solvedAt + 72 * HOUR).toISOString());
    expect(await deliveries()).toEqual([{ processed: true, outcome: 'survey_scheduled', error: null }]);
  });

  it('a webhook for a ticket that already had a survey is kept with the reason it made none, and logged with it', async () => {
    const id = await solveAt(START + 5_000);
    await events.processDeliveries();
    now += 60_000;
    zendesk.reopenTicket(id);
    zendesk.solveTicket(id);
    await zendesk.webhooksDelivered();
    const logged = jest.spyOn(Logger.prototype, 'log');
    try {
      await events.processDeliveries();
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ connectionId, ticketId: String(id), reason: 'ticket_already_surveyed' }), 'ticket event made no survey');
    } finally {
      logged.mockRestore();
    }
    expect((await deliveries()).map((d: { outcome: string }) => d.outcome)).toEqual(['survey_scheduled', 'ticket_already_surveyed']);
    expect(await db.query(`SELECT count(*)::int AS n FROM surveys`)).toEqual([{ n: 1 }]);
  });

  it('a delivery about one of our own tickets is kept as own_ticket, without reading Zendesk', async () => {
    await db.query(`INSERT INTO webhook_deliveries (connection_id, source, delivery_id, event_type, payload) VALUES ($1, 'zendesk', 'own-1', 'ticket.solved', $2)`, [
      connectionId,
      JSON.stringify(ownTicketPayload()),
    ]);
    zendesk.resetCalls();
    await events.processDeliveries();
    expect(zendesk.calls()).toBe(0);
    expect(await deliveries()).toEqual([{ processed: true, outcome: 'own_ticket', error: null }]);
  });

  it('while Zendesk cannot be read the delivery waits, with why, and is planned once it can', async () => {
    await solveAt(START + 12_000);
    zendesk.outage(true, 1);
    ConnectorBuilder.sleepOverride = async () => undefined;
    try {
      expect(await events.processDeliveries()).toBe(1);
    } finally {
      zendesk.outage(false);
      ConnectorBuilder.sleepOverride = undefined;
    }
    const [waiting] = await deliveries();
    expect([waiting.processed, waiting.outcome, waiting.error]).toEqual([false, null, expect.stringMatching(/helpdesk could not be read/)]);
    expect(await events.processDeliveries()).toBe(0);
    now += 61_000;
    expect(await events.processDeliveries()).toBe(1);
    expect(await deliveries()).toEqual([{ processed: true, outcome: 'survey_scheduled', error: null }]);
    const [survey] = await db.query(`SELECT context->>'solvedAt' AS solved_at FROM surveys`);
    expect(survey.solved_at).toBe(new Date(START + 12_000).toISOString());
  });
});

/** What the API records for a solved follow-up ticket nps-bridge made itself (tag nps_bridge). */
function ownTicketPayload() {
  return {
    externalId: '999',
    status: 'solved',
    subject: 'Detractor: call Pat',
    requesterExternalId: null,
    requesterEmail: 'pat@customer.example',
    requesterName: 'Pat Doe',
    organizationExternalId: null,
    organizationCrmAccountId: null,
    groupExternalId: null,
    assigneeExternalId: null,
    solvedAt: '2026-11-02T10:14:00.000Z',
    updatedAt: '2026-11-02T10:14:00.000Z',
    tags: ['nps_bridge'],
  };
}
