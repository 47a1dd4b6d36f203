import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { SANDBOX_DEFAULTS, ZendeskSandbox } from './';
import { decodeCursor, encodeCursor, exportTickets } from './sandbox-export';
import { seedData } from './sandbox-seed';
import { ListeningSandbox, listenSandbox } from '../kit/sandbox';

const start = Date.parse('2026-03-02T09:00:00Z');
/** A response body with the shape the test expects (fetch types it unknown). */
const json = async <T>(response: Response) => (await response.json()) as T;
const ADMIN_AUTH = `Basic ${Buffer.from(`${SANDBOX_DEFAULTS.adminEmail}/token:${SANDBOX_DEFAULTS.apiToken}`).toString('base64')}`;

describe('the Zendesk sandbox export', () => {
  const data = seedData({
    seed: 5,
    accountExternalIds: [],
    unlinkedOrganizations: 2,
    knownRequesters: [],
    users: 30,
    tickets: 2500,
    adminEmail: 'admin@acme.test',
    npsScoreFieldId: 1,
    now: start,
  });
  const options = { pageSize: 1000, excludeLastMinute: true, now: start, baseUrl: 'https://acme.zendesk.com' };

  it('pages 2,500 tickets by 1,000 in generated_timestamp order and ends the stream on the last page', () => {
    const first = exportTickets(data, { startTime: 0, include: [], excludeDeleted: false }, options)!;
    const second = exportTickets(data, { cursor: first.after_cursor, include: [], excludeDeleted: false }, options)!;
    const third = exportTickets(data, { cursor: second.after_cursor, include: [], excludeDeleted: false }, options)!;
    expect([first, second, third].map((p) => [p.tickets.length, p.end_of_stream])).toEqual([
      [1000, false],
      [1000, false],
      [500, true],
    ]);
    const ids = [first, second, third].flatMap((p) => p.tickets.map((t) => t.id));
    expect(new Set(ids).size).toBe(2500);
    const stamps = [first, second, third].flatMap((p) => p.tickets.map((t) => t.generated_timestamp));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(third.after_url).toBe(`https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(third.after_cursor)}`);
    // Nothing new: the same cursor comes back with an empty page.
    expect(exportTickets(data, { cursor: third.after_cursor, include: [], excludeDeleted: false }, options)).toMatchObject({
      tickets: [],
      after_cursor: third.after_cursor,
      end_of_stream: true,
    });
  });

  it('encodes cursors like Zendesk’s (base64 of "ts.0||id|")', () => {
    expect(Buffer.from(encodeCursor({ ts: 1576613539, id: 467 }), 'base64').toString()).toBe('1576613539.0||467|');
    expect(decodeCursor('MTU3NjYxMzUzOS4wfHw0Njd8')).toEqual({ ts: 1576613539, id: 467 });
    expect(decodeCursor('bm90IGEgY3Vyc29y')).toBeUndefined();
  });
});

