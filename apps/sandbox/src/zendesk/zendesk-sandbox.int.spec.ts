import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { HelpdeskTicket, TicketChangesPage } from '@connectors/core/src';
import { ZendeskConnector, zendeskConnector, zendeskWebhookVerifier } from '@connectors/zendesk/src';
import { SANDBOX_DEFAULTS, ZendeskSandbox } from './';
import { ListeningSandbox, listenSandbox } from '../kit/sandbox';

/** A local HTTP receiver standing in for nps-bridge's webhook endpoint. */
interface Receiver {
  url: string;
  received: Array<{ headers: IncomingMessage['headers']; rawBody: Buffer }>;
  respondWith: number[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const respondWith: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, rawBody: Buffer.concat(chunks) });
      res.writeHead(respondWith.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/zendesk/conn-1`,
    received,
    respondWith,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

async function collect(pages: AsyncIterable<TicketChangesPage>): Promise<TicketChangesPage[]> {
  const out: TicketChangesPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('Zendesk connector against the sandbox', () => {
  let sandbox: ZendeskSandbox;
  let listening: ListeningSandbox;
  let receiver: Receiver;
  let connector: ZendeskConnector;
  const start = Date.parse('2026-03-02T09:00:00Z');

  beforeEach(async () => {
    sandbox = new ZendeskSandbox({
      seed: 7,
      // A fixed clock that only advanceClock() moves.
      now: () => start,
      accountExternalIds: ['001ACME', '001GLOBEX'],
      knownRequesters: [{ email: 'dana.scully@acme.test', name: 'Dana Scully', organizationExternalId: '001ACME' }],
      tickets: 20,
      webhookRetryDelayMs: 1,
    });
    listening = await listenSandbox(sandbox);
    receiver = await startReceiver();
    connector = connectTo(listening.url);
  });

  /** Our limiters wide open, so only the sandbox's limits apply; sleeping moves the sandbox clock. */
  function connectTo(baseUrl: string, apiToken: string = SANDBOX_DEFAULTS.apiToken, sleeps: number[] = []): ZendeskConnector {
    return zendeskConnector.create({
      credentials: { authType: 'api_token', subdomain: 'acme', email: SANDBOX_DEFAULTS.adminEmail, apiToken, baseUrl },
      settings: zendeskConnector.withDefaults({ npsScoreFieldId: SANDBOX_DEFAULTS.npsScoreFieldId, requestsPerMinute: 2500, exportRequestsPerMinute: 2500 }),
      sleep: async (ms) => {
        sleeps.push(ms);
        sandbox.advanceClock(ms);
      },
    }) as unknown as ZendeskConnector;
  }

  const acme = () => [...sandbox.data.organizations.values()].find((o) => o.external_id === '001ACME')!;
  const dana = () => [...sandbox.data.users.values()].find((u) => u.email === 'dana.scully@acme.test')!;

  /** What the port should say about a sandbox ticket Dana raised in ACME. */
  function danaTicket(id: number, at: string, status: HelpdeskTicket['status']): HelpdeskTicket {
    const ticket = sandbox.ticket(id)!;
    return {
      externalId: String(id),
      status,
      subject: ticket.subject,
      requesterExternalId: String(dana().id),
      requesterEmail: 'dana.scully@acme.test',
      requesterName: 'Dana Scully',
      organizationExternalId: String(acme().id),
      organizationCrmAccountId: '001ACME',
      groupExternalId: String(ticket.group_id),
      assigneeExternalId: String(ticket.assignee_id),
      solvedAt: status === 'solved' ? at : null,
      updatedAt: at,
      tags: [],
    };
  }

  afterEach(async () => {
    await sandbox.webhooksDelivered();
    await listening.close();
    await receiver.close();
  });

  it('setup, then solving a ticket, delivers a signed webhook the verifier accepts', async () => {
    const setup = await connector.setup(receiver.url);
    const ticket = sandbox.createTicket({ requesterEmail: 'dana.scully@acme.test', subject: 'Export "stuck" at 99%' });

    sandbox.solveTicket(ticket.id);
    await sandbox.webhooksDelivered();

    expect(receiver.received).toHaveLength(1);
    const [call] = receiver.received;
    const event = zendeskWebhookVerifier.verify({
      rawBody: call.rawBody,
      headers: call.headers,
      signingSecret: setup.signingSecret,
      now: new Date(sandbox.now()),
    });
    expect(event).toEqual({
      deliveryId: call.headers['x-zendesk-webhook-invocation-id'],
      // Replays are recognised by what was signed: the timestamp and the body.
      contentKey: createHash('sha256').update(`${call.headers['x-zendesk-webhook-signature-timestamp']}`).update(call.rawBody).digest('hex'),
      ticket: { ...danaTicket(ticket.id, '2026-03-02T09:00:00.000Z', 'solved'), subject: 'Export "stuck" at 99%' },
    });
    expect(call.headers['x-zendesk-webhook-invocation-id']).toMatch(/^\d{10}$/);
    expect(sandbox.webhookCalls().map((c) => [c.webhookId, c.status, c.dropped])).toEqual([[setup.webhookId, 200, false]]);
  });

  it('a second setup run reuses the webhook and the trigger and returns the same secret', async () => {
    const first = await connector.setup(receiver.url);
    const second = await connector.setup(receiver.url);
    expect(second).toEqual(first);
    expect(
      sandbox
        .requests()
        .filter((r) => r.method !== 'GET')
        .map((r) => `${r.method} ${r.url}`),
    ).toEqual(['POST /api/v2/webhooks', 'POST /api/v2/triggers.json']);
  });

  it('reading changes returns the solved ticket with its requester email and CRM account, once the export minute has passed', async () => {
    const ticket = sandbox.createTicket({ requesterEmail: 'dana.scully@acme.test' });
    sandbox.solveTicket(ticket.id);
    const since = new Date(start - 1000);

    const tooSoon = await collect(connector.readTicketChanges({ cursor: null, startTime: since }));
    expect(tooSoon.map((p) => [p.tickets.length, p.endOfStream])).toEqual([[0, true]]);

    sandbox.advanceClock(61_000);
    const pages = await collect(connector.readTicketChanges({ cursor: tooSoon[0].cursor, startTime: since }));
    expect(pages).toHaveLength(1);
    expect(pages[0].tickets).toEqual([danaTicket(ticket.id, '2026-03-02T09:00:00.000Z', 'solved')]);
    expect(pages[0].endOfStream).toBe(true);

    const again = await collect(connector.readTicketChanges({ cursor: pages[0].cursor, startTime: since }));
    expect(again.map((p) => p.tickets)).toEqual([[]]);
    // One export call per read, sideloads included: no show_many was needed.
    expect(sandbox.requests().map((r) => r.url.split('?')[0])).toEqual(Array(3).fill('/api/v2/incremental/tickets/cursor.json'));
  });

  it('a dropped webhook is caught by reconciliation through the export', async () => {
    await connector.setup(receiver.url);
    const ticket = sandbox.createTicket({ requesterEmail: 'dana.scully@acme.test' });
    sandbox.dropNextWebhooks(1);
    sandbox.solveTicket(ticket.id);
    await sandbox.webhooksDelivered();
    expect(receiver.received).toHaveLength(0);
    expect(sandbox.webhookCalls().map((c) => c.dropped)).toEqual([true]);

    sandbox.advanceClock(61_000);
    const pages = await collect(connector.readTicketChanges({ cursor: null, startTime: new Date(start - 1000) }));
    expect(pages.flatMap((p) => p.tickets.map((t) => [t.externalId, t.status]))).toEqual([[String(ticket.id), 'solved']]);
  });

  it('pages through the export and waits out its 429 with the Retry-After the sandbox sent', async () => {
    await listening.close();
    sandbox = new ZendeskSandbox({ seed: 3, now: () => start, tickets: 12, exportPageSize: 5, exportRequestsPerMinute: 2 });
    listening = await listenSandbox(sandbox);
    const sleeps: number[] = [];
    const limited = connectTo(listening.url, SANDBOX_DEFAULTS.apiToken, sleeps);

    const pages = await collect(limited.readTicketChanges({ cursor: null, startTime: new Date(0) }));

    expect(pages.map((p) => [p.tickets.length, p.endOfStream])).toEqual([
      [5, false],
      [5, false],
      [2, true],
    ]);
    expect(new Set(pages.flatMap((p) => p.tickets.map((t) => t.externalId))).size).toBe(12);
    expect(sleeps).toEqual([60_000]);
    expect(sandbox.requests().map((r) => r.status)).toEqual([200, 200, 429, 200]);
    expect(limited.apiCalls()).toBe(4);
  });

  it('retries a reset connection and a 503 before answering', async () => {
    sandbox.failNext(1, 'connection_reset');
    sandbox.failNext(1, 'unavailable', 2);
    const sleeps: number[] = [];
    const result = await connectTo(listening.url, SANDBOX_DEFAULTS.apiToken, sleeps).testConnection();
    expect(result).toEqual({ ok: true, authenticated: true, message: null, missingFields: [] });
    // 500 ms backoff after the reset; 1 s backoff vs. Retry-After 2 s after the 503.
    expect(sleeps).toEqual([500, 2000]);
  });

  it('testConnection with a wrong token answers authenticated: false in Zendesk words', async () => {
    const result = await connectTo(listening.url, 'not-the-token').testConnection();
    expect(result).toEqual({ ok: false, authenticated: false, message: "Couldn't authenticate you", missingFields: [] });
  });
});
