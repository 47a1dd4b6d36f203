import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SANDBOX_DEFAULTS, ZendeskSandbox } from './';
import { ListeningSandbox, listenSandbox } from '../kit/sandbox';

const start = Date.parse('2026-03-02T09:00:00Z');
const ADMIN_AUTH = `Basic ${Buffer.from(`${SANDBOX_DEFAULTS.adminEmail}/token:${SANDBOX_DEFAULTS.apiToken}`).toString('base64')}`;
const SCORE = SANDBOX_DEFAULTS.npsScoreFieldId;
const json = async <T>(response: Response) => (await response.json()) as T;
type Details = { error: string; description: string; details?: Record<string, Array<Record<string, unknown>>> };

describe('the Zendesk sandbox writes', () => {
  let sandbox: ZendeskSandbox;
  let listening: ListeningSandbox;
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${listening.url}${path}`, { ...init, headers: { authorization: ADMIN_AUTH, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => call(path, { method: 'POST', body: JSON.stringify(body), headers });
  const put = (path: string, body: unknown) => call(path, { method: 'PUT', body: JSON.stringify(body) });
  const control = async <T>(path: string) => json<T>(await fetch(`${listening.url}/_sandbox/${path}`));
  const mutate = (mutation: unknown) => fetch(`${listening.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify(mutation) });
  const requester = () => [...sandbox.data.users.values()].find((u) => u.role === 'end-user')!;
  const newTicket = (ticket: Record<string, unknown>, headers: Record<string, string> = {}) =>
    post('/api/v2/tickets.json', { ticket: { subject: 's', comment: { body: 'b', public: false }, requester_id: requester().id, ...ticket } }, headers);

  beforeEach(async () => {
    sandbox = new ZendeskSandbox({ seed: 4, now: () => start, tickets: 3, webhookRetryDelayMs: 1 });
    listening = await listenSandbox(sandbox);
  });
  afterEach(async () => {
    await sandbox.webhooksDelivered();
    await listening.close();
  });

  describe('ticket fields', () => {
    it('lists system and custom fields by id with cursor pagination, by position without', async () => {
      const paged = await json<{ ticket_fields: Array<{ id: number; type: string; title: string; removable: boolean }>; meta: { has_more: boolean } }>(
        await call('/api/v2/ticket_fields.json?page[size]=3'),
      );
      expect(paged.ticket_fields.map((f) => f.type)).toEqual(['integer', 'subject', 'description']);
      expect(paged.meta.has_more).toBe(true);
      const all = await json<{ ticket_fields: Array<{ id: number; title: string; removable: boolean }> }>(await call('/api/v2/ticket_fields.json'));
      expect(all.ticket_fields.map((f) => f.title)).toEqual(['Subject', 'Description', 'Status', 'Type', 'Priority', 'Group', 'Assignee', 'NPS score']);
      expect(all.ticket_fields.filter((f) => f.removable).map((f) => f.id)).toEqual([SCORE]);
    });

    it('creates a field with type and title, and refuses one without either, of an unknown type, or a drop-down without options', async () => {
      const created = await post('/api/v2/ticket_fields.json', { ticket_field: { type: 'decimal', title: 'CSAT', agent_description: 'for agents' } });
      const field = (await json<{ ticket_field: { id: number; type: string; title: string; active: boolean; agent_description: string } }>(created)).ticket_field;
      expect([created.status, field.type, field.title, field.active, field.agent_description]).toEqual([201, 'decimal', 'CSAT', true, 'for agents']);
      expect(sandbox.data.ticketFields.get(field.id)?.removable).toBe(true);

      const refusals = await Promise.all(
        [{ type: 'integer' }, { title: 'No type' }, { type: 'number', title: 'Wrong type' }, { type: 'tagger', title: 'Tier' }].map(async (ticket_field) => {
          const response = await post('/api/v2/ticket_fields.json', { ticket_field });
          return [response.status, Object.entries((await json<Details>(response)).details ?? {}).map(([key, list]) => [key, list[0].error])];
        }),
      );
      expect(refusals).toEqual([
        [422, [['title', 'BlankValue']]],
        [422, [['type', 'BlankValue']]],
        [422, [['type', 'InvalidValue']]],
        [422, [['custom_field_options', 'BlankValue']]],
      ]);
    });
  });

  describe('tickets', () => {
    it('stores external_id and lists live tickets by it, oldest first', async () => {
      const ids: number[] = [];
      for (const externalId of ['fu-1', 'fu-2', 'fu-1']) ids.push((await json<{ ticket: { id: number } }>(await newTicket({ external_id: externalId }))).ticket.id);
      sandbox.deleteTicket(ids[2]);
      const again = (await json<{ ticket: { id: number } }>(await newTicket({ external_id: 'fu-1' }))).ticket.id;
      const listed = await json<{ tickets: Array<{ id: number; external_id: string }> }>(await call('/api/v2/tickets.json?external_id=fu-1&page[size]=100'));
      expect(listed.tickets.map((t) => [t.id, t.external_id])).toEqual([
        [ids[0], 'fu-1'],
        [again, 'fu-1'],
      ]);
      expect((await json<{ tickets: unknown[] }>(await call('/api/v2/tickets.json?external_id=FU-1'))).tickets).toEqual([]);
    });

    it('keeps a due date on task tickets only, and refuses one that is not a date', async () => {
      const question = (await json<{ ticket: { id: number; due_at: string | null } }>(await newTicket({ type: 'question', due_at: '2026-03-04T09:00:00Z' }))).ticket;
      expect(question.due_at).toBeNull();
      const task = (await json<{ ticket: { id: number; due_at: string } }>(await newTicket({ type: 'task', due_at: '2026-03-04T09:00:00.000Z' }))).ticket;
      expect(task.due_at).toBe('2026-03-04T09:00:00Z');
      const bad = await newTicket({ type: 'task', due_at: 'next week' });
      expect([bad.status, (await json<Details>(bad)).details]).toEqual([422, { due_at: [{ description: 'Due date: "next week" is not a date', error: 'InvalidValue' }] }]);
      // Turning the task into a question drops its due date.
      await put(`/api/v2/tickets/${task.id}.json`, { ticket: { type: 'question' } });
      expect(sandbox.ticket(task.id)!.due_at).toBeNull();
    });

    it('refuses a group that does not exist on create and on update', async () => {
      const created = await newTicket({ group_id: 999 });
      expect([created.status, (await json<Details>(created)).details]).toEqual([422, { group_id: [{ description: 'Group: 999 is not a group', error: 'InvalidValue' }] }]);
      const id = (await json<{ ticket: { id: number } }>(await newTicket({ group_id: 200 }))).ticket.id;
      expect((await put(`/api/v2/tickets/${id}.json`, { ticket: { group_id: 999 } })).status).toBe(422);
      expect((await put(`/api/v2/tickets/${id}.json`, { ticket: { group_id: 201 } })).status).toBe(200);
      expect(sandbox.ticket(id)!.group_id).toBe(201);
    });

    it('drops values for fields that do not exist, takes an integer as a number or its text, and refuses anything else whole', async () => {
      const id = (await json<{ ticket: { id: number } }>(await newTicket({}))).ticket.id;
      expect(sandbox.ticket(id)!.custom_fields).toEqual([{ id: SCORE, value: null }]);
      const system = [...sandbox.data.ticketFields.values()].find((f) => f.type === 'subject')!.id;
      const ok = await put(`/api/v2/tickets/${id}.json`, {
        ticket: {
          custom_fields: [
            { id: 42, value: 'x' },
            { id: system, value: 'y' },
            { id: SCORE, value: '7' },
          ],
        },
      });
      expect([ok.status, sandbox.ticket(id)!.custom_fields]).toEqual([200, [{ id: SCORE, value: 7 }]]);

      const refused = await put(`/api/v2/tickets/${id}.json`, {
        ticket: { custom_fields: [{ id: SCORE, value: 'nine' }], comment: { body: 'should not land', public: false }, tags: ['x'] },
      });
      expect([refused.status, await refused.json()]).toEqual([
        422,
        {
          error: 'RecordInvalid',
          description: 'Record validation errors',
          details: { base: [{ description: 'NPS score: is not a number', error: 'InvalidValue', ticket_field_id: SCORE, ticket_field_type: 'FieldInteger' }] },
        },
      ]);
      expect([sandbox.ticket(id)!.comments.length, sandbox.ticket(id)!.tags, sandbox.ticket(id)!.custom_fields]).toEqual([1, [], [{ id: SCORE, value: 7 }]]);
      expect((await put(`/api/v2/tickets/${id}.json`, { ticket: { custom_fields: [{ id: SCORE, value: 7.5 }] } })).status).toBe(422);
      await put(`/api/v2/tickets/${id}.json`, { ticket: { custom_fields: [{ id: SCORE, value: null }] } });
      expect(sandbox.ticket(id)!.custom_fields).toEqual([{ id: SCORE, value: null }]);
    });

    it('keeps a drop-down value only when it is one of the field’s tags, without an error otherwise', async () => {
      const created = await post('/api/v2/ticket_fields.json', { ticket_field: { type: 'tagger', title: 'Tier', custom_field_options: [{ name: 'Gold', value: 'tier_gold' }] } });
      const tier = (await json<{ ticket_field: { id: number } }>(created)).ticket_field.id;
      const id = (await json<{ ticket: { id: number } }>(await newTicket({}))).ticket.id;
      expect((await put(`/api/v2/tickets/${id}.json`, { ticket: { custom_fields: [{ id: tier, value: 'tier_platinum' }] } })).status).toBe(200);
      expect(sandbox.ticket(id)!.custom_fields).toEqual([
        { id: SCORE, value: null },
        { id: tier, value: null },
      ]);
      await put(`/api/v2/tickets/${id}.json`, { ticket: { custom_fields: [{ id: tier, value: 'tier_gold' }] } });
      expect(sandbox.ticket(id)!.custom_fields).toEqual([
        { id: SCORE, value: null },
        { id: tier, value: 'tier_gold' },
      ]);
    });
  });

  describe('idempotency keys on ticket creates', () => {
    it('replays the first answer for the same key and parameters, refuses other parameters, and creates twice without a key', async () => {
      const first = await newTicket({ external_id: 'k-1' }, { 'Idempotency-Key': 'key-1' });
      const replay = await newTicket({ external_id: 'k-1' }, { 'Idempotency-Key': 'key-1' });
      const firstId = (await json<{ ticket: { id: number } }>(first)).ticket.id;
      expect([first.status, first.headers.get('x-idempotency-lookup')]).toEqual([201, 'miss']);
      expect([replay.status, replay.headers.get('x-idempotency-lookup'), (await json<{ ticket: { id: number } }>(replay)).ticket.id]).toEqual([201, 'hit', firstId]);
      const other = await newTicket({ external_id: 'k-2' }, { 'Idempotency-Key': 'key-1' });
      expect([other.status, (await json<Details>(other)).error]).toEqual([400, 'IdempotentRequestError']);
      await newTicket({ external_id: 'k-3' });
      await newTicket({ external_id: 'k-3' });
      expect(sandbox.createdTickets().map((t) => t.external_id)).toEqual(['k-1', 'k-3', 'k-3']);
      // Two hours later the key is forgotten.
      sandbox.advanceClock(2 * 3_600_000);
      expect((await newTicket({ external_id: 'k-1' }, { 'Idempotency-Key': 'key-1' })).headers.get('x-idempotency-lookup')).toBe('miss');
    });
  });

  describe('mutations', () => {
    it('closes only solved tickets, as Zendesk’s automation does', async () => {
      const id = sandbox.createTicket({ requesterEmail: 'x@example.test' }).id;
      const refused = await mutate({ action: 'closeTicket', id });
      expect([refused.status, await refused.json()]).toEqual([400, { ok: false, error: `ticket ${id} is open; only a solved ticket closes` }]);
      await mutate({ action: 'solveTicket', id });
      expect((await mutate({ action: 'closeTicket', id })).status).toBe(200);
      expect(sandbox.ticket(id)!.status).toBe('closed');
    });

    it('answers every API request 503 with Retry-After during an outage, and nothing changes', async () => {
      expect((await mutate({ action: 'outage', on: true, retryAfterSeconds: 45 })).status).toBe(200);
      const during = await call('/api/v2/users/me.json');
      expect([during.status, during.headers.get('retry-after'), await during.json()]).toEqual([
        503,
        '45',
        { error: 'ServiceUnavailable', description: 'Zendesk is temporarily unavailable' },
      ]);
      expect((await newTicket({ external_id: 'during' })).status).toBe(503);
      expect(sandbox.createdTickets()).toEqual([]);
      await mutate({ action: 'outage', on: false });
      expect((await call('/api/v2/users/me.json')).status).toBe(200);
    });

    it('failAfterWrite creates the ticket, answers 503, and a resend under the same key gets the first ticket', async () => {
      await mutate({ action: 'failAfterWrite', count: 1 });
      const lost = await newTicket({ external_id: 'lost-1' }, { 'Idempotency-Key': 'nps-bridge:lost-1' });
      expect([lost.status, lost.headers.get('retry-after')]).toEqual([503, '1']);
      const [made] = sandbox.createdTickets();
      expect(made.external_id).toBe('lost-1');
      const resent = await newTicket({ external_id: 'lost-1' }, { 'Idempotency-Key': 'nps-bridge:lost-1' });
      expect([resent.status, (await json<{ ticket: { id: number } }>(resent)).ticket.id]).toEqual([201, made.id]);
      expect(sandbox.createdTickets()).toHaveLength(1);
    });
  });

  describe('inspection over HTTP', () => {
    it('shows a ticket’s full state, the tickets created and the write calls received', async () => {
      const id = (
        await json<{ ticket: { id: number } }>(
          await newTicket({ type: 'task', due_at: '2026-03-04T09:00:00Z', group_id: 200, tags: ['nps_bridge'], external_id: 'fu-9' }, { 'Idempotency-Key': 'nps-bridge:fu-9' }),
        )
      ).ticket.id;
      await put(`/api/v2/tickets/${id}/tags.json`, { tags: ['nps_detractor'] });
      await put(`/api/v2/tickets/${id}.json`, { ticket: { custom_fields: [{ id: SCORE, value: 3 }], comment: { body: 'note', public: false } } });

      const { ticket } = await control<{ ticket: Record<string, unknown> }>(`tickets/${id}`);
      expect(ticket).toMatchObject({
        status: 'new',
        type: 'task',
        tags: ['nps_bridge', 'nps_detractor'],
        custom_fields: [{ id: SCORE, value: 3 }],
        due_at: '2026-03-04T09:00:00Z',
        group_id: 200,
        external_id: 'fu-9',
        via_followup_source_id: null,
        comments: [expect.objectContaining({ body: 'b', public: false }), expect.objectContaining({ body: 'note', public: false })],
      });
      expect((await control<{ tickets: Array<{ id: number }> }>('created-tickets')).tickets.map((t) => t.id)).toEqual([id]);
      const { calls } = await control<{
        calls: Array<{ method: string; url: string; status: number; idempotencyKey: string | null; idempotencyLookup: string | null; body: unknown }>;
      }>('write-calls');
      expect(calls.map((c) => [c.method, c.url, c.status, c.idempotencyKey, c.idempotencyLookup])).toEqual([
        ['POST', '/api/v2/tickets.json', 201, 'nps-bridge:fu-9', 'miss'],
        ['PUT', `/api/v2/tickets/${id}/tags.json`, 200, null, null],
        ['PUT', `/api/v2/tickets/${id}.json`, 200, null, null],
      ]);
      expect(calls[1].body).toEqual({ tags: ['nps_detractor'] });
      expect(calls[2].body).toEqual({ ticket: { custom_fields: [{ id: SCORE, value: 3 }], comment: { body: 'note', public: false } } });
      expect((await fetch(`${listening.url}/_sandbox/tickets/99999`)).status).toBe(404);
    });
  });

  describe('triggers', () => {
    let receiver: Server;
    let bodies: string[];

    beforeEach(async () => {
      bodies = [];
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => (bodies.push(body), res.writeHead(200).end()));
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    });
    afterEach(async () => {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    });

    it('skip tickets whose tags include one a current_tags not_includes condition lists, and render {{ticket.tags}} space-separated', async () => {
      const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const webhook = await json<{ webhook: { id: string } }>(
        await post('/api/v2/webhooks', {
          webhook: { name: 'w', endpoint, http_method: 'POST', request_format: 'json', status: 'active', subscriptions: ['conditional_ticket_events'] },
        }),
      );
      const conditions = {
        all: [
          { field: 'status', operator: 'value', value: 'solved' },
          { field: 'current_tags', operator: 'not_includes', value: 'nps_bridge other_tag' },
        ],
      };
      const actions = [{ field: 'notification_webhook', value: [webhook.webhook.id, '{"id":"{{ticket.id}}","tags":"{{ticket.tags}}"}'] }];
      expect((await post('/api/v2/triggers.json', { trigger: { title: 't', conditions, actions } })).status).toBe(201);

      const ours = (await json<{ ticket: { id: number } }>(await newTicket({ tags: ['nps_bridge', 'nps_detractor'] }))).ticket.id;
      const theirs = (await json<{ ticket: { id: number } }>(await newTicket({ tags: ['VIP', 'export'] }))).ticket.id;
      sandbox.solveTicket(ours);
      sandbox.solveTicket(theirs);
      await sandbox.webhooksDelivered();
      expect(bodies).toEqual([`{"id":"${theirs}","tags":"vip export"}`]);
    });
  });
});