describe('the Zendesk sandbox over HTTP', () => {
  let sandbox: ZendeskSandbox;
  let listening: ListeningSandbox;
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${listening.url}${path}`, { ...init, headers: { authorization: ADMIN_AUTH, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  beforeEach(async () => {
    sandbox = new ZendeskSandbox({ seed: 2, now: () => start, tickets: 5, webhookRetryDelayMs: 1 });
    listening = await listenSandbox(sandbox);
  });
  afterEach(async () => {
    await sandbox.webhooksDelivered();
    await listening.close();
  });

  it('answers bad credentials with 401 and Zendesk’s body', async () => {
    const response = await fetch(`${listening.url}/api/v2/users/me.json`, { headers: { authorization: 'Basic bm9ib2R5' } });
    expect([response.status, await response.json()]).toEqual([401, { error: "Couldn't authenticate you" }]);
  });

  it('limits each token per rolling minute with 429, Retry-After and rate-limit headers', async () => {
    await listening.close();
    sandbox = new ZendeskSandbox({ seed: 2, now: () => start, tickets: 5, requestsPerMinute: 3 });
    listening = await listenSandbox(sandbox);
    for (const remaining of ['2', '1', '0']) {
      const ok = await call('/api/v2/users/me.json');
      expect([ok.status, ok.headers.get('x-rate-limit'), ok.headers.get('x-rate-limit-remaining')]).toEqual([200, '3', remaining]);
    }
    sandbox.advanceClock(20_000);
    const limited = await call('/api/v2/users/me.json');
    expect([limited.status, limited.headers.get('retry-after'), await limited.json()]).toEqual([
      429,
      '40',
      { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' },
    ]);
    const oauth = await fetch(`${listening.url}/api/v2/users/me.json`, { headers: { authorization: `Bearer ${SANDBOX_DEFAULTS.oauthToken}` } });
    expect(oauth.status).toBe(200);
    sandbox.advanceClock(40_000);
    expect((await call('/api/v2/users/me.json')).status).toBe(200);
    expect(sandbox.calls()).toBe(6);
  });

  it('applies a PUT: custom fields, tags replaced, a private comment; ignores additional_tags/remove_tags; refuses a closed ticket with 422', async () => {
    const id = sandbox.createTicket({ requesterEmail: 'new.person@example.test' }).id;
    const put = (body: unknown) => call(`/api/v2/tickets/${id}.json`, { method: 'PUT', body: JSON.stringify(body) });
    expect(
      (
        await put({
          ticket: {
            tags: ['a', 'b'],
            custom_fields: [
              { id: SANDBOX_DEFAULTS.npsScoreFieldId, value: 7 },
              { id: 42, value: 'ignored' },
            ],
          },
        })
      ).status,
    ).toBe(200);
    // Zendesk: additional_tags and remove_tags only work with bulk updates; a single-ticket PUT ignores them.
    expect((await put({ ticket: { additional_tags: ['nps_passive'], remove_tags: ['a'], comment: { body: 'note', public: false } } })).status).toBe(200);
    const ticket = sandbox.ticket(id)!;
    expect([ticket.tags, ticket.custom_fields, ticket.comments.map((c) => [c.body, c.public])]).toEqual([
      ['a', 'b'],
      [{ id: SANDBOX_DEFAULTS.npsScoreFieldId, value: 7 }],
      [
        ['Please help.', true],
        ['note', false],
      ],
    ]);
    sandbox.solveTicket(id);
    sandbox.closeTicket(id);
    const refused = await put({ ticket: { tags: ['late'] } });
    expect([refused.status, await refused.json()]).toEqual([
      422,
      { error: 'RecordInvalid', description: 'Record validation errors', details: { status: [{ description: 'Status: closed prevents ticket update', error: 'InvalidValue' }] } },
    ]);
    const comments = await json<{ count: number }>(await call(`/api/v2/tickets/${id}/comments.json`));
    expect(comments.count).toBe(2);
  });

  it('serves the Tags API on a ticket: PUT adds, POST sets, DELETE removes, each answering the tags; closed tickets refuse', async () => {
    const id = sandbox.createTicket({ requesterEmail: 'tags.person@example.test' }).id;
    const tags = (method: string, body?: unknown) => call(`/api/v2/tickets/${id}/tags.json`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const answered = async (response: Response) => [response.status, await response.json()];
    expect(await answered(await tags('POST', { tags: ['export', 'vip'] }))).toEqual([200, { tags: ['export', 'vip'] }]);
    expect(await answered(await tags('PUT', { tags: ['nps_promoter', 'vip'] }))).toEqual([200, { tags: ['export', 'vip', 'nps_promoter'] }]);
    expect(await answered(await tags('PUT', { tags: ['nps_promoter'] }))).toEqual([200, { tags: ['export', 'vip', 'nps_promoter'] }]);
    expect(await answered(await tags('DELETE', { tags: ['vip'] }))).toEqual([200, { tags: ['export', 'nps_promoter'] }]);
    expect(await answered(await tags('GET'))).toEqual([200, { tags: ['export', 'nps_promoter'] }]);
    expect((await tags('PUT', { tag: 'x' })).status).toBe(400);
    expect(sandbox.ticket(id)!.tags).toEqual(['export', 'nps_promoter']);
    sandbox.solveTicket(id);
    sandbox.closeTicket(id);
    expect((await tags('PUT', { tags: ['late'] })).status).toBe(422);
    expect(sandbox.ticket(id)!.tags).toEqual(['export', 'nps_promoter']);
  });

  it('refuses a task ticket without due_at and a follow-up of a ticket that is not closed', async () => {
    const create = (ticket: unknown) => call('/api/v2/tickets.json', { method: 'POST', body: JSON.stringify({ ticket }) });
    const task = await create({ subject: 't', comment: { body: 'b', public: false }, type: 'task' });
    expect([task.status, (await json<{ details: unknown }>(task)).details]).toEqual([
      422,
      { due_at: [{ description: 'Due date: cannot be blank for a task', error: 'BlankValue' }] },
    ]);
    const open = sandbox.createTicket({ requesterEmail: 'x@example.test' }).id;
    const followUp = await create({ subject: 'f', comment: { body: 'b' }, via_followup_source_id: open });
    expect(followUp.status).toBe(422);
  });

  it('takes mutations over HTTP, and retries a webhook delivery that got a 5xx', async () => {
    const statuses = [503, 200];
    const bodies: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => (bodies.push(body), res.writeHead(statuses.shift() ?? 200).end()));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      const webhook = await json<{ webhook: { id: string } }>(
        await call('/api/v2/webhooks', {
          method: 'POST',
          body: JSON.stringify({ webhook: { name: 'w', endpoint, http_method: 'POST', request_format: 'json', status: 'active', subscriptions: ['conditional_ticket_events'] } }),
        }),
      );
      const trigger = {
        title: 't',
        conditions: { all: [{ field: 'status', operator: 'value', value: 'solved' }] },
        actions: [{ field: 'notification_webhook', value: [webhook.webhook.id, '{"id":"{{ticket.id}}","status":"{{ticket.status}}"}'] }],
      };
      expect((await call('/api/v2/triggers.json', { method: 'POST', body: JSON.stringify({ trigger }) })).status).toBe(201);

      const created = await json<{ result: { id: number } }>(
        await fetch(`${listening.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify({ action: 'createTicket', requesterEmail: 'y@example.test' }) }),
      );
      const solved = await fetch(`${listening.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify({ action: 'solveTicket', id: created.result.id }) });
      expect(solved.status).toBe(200);
      await sandbox.webhooksDelivered();

      expect(bodies).toEqual(Array(2).fill(`{"id":"${created.result.id}","status":"Solved"}`));
      const calls = sandbox.webhookCalls();
      expect(calls.map((c) => [c.attempt, c.status])).toEqual([
        [1, 503],
        [2, 200],
      ]);
      expect(calls[0].headers['x-zendesk-webhook-invocation-id']).toBe(calls[1].headers['x-zendesk-webhook-invocation-id']);
      // Reopening and solving again is a new change to solved: the trigger fires again.
      sandbox.reopenTicket(created.result.id);
      sandbox.solveTicket(created.result.id);
      await sandbox.webhooksDelivered();
      expect(sandbox.webhookCalls()).toHaveLength(3);
      const refused = await fetch(`${listening.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify({ action: 'explode' }) });
      expect([refused.status, await refused.json()]).toEqual([400, { ok: false, error: 'unknown sandbox action "explode"' }]);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
