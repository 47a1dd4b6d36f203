import request from 'supertest';
import { DataSource } from 'typeorm';
import { createZendeskSandbox, ZendeskSandbox } from '@apps/sandbox/src/zendesk';
import { zendeskSignature } from '@connectors/zendesk/src/zendesk-webhook-verifier';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { CLOCK, Clock } from '@libs/config/src';
import { connectZendeskSandbox } from './support/zendesk-connection';
import { startTestService, TestService } from './support/service';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const START = Date.parse('2026-11-03T10:00:00Z');

/** A signed call as Zendesk makes it: timestamp + body under the connection's signing secret. */
interface SignedCall {
  headers: Record<string, string>;
  body: string;
}

describe('one bad webhook fails only itself; a replay is recognised by its signed content', () => {
  let service: TestService;
  let db: DataSource;
  let zendesk: ZendeskSandbox;
  let served: ListeningSandbox;
  let connectionId: string;
  let secret: string;
  let events: TicketEvents;
  let clock: Clock;
  const now = START;
  let invocation = 7_000_000_000;

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    events = service.app.get(TicketEvents);
    clock = service.app.get(CLOCK);
    clock.now = () => new Date(now);
    zendesk = createZendeskSandbox({ seed: 13, users: 0, tickets: 0, now: () => now });
    served = await listenSandbox(zendesk);
    const auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
    connectionId = (await connectZendeskSandbox(service.url, auth, served.url)).connectionId;
    // The secret the setup obtained from the sandbox, as the service stored it.
    const builder = service.app.get(ConnectorBuilder);
    secret = builder.buildHelpdesk((await builder.loadWithCredentials(connectionId))!).credentials.webhookSigningSecret as string;
  });
  afterAll(async () => {
    await served.close();
    await service.close();
  });
  beforeEach(async () => {
    await db.query(`TRUNCATE surveys, webhook_deliveries CASCADE`);
  });

  const post = (call: SignedCall) => request(service.url).post(`/webhooks/helpdesk/${connectionId}`).set(call.headers).send(call.body);
  const sign = (body: string, invocationId = String(invocation++)): SignedCall => {
    const timestamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      body,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-zendesk-webhook-invocation-id': invocationId,
        'x-zendesk-webhook-signature-timestamp': timestamp,
        'x-zendesk-webhook-signature': zendeskSignature(secret, timestamp, Buffer.from(body)),
      },
    };
  };
  /** Solves `n` tickets of different requesters in the sandbox, keeping their rendered webhook bodies unsent. */
  function solvedBodies(n: number, label: string): Array<{ id: string; body: string }> {
    const tickets = Array.from({ length: n }, (_, i) => zendesk.createTicket({ requesterEmail: `${label}${i}@customer.example`, subject: `Export fails ${i}` }));
    const before = zendesk.webhookCalls().length;
    zendesk.dropNextWebhooks(n);
    for (const ticket of tickets) zendesk.solveTicket(ticket.id);
    const bodies = zendesk
      .webhookCalls()
      .slice(before)
      .map((c) => c.body);
    expect(bodies).toHaveLength(n);
    return tickets.map((t, i) => ({ id: String(t.id), body: bodies[i] }));
  }
  const edited = (body: string, change: (fields: Record<string, unknown>) => void) => {
    const fields = JSON.parse(body) as Record<string, unknown>;
    change(fields);
    return JSON.stringify(fields);
  };
  async function processAll(): Promise<void> {
    while ((await events.processDeliveries()) > 0);
  }

  it('poisoned webhooks sent at once beside 30 valid ones get their own 400; the 30 get 202 and 30 surveys', async () => {
    const valid = solvedBodies(30, 'valid');
    const [spare] = solvedBodies(1, 'spare');
    const poisoned = [
      { field: 'subject', body: edited(spare.body, (f) => (f.subject = 'Export\u0000fails')) },
      { field: 'requester_name', body: edited(spare.body, (f) => (f.requester_name = 'Pat \udc00')) },
      { field: 'updated_at', body: edited(spare.body, (f) => (f.updated_at = '2026-02-30T10:00Z')) },
      { field: 'ticket_id', body: edited(spare.body, (f) => (f.ticket_id = `${spare.id}x`)) },
    ];
    const calls = [...valid.map((v) => sign(v.body)), ...poisoned.map((p) => sign(p.body))];
    // Poisoned calls in among the valid ones, all in flight together.
    const order = calls.map((_, i) => i).sort((a, b) => ((a * 7) % calls.length) - ((b * 7) % calls.length));
    const replies = new Array<request.Response>(calls.length);
    await Promise.all(order.map(async (i) => (replies[i] = await post(calls[i]))));

    expect(replies.slice(0, 30).map((r) => [r.status, r.body.duplicate])).toEqual(valid.map(() => [202, false]));
    const refused = replies.slice(30);
    expect(refused.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    // The message (one, or a list) starts with the field: the request-wide text check or the webhook's own.
    const named = refused.map((r) => ([] as string[]).concat(r.body.message).join('; '));
    poisoned.forEach((p, i) => expect(named[i]).toMatch(new RegExp(`^${p.field}\\b`)));
    expect(named[0]).toMatch(/NUL/);

    await processAll();
    const deliveries = await db.query(`SELECT payload->>'externalId' AS ticket, outcome FROM webhook_deliveries ORDER BY 1`);
    expect(deliveries).toEqual(valid.map((v) => ({ ticket: v.id, outcome: 'survey_scheduled' })).sort((a, b) => a.ticket.localeCompare(b.ticket)));
    const surveys = await db.query(`SELECT source_ref, status, email FROM surveys WHERE trigger = 'ticket_solved' ORDER BY source_ref`);
    expect(surveys).toHaveLength(30);
    expect(surveys.map((s: { source_ref: string }) => s.source_ref)).toEqual(valid.map((v) => v.id).sort());
    expect(new Set(surveys.map((s: { status: string }) => s.status))).toEqual(new Set(['scheduled']));
  });

  it('a replay of the same body and timestamp under a new or no invocation id is a repeat: one delivery row, one survey', async () => {
    const [ticket] = solvedBodies(1, 'replayed');
    const original = sign(ticket.body);
    const first = await post(original);
    expect([first.status, first.body.duplicate]).toEqual([202, false]);

    const otherId = { ...original, headers: { ...original.headers, 'x-zendesk-webhook-invocation-id': '123456789' } };
    const { 'x-zendesk-webhook-invocation-id': _dropped, ...withoutId } = original.headers;
    const replies = await Promise.all([post(otherId), post({ ...original, headers: withoutId }), post(original)]);
    expect(replies.map((r) => [r.status, r.body.duplicate])).toEqual([
      [202, true],
      [202, true],
      [202, true],
    ]);

    await processAll();
    expect(await db.query(`SELECT count(*)::int AS n FROM webhook_deliveries`)).toEqual([{ n: 1 }]);
    expect(await db.query(`SELECT source_ref FROM surveys WHERE trigger = 'ticket_solved'`)).toEqual([{ source_ref: ticket.id }]);

    // Other signed content under a new invocation id is a new delivery: the key is the content, not the ticket.
    const resigned = sign(ticket.body.replace('"Export fails 0"', '"Export fails again"'));
    expect((await post(resigned)).body.duplicate).toBe(false);
  });
});
