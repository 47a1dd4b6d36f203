import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { TicketChangesPage, VendorError } from '@connectors/core/src';
import { ZendeskConnector, zendeskConnector } from '@connectors/zendesk/src';
import { SANDBOX_DEFAULTS, ZendeskSandbox } from './';
import { ListeningSandbox, listenSandbox } from '../kit/sandbox';

const SCORE = SANDBOX_DEFAULTS.npsScoreFieldId;
const start = Date.parse('2026-03-02T09:00:00Z');

async function pages(iterable: AsyncIterable<TicketChangesPage>): Promise<TicketChangesPage[]> {
  const out: TicketChangesPage[] = [];
  for await (const page of iterable) out.push(page);
  return out;
}

/** Closing the loop on Zendesk, the connector against the sandbox: write-backs, follow-ups, task tickets, lost answers. */
describe('Zendesk write-backs against the sandbox', () => {
  let sandbox: ZendeskSandbox;
  let listening: ListeningSandbox;
  let receiver: Server;
  let received: string[];
  let connector: ZendeskConnector;
  const sleeps: number[] = [];

  beforeEach(async () => {
    sandbox = new ZendeskSandbox({
      seed: 11,
      now: () => start,
      accountExternalIds: ['001ACME'],
      knownRequesters: [{ email: 'dana.scully@acme.test', name: 'Dana Scully', organizationExternalId: '001ACME' }],
      tickets: 10,
      excludeLastMinute: false,
      webhookRetryDelayMs: 1,
    });
    listening = await listenSandbox(sandbox);
    received = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => (received.push(body), res.writeHead(200).end()));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    sleeps.length = 0;
    connector = zendeskConnector.create({
      credentials: { authType: 'api_token', subdomain: 'acme', email: SANDBOX_DEFAULTS.adminEmail, apiToken: SANDBOX_DEFAULTS.apiToken, baseUrl: listening.url },
      settings: zendeskConnector.withDefaults({ npsScoreFieldId: SCORE, requestsPerMinute: 2500, exportRequestsPerMinute: 2500 }),
      // Waiting moves the sandbox's clock, so Retry-After and backoff cost no real time.
      sleep: async (ms) => {
        sleeps.push(ms);
        sandbox.advanceClock(ms);
      },
    }) as unknown as ZendeskConnector;
  });

  afterEach(async () => {
    await sandbox.webhooksDelivered();
    await listening.close();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const dana = () => [...sandbox.data.users.values()].find((u) => u.email === 'dana.scully@acme.test')!;
  const update = (score: number, category: string, comment: string) => ({
    score,
    tags: [`nps_${category}`],
    privateNote: `NPS ${score} (${category}) from Dana Scully: "${comment}"`,
  });

  it('writes the score, the tag and a private note on an open or solved ticket', async () => {
    const ticket = sandbox.createTicket({ requesterEmail: 'dana.scully@acme.test', status: 'solved' });
    const result = await connector.writeBackToTicket(String(ticket.id), update(9, 'promoter', 'great'), { externalId: 'wb-1' });

    expect(result).toEqual({ ticketId: String(ticket.id), followUpOf: null });
    const written = sandbox.ticket(ticket.id)!;
    expect([written.status, written.custom_fields, written.tags, written.comments.map((c) => [c.body, c.public]), written.external_id]).toEqual([
      'solved',
      [{ id: SCORE, value: 9 }],
      ['nps_promoter'],
      [
        ['Please help.', true],
        ['NPS 9 (promoter) from Dana Scully: "great"', false],
      ],
      null,
    ]);
    expect(sandbox.createdTickets()).toEqual([]);
  });

  it('puts the write-back on a follow-up ticket with our external id when the ticket is closed', async () => {
    const ticket = sandbox.createTicket({ requesterEmail: 'dana.scully@acme.test' });
    sandbox.solveTicket(ticket.id);
    sandbox.closeTicket(ticket.id);

    const result = await connector.writeBackToTicket(String(ticket.id), update(3, 'detractor', 'too slow'), {
      followUpSubject: `Your NPS answer about request #${ticket.id}`,
      externalId: 'wb-closed-1',
    });

    expect(result.followUpOf).toBe(String(ticket.id));
    const followUp = sandbox.ticket(Number(result.ticketId))!;
    expect({
      subject: followUp.subject,
      via: followUp.via_followup_source_id,
      externalId: followUp.external_id,
      requester: followUp.requester_id,
      group: followUp.group_id,
      tags: followUp.tags,
      fields: followUp.custom_fields,
      comments: followUp.comments.map((c) => [c.body, c.public]),
    }).toEqual({
      subject: `Your NPS answer about request #${ticket.id}`,
      via: ticket.id,
      externalId: 'wb-closed-1',
      requester: dana().id,
      group: ticket.group_id,
      tags: ['nps_bridge', 'nps_detractor'],
      fields: [{ id: SCORE, value: 3 }],
      comments: [['NPS 3 (detractor) from Dana Scully: "too slow"', false]],
    });
    expect(sandbox.ticket(ticket.id)!.comments).toHaveLength(1);
    expect(await connector.findTicketsByExternalId('wb-closed-1')).toEqual([result.ticketId]);
    expect(sandbox.writeCalls().map((c) => [c.method, c.status])).toEqual([
      ['PUT', 422],
      ['POST', 201],
    ]);
  });

  it('creates a detractor task ticket; solving it sends no survey webhook, and the export shows it with its tags', async () => {
    await connector.setup(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/zendesk`);
    const solvedByAgent = sandbox.createTicket({ requesterEmail: 'dana.scully@acme.test' });

    const taskId = await connector.createTicket({
      subject: 'Detractor follow-up: call Dana Scully',
      body: 'Score 3: "too slow". Call within 48 h and record the action.',
      type: 'task',
      dueAt: new Date(start + 48 * 3_600_000),
      groupId: String(solvedByAgent.group_id),
      requesterId: String(dana().id),
      tags: ['nps_detractor'],
      externalId: 'fu-task-1',
    });

    const task = sandbox.ticket(Number(taskId))!;
    expect([task.type, task.due_at, task.group_id, task.tags, task.external_id, task.comments.map((c) => c.public)]).toEqual([
      'task',
      '2026-03-04T09:00:00Z',
      solvedByAgent.group_id,
      ['nps_bridge', 'nps_detractor'],
      'fu-task-1',
      [false],
    ]);
    sandbox.solveTicket(task.id);
    sandbox.solveTicket(solvedByAgent.id);
    await sandbox.webhooksDelivered();
    // Only the customer's ticket asks for a survey; our own task ticket does not.
    expect(received.map((body) => (JSON.parse(body) as { ticket_id: string }).ticket_id)).toEqual([String(solvedByAgent.id)]);

    const exported = (await pages(connector.readTicketChanges({ cursor: null, startTime: new Date(start - 1000) }))).flatMap((p) => p.tickets);
    expect(exported.filter((t) => t.externalId === taskId).map((t) => [t.status, t.tags, t.solvedAt])).toEqual([
      ['solved', ['nps_bridge', 'nps_detractor'], '2026-03-02T09:00:00.000Z'],
    ]);
  });

  it('finds the ticket a lost answer made instead of creating it twice', async () => {
    sandbox.failAfterWrite(1);
    const id = await connector.createTicket({ subject: 'Follow-up', body: 'note', type: 'question', requesterId: String(dana().id), externalId: 'fu-lost-1' });

    expect(sandbox.createdTickets().map((t) => [String(t.id), t.external_id])).toEqual([[id, 'fu-lost-1']]);
    expect(sandbox.requests().map((r) => `${r.method} ${r.url.split('?')[0]} ${r.status}`)).toEqual(['POST /api/v2/tickets.json 503', 'GET /api/v2/tickets.json 200']);
  });

  it('without an external id, the resend under the same idempotency key gets the first ticket back', async () => {
    sandbox.failAfterWrite(1);
    const id = await connector.createTicket({ subject: 'Follow-up', body: 'note', type: 'question', requesterId: String(dana().id) });

    expect(sandbox.createdTickets().map((t) => String(t.id))).toEqual([id]);
    const calls = sandbox.writeCalls();
    expect(calls.map((c) => [c.status, c.idempotencyLookup])).toEqual([
      [503, null],
      [201, 'hit'],
    ]);
    expect(calls[1].idempotencyKey).toBe(calls[0].idempotencyKey);
  });

  it('through an outage, a create ends as OUTCOME_UNKNOWN; afterwards the lookup says nothing was made and it goes through', async () => {
    sandbox.outage(true, 30);
    const ticket = { subject: 'Follow-up', body: 'note', type: 'question' as const, requesterId: String(dana().id), externalId: 'fu-outage-1' };
    const error = await connector.createTicket(ticket).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VendorError);
    expect([(error as VendorError).kind, (error as VendorError).details.code, (error as VendorError).details.status]).toEqual(['unavailable', 'OUTCOME_UNKNOWN', 503]);
    // The first POST, then a lookup before each resend: never two POSTs in a row without looking.
    expect(sandbox.requests().map((r) => r.method)).toEqual(['POST', 'GET', 'GET', 'GET', 'GET', 'GET']);
    expect(sleeps).toEqual(Array(5).fill(30_000));

    sandbox.outage(false);
    expect(await connector.findTicketsByExternalId('fu-outage-1')).toEqual([]);
    const id = await connector.createTicket(ticket);
    expect(await connector.findTicketsByExternalId('fu-outage-1')).toEqual([id]);
  });

  it('finds the seeded score field, and creates one when the account has none', async () => {
    expect(await connector.ensureScoreField()).toEqual({ id: String(SCORE), created: false });
    sandbox.data.ticketFields.delete(SCORE);
    const made = await connector.ensureScoreField();
    expect(made.created).toBe(true);
    expect(sandbox.data.ticketFields.get(Number(made.id))).toMatchObject({ type: 'integer', title: 'NPS score', active: true, visible_in_portal: false });
    expect(await connector.ensureScoreField()).toEqual({ id: made.id, created: false });
  });
});
