import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SANDBOX_DEFAULTS, ZendeskSandbox } from './';
import { ListeningSandbox, listenSandbox } from '../kit/sandbox';

const start = Date.parse('2026-03-02T09:00:00Z');
const ADMIN_AUTH = `Basic ${Buffer.from(`${SANDBOX_DEFAULTS.adminEmail}/token:${SANDBOX_DEFAULTS.apiToken}`).toString('base64')}`;
const json = async <T>(response: Response) => (await response.json()) as T;

describe('the Zendesk sandbox across a restart', () => {
  let dir: string;
  let stateFile: string;
  let receiver: Server;
  let bodies: string[];
  let endpoint: string;
  const running: Array<{ sandbox: ZendeskSandbox; listening: ListeningSandbox }> = [];

  async function boot(): Promise<{ sandbox: ZendeskSandbox; call: (path: string, init?: RequestInit) => Promise<Response> }> {
    const sandbox = new ZendeskSandbox({ seed: 4, tickets: 3, now: () => start, stateFile, webhookRetryDelayMs: 1 });
    const listening = await listenSandbox(sandbox);
    running.push({ sandbox, listening });
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${listening.url}${path}`, { ...init, headers: { authorization: ADMIN_AUTH, 'content-type': 'application/json', ...(init.headers ?? {}) } });
    return { sandbox, call };
  }
  const post = (call: (path: string, init?: RequestInit) => Promise<Response>, path: string, body: unknown) => call(path, { method: 'POST', body: JSON.stringify(body) });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zendesk-sandbox-'));
    stateFile = join(dir, 'sandbox', 'zendesk.json');
    bodies = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => (bodies.push(body), res.writeHead(200).end()));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterEach(async () => {
    // Pending writes land before the folder goes, as at shutdown.
    for (const { sandbox, listening } of running.splice(0)) await Promise.all([sandbox.flush(), listening.close()]);
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('continues ticket ids and keeps the webhook (and its secret), the trigger, the fields and the tickets', async () => {
    const first = await boot();
    expect(first.sandbox.restored).toBe(false);
    const webhook = (
      await json<{ webhook: { id: string } }>(
        await post(first.call, '/api/v2/webhooks', {
          webhook: { name: 'w', endpoint, http_method: 'POST', request_format: 'json', status: 'active', subscriptions: ['conditional_ticket_events'] },
        }),
      )
    ).webhook;
    const secret = (await json<{ signing_secret: { secret: string } }>(await first.call(`/api/v2/webhooks/${webhook.id}/signing_secret`))).signing_secret.secret;
    const actions = [{ field: 'notification_webhook', value: [webhook.id, '{"id":"{{ticket.id}}"}'] }];
    const trigger = await json<{ trigger: { id: number } }>(
      await post(first.call, '/api/v2/triggers.json', { trigger: { title: 'solved', conditions: { all: [{ field: 'status', operator: 'value', value: 'solved' }] }, actions } }),
    );
    const field = await json<{ ticket_field: { id: number } }>(await post(first.call, '/api/v2/ticket_fields.json', { ticket_field: { type: 'decimal', title: 'CSAT' } }));
    const made = first.sandbox.createTicket({ requesterEmail: 'pat@customer.example', subject: 'Before the restart' });
    await first.sandbox.flush();
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { state: { tickets: Array<{ id: number }> } };
    expect(saved.state.tickets.map((t) => t.id)).toContain(made.id);

    // "npm start" again: a fresh process, the same file.
    const second = await boot();
    expect(second.sandbox.restored).toBe(true);
    expect(second.sandbox.ticket(made.id)?.subject).toBe('Before the restart');
    const next = second.sandbox.createTicket({ requesterEmail: 'pat@customer.example', subject: 'After the restart' });
    expect(next.id).toBe(made.id + 1);
    const listed = await json<{ webhooks: Array<{ id: string }> }>(await second.call('/api/v2/webhooks'));
    expect(listed.webhooks.map((w) => w.id)).toEqual([webhook.id]);
    expect((await json<{ signing_secret: { secret: string } }>(await second.call(`/api/v2/webhooks/${webhook.id}/signing_secret`))).signing_secret.secret).toBe(secret);
    expect((await second.call(`/api/v2/triggers/${trigger.trigger.id}.json`)).status).toBe(200);
    expect((await second.call(`/api/v2/ticket_fields/${field.ticket_field.id}.json`)).status).toBe(200);

    // The restored trigger still calls the restored webhook.
    second.sandbox.solveTicket(next.id);
    await second.sandbox.webhooksDelivered();
    expect(bodies).toEqual([`{"id":"${next.id}"}`]);
  });

  it('saves changes made through the API, not only through the sandbox methods', async () => {
    const first = await boot();
    const requester = [...first.sandbox.data.users.values()].find((u) => u.role === 'end-user')!;
    const created = await json<{ ticket: { id: number } }>(
      await post(first.call, '/api/v2/tickets.json', { ticket: { subject: 'via API', comment: { body: 'b', public: false }, requester_id: requester.id } }),
    );
    await first.call(`/api/v2/tickets/${created.ticket.id}/tags.json`, { method: 'PUT', body: JSON.stringify({ tags: ['nps_promoter'] }) });
    await first.sandbox.flush();

    const second = await boot();
    expect(second.sandbox.ticket(created.ticket.id)?.tags).toEqual(['nps_promoter']);
    expect(second.sandbox.createdTickets().map((t) => t.id)).toEqual([created.ticket.id]);
  });

  it('snapshot() and restore() carry the same state without a file', async () => {
    const source = new ZendeskSandbox({ seed: 4, tickets: 3, now: () => start });
    const made = source.createTicket({ requesterEmail: 'pat@customer.example' });
    const target = new ZendeskSandbox({ seed: 9, tickets: 0, now: () => start });
    target.restore(source.snapshot());
    expect(target.snapshot()).toEqual(source.snapshot());
    expect(target.createTicket({ requesterEmail: 'pat@customer.example' }).id).toBe(made.id + 1);
    expect(target.restored).toBe(false);
  });
});
