import nock from 'nock';
import { VendorError } from '@connectors/core/src';
import { ZendeskConnector, zendeskConnector } from './';

const ZENDESK = 'https://acme.zendesk.com';
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };
const SCORE_FIELD = 360000000001;
const CLOSED_422 = {
  error: 'RecordInvalid',
  description: 'Record validation errors',
  details: { status: [{ description: 'Status: closed prevents ticket update', error: 'InvalidValue' }] },
};
const UNAVAILABLE = { error: 'ServiceUnavailable', description: 'Zendesk is temporarily unavailable' };

function connect(): ZendeskConnector {
  return zendeskConnector.create({
    credentials: { authType: 'api_token', subdomain: 'acme', email: 'admin@acme.test', apiToken: 'tok' },
    settings: zendeskConnector.withDefaults({ npsScoreFieldId: SCORE_FIELD, requestsPerMinute: 2500 }),
    sleep: async () => undefined,
  }) as unknown as ZendeskConnector;
}

const WRITE_BACK = {
  score: 4,
  tags: ['nps_detractor'],
  privateNote: 'NPS 4 (detractor) from Dana Scully <dana.scully@acme.test>: "Exports keep failing"',
};

const TASK = {
  subject: 'Detractor: call Dana Scully (ACME Corp) about ticket #4711',
  body: 'Score 4. "Exports keep failing". Call within 48 h and record the action.',
  type: 'task' as const,
  dueAt: new Date(Date.parse('2026-03-03T09:00:00Z') + 48 * 3_600_000),
  groupId: '360004',
  requesterId: '36201',
  tags: ['nps_detractor'],
  externalId: 'fu-7f3a',
};

const TASK_REQUEST = {
  ticket: {
    subject: TASK.subject,
    comment: { body: TASK.body, public: false },
    type: 'task',
    due_at: '2026-03-05T09:00:00.000Z',
    group_id: 360004,
    requester_id: 36201,
    tags: ['nps_bridge', 'nps_detractor'],
    external_id: 'fu-7f3a',
  },
};

/** Records the Idempotency-Key of every ticket create nock answers. */
function keysOf(scope: nock.Scope): string[] {
  const keys: string[] = [];
  scope.on('request', (req: { method: string; path: string; headers: Record<string, string> }) => {
    if (req.method === 'POST' && req.path === '/api/v2/tickets.json') keys.push(req.headers['idempotency-key']);
  });
  return keys;
}

describe('ZendeskConnector ticket writes', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  // Restore too: node:http is shared by the worker's test files, and a hook left behind breaks the next file's nock.
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('adds the tag through the Tags API, then puts the score field and a private note on the ticket: two calls', async () => {
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/4711/tags.json', { tags: ['nps_detractor'] })
      .reply(200, { tags: ['export', 'nps_detractor'] }, JSON_HEADERS)
      .put('/api/v2/tickets/4711.json', {
        ticket: {
          custom_fields: [{ id: SCORE_FIELD, value: 4 }],
          comment: { body: WRITE_BACK.privateNote, public: false },
        },
      })
      .reply(200, { ticket: { id: 4711, status: 'solved' } }, JSON_HEADERS);
    const connector = connect();
    await connector.updateTicket('4711', WRITE_BACK);
    expect(scope.isDone()).toBe(true);
    expect(connector.apiCalls()).toBe(2);
  });

  it('leaves the score to the tag and the note when the connection has no score field', async () => {
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/4711/tags.json', { tags: ['nps_detractor'] })
      .reply(200, { tags: ['nps_detractor'] }, JSON_HEADERS)
      .put('/api/v2/tickets/4711.json', { ticket: { comment: { body: WRITE_BACK.privateNote, public: false } } })
      .reply(200, { ticket: { id: 4711, status: 'solved' } }, JSON_HEADERS);
    const connector = zendeskConnector.create({
      credentials: { authType: 'api_token', subdomain: 'acme', email: 'admin@acme.test', apiToken: 'tok' },
      settings: zendeskConnector.withDefaults({ requestsPerMinute: 2500 }),
      sleep: async () => undefined,
    });
    await connector.updateTicket('4711', WRITE_BACK);
    expect(scope.isDone()).toBe(true);
  });

  it('sends only what is given: tags alone are one Tags API call, never additional_tags on the ticket', async () => {
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/4711/tags.json', { tags: ['nps_promoter'] })
      .reply(200, { tags: ['nps_promoter'] }, JSON_HEADERS);
    const connector = connect();
    await connector.updateTicket('4711', { tags: ['nps_promoter'] });
    expect(scope.isDone()).toBe(true);
    expect(connector.apiCalls()).toBe(1);
  });

  it('adds the tag again after a lost answer: adding a tag twice is harmless', async () => {
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/4711/tags.json', { tags: ['nps_promoter'] })
      .reply(503, UNAVAILABLE, { ...JSON_HEADERS, 'Retry-After': '1' })
      .put('/api/v2/tickets/4711/tags.json', { tags: ['nps_promoter'] })
      .reply(200, { tags: ['nps_promoter'] }, JSON_HEADERS);
    await connect().updateTicket('4711', { tags: ['nps_promoter'] });
    expect(scope.isDone()).toBe(true);
  });

  it('writes back on the ticket itself while Zendesk accepts the update', async () => {
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/4711/tags.json')
      .reply(200, { tags: ['nps_detractor'] }, JSON_HEADERS)
      .put('/api/v2/tickets/4711.json')
      .reply(200, { ticket: { id: 4711 } }, JSON_HEADERS);
    expect(await connect().writeBackToTicket('4711', WRITE_BACK, { externalId: 'wb-1' })).toEqual({ ticketId: '4711', followUpOf: null });
    expect(scope.isDone()).toBe(true);
  });

  it('puts the write-back on a follow-up ticket (via_followup_source_id, our external id) when the ticket is closed', async () => {
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/4698/tags.json')
      .reply(422, CLOSED_422, JSON_HEADERS)
      .get('/api/v2/tickets/4698.json')
      .reply(200, { ticket: { id: 4698, status: 'closed', requester_id: 36201, group_id: 360004, organization_id: 7301 } }, JSON_HEADERS)
      .post('/api/v2/tickets.json', {
        ticket: {
          subject: 'Your NPS answer about request #4698',
          comment: { body: WRITE_BACK.privateNote, public: false },
          type: 'question',
          group_id: 360004,
          requester_id: 36201,
          tags: ['nps_bridge', 'nps_detractor'],
          custom_fields: [{ id: SCORE_FIELD, value: 4 }],
          via_followup_source_id: 4698,
          external_id: 'wb-4698',
        },
      })
      .matchHeader('idempotency-key', 'nps-bridge:wb-4698')
      .reply(201, { ticket: { id: 4800, status: 'new' } }, JSON_HEADERS);

    const result = await connect().writeBackToTicket('4698', WRITE_BACK, { followUpSubject: 'Your NPS answer about request #4698', externalId: 'wb-4698' });
    expect(result).toEqual({ ticketId: '4800', followUpOf: '4698' });
    expect(scope.isDone()).toBe(true);
  });

  it('names the follow-up after the closed ticket when no subject is given', async () => {
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/4698/tags.json')
      .reply(422, CLOSED_422, JSON_HEADERS)
      .get('/api/v2/tickets/4698.json')
      .reply(200, { ticket: { id: 4698, status: 'closed', requester_id: 36201, group_id: null } }, JSON_HEADERS)
      .post(
        '/api/v2/tickets.json',
        (body: { ticket: { subject: string; group_id?: number; external_id?: string } }) =>
          body.ticket.subject === 'NPS response on closed ticket #4698' && body.ticket.group_id === undefined && body.ticket.external_id === undefined,
      )
      .reply(201, { ticket: { id: 4801 } }, JSON_HEADERS);
    expect(await connect().writeBackToTicket('4698', WRITE_BACK)).toEqual({ ticketId: '4801', followUpOf: '4698' });
    expect(scope.isDone()).toBe(true);
  });

  it('throws any other 422 as Zendesk said it', async () => {
    const invalid = { error: 'RecordInvalid', description: 'Record validation errors', details: { base: [{ description: 'NPS score: is not a number' }] } };
    nock(ZENDESK)
      .put('/api/v2/tickets/4711/tags.json')
      .reply(200, { tags: ['nps_detractor'] }, JSON_HEADERS)
      .put('/api/v2/tickets/4711.json')
      .reply(422, invalid, JSON_HEADERS)
      .get('/api/v2/tickets/4711.json')
      .reply(200, { ticket: { id: 4711, status: 'solved', requester_id: 1, group_id: null } }, JSON_HEADERS);
    const error = await connect()
      .writeBackToTicket('4711', WRITE_BACK)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect([(error as VendorError).kind, (error as VendorError).message, (error as VendorError).details]).toEqual([
      'invalid',
      'Record validation errors: NPS score: is not a number',
      { status: 422, code: 'RecordInvalid' },
    ]);
  });

  it('creates a detractor task: type task, due in 48 h, the group, our tag and external id, an idempotency key from it', async () => {
    const scope = nock(ZENDESK)
      .post('/api/v2/tickets.json', TASK_REQUEST)
      .matchHeader('idempotency-key', 'nps-bridge:fu-7f3a')
      .reply(201, { ticket: { id: 4801, type: 'task' } }, JSON_HEADERS);
    expect(await connect().createTicket(TASK)).toBe('4801');
    expect(scope.isDone()).toBe(true);
  });

  it('sends an external id already in our namespace as the Idempotency-Key once, not prefixed twice', async () => {
    const externalId = 'nps-bridge:follow-up:5f0c';
    const scope = nock(ZENDESK)
      .post('/api/v2/tickets.json', { ticket: { ...TASK_REQUEST.ticket, external_id: externalId } })
      .reply(201, { ticket: { id: 4805, type: 'task' } }, JSON_HEADERS);
    const keys = keysOf(scope);
    expect(await connect().createTicket({ ...TASK, externalId })).toBe('4805');
    expect(scope.isDone()).toBe(true);
    expect(keys).toEqual(['nps-bridge:follow-up:5f0c']);
  });

  it('refuses a task without a due date before calling Zendesk', async () => {
    const connector = connect();
    await expect(connector.createTicket({ subject: 's', body: 'b', type: 'task' })).rejects.toThrow('a task ticket needs dueAt');
    expect(connector.apiCalls()).toBe(0);
  });

  it('finds tickets by external id through every page, oldest first, ignoring others Zendesk may list', async () => {
    const scope = nock(ZENDESK)
      .get('/api/v2/tickets.json')
      .query({ external_id: 'fu-7f3a', 'page[size]': '100' })
      .reply(
        200,
        {
          tickets: [
            { id: 4907, external_id: 'fu-7f3a' },
            { id: 12, external_id: 'someone-else' },
          ],
          meta: { has_more: true, after_cursor: 'c1' },
        },
        JSON_HEADERS,
      )
      .get('/api/v2/tickets.json')
      .query({ external_id: 'fu-7f3a', 'page[size]': '100', 'page[after]': 'c1' })
      .reply(200, { tickets: [{ id: 4801, external_id: 'fu-7f3a' }], meta: { has_more: false, after_cursor: 'c2' } }, JSON_HEADERS);
    expect(await connect().findTicketsByExternalId('fu-7f3a')).toEqual(['4801', '4907']);
    expect(scope.isDone()).toBe(true);
  });

  describe('when an answer is lost', () => {
    it('looks for the external id before creating again, and does not resend when the ticket is there', async () => {
      const scope = nock(ZENDESK)
        .post('/api/v2/tickets.json', TASK_REQUEST)
        .reply(503, UNAVAILABLE, JSON_HEADERS)
        .get('/api/v2/tickets.json')
        .query({ external_id: 'fu-7f3a', 'page[size]': '100' })
        .reply(200, { tickets: [{ id: 4802, external_id: 'fu-7f3a' }], meta: { has_more: false } }, JSON_HEADERS);
      const connector = connect();
      expect(await connector.createTicket(TASK)).toBe('4802');
      expect(scope.isDone()).toBe(true);
      expect(connector.apiCalls()).toBe(2);
    });

    it('sends again with the same idempotency key when the lookup finds nothing (a connection reset counts as lost)', async () => {
      const scope = nock(ZENDESK)
        .post('/api/v2/tickets.json', TASK_REQUEST)
        .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
        .get('/api/v2/tickets.json')
        .query(true)
        .reply(200, { tickets: [], meta: { has_more: false } }, JSON_HEADERS)
        .post('/api/v2/tickets.json', TASK_REQUEST)
        .reply(201, { ticket: { id: 4803 } }, { ...JSON_HEADERS, 'x-idempotency-lookup': 'miss' });
      const keys = keysOf(scope);
      expect(await connect().createTicket(TASK)).toBe('4803');
      expect(scope.isDone()).toBe(true);
      expect(keys).toEqual(['nps-bridge:fu-7f3a', 'nps-bridge:fu-7f3a']);
    });

    it('resends after a 429 without looking: Zendesk refused it before doing anything', async () => {
      const scope = nock(ZENDESK)
        .post('/api/v2/tickets.json', TASK_REQUEST)
        .reply(429, { error: 'APIRateLimitExceeded' }, { ...JSON_HEADERS, 'Retry-After': '1' })
        .post('/api/v2/tickets.json', TASK_REQUEST)
        .reply(201, { ticket: { id: 4804 } }, JSON_HEADERS);
      expect(await connect().createTicket(TASK)).toBe('4804');
      expect(scope.isDone()).toBe(true);
    });

    it('without an external id, retries under one idempotency key, then says the outcome is unknown', async () => {
      const scope = nock(ZENDESK).post('/api/v2/tickets.json').times(6).reply(500, { error: 'InternalError' }, JSON_HEADERS);
      const keys = keysOf(scope);
      const connector = connect();
      const error = await connector.createTicket({ ...TASK, externalId: undefined }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorError);
      expect([(error as VendorError).kind, (error as VendorError).details.code, (error as VendorError).details.status]).toEqual(['unavailable', 'OUTCOME_UNKNOWN', 500]);
      expect(keys).toHaveLength(6);
      expect(new Set(keys).size).toBe(1);
      expect(keys[0]).toMatch(/^nps-bridge:[0-9a-f-]{36}$/);
      expect(connector.apiCalls()).toBe(6);
    });

    it('does not post a private note twice: after a lost answer it reads the comments first', async () => {
      const scope = nock(ZENDESK)
        .put('/api/v2/tickets/4711/tags.json')
        .reply(200, { tags: ['nps_detractor'] }, JSON_HEADERS)
        .put('/api/v2/tickets/4711.json')
        .reply(502, { error: 'BadGateway' }, JSON_HEADERS)
        .get('/api/v2/tickets/4711/comments.json')
        .query({ 'page[size]': '100' })
        .reply(
          200,
          {
            comments: [
              { id: 1, body: 'Please help.', public: true, author_id: 36201, created_at: '2026-03-01T10:00:00Z' },
              { id: 2, body: WRITE_BACK.privateNote, public: false, author_id: 880001, created_at: '2026-03-03T09:00:00Z' },
            ],
            meta: { has_more: false },
          },
          JSON_HEADERS,
        );
      await connect().updateTicket('4711', WRITE_BACK);
      expect(scope.isDone()).toBe(true);
    });

    it('a write-back retried after a lost answer looks for its note first and does not write it again', async () => {
      const scope = nock(ZENDESK)
        .get('/api/v2/tickets/4711/comments.json')
        .query(true)
        .reply(
          200,
          { comments: [{ id: 2, body: WRITE_BACK.privateNote, public: false, author_id: 880001, created_at: '2026-03-03T09:00:00Z' }], meta: { has_more: false } },
          JSON_HEADERS,
        );
      const put = nock(ZENDESK)
        .put(/^\/api\/v2\/tickets\/4711/)
        .reply(200, { ticket: { id: 4711 } }, JSON_HEADERS);
      expect(await connect().writeBackToTicket('4711', WRITE_BACK, { mayHaveLanded: true })).toEqual({ ticketId: '4711', followUpOf: null });
      expect(scope.isDone()).toBe(true);
      expect(put.isDone()).toBe(false);
      nock.cleanAll();
    });

    it('sends the update again when the note is not on the ticket', async () => {
      const scope = nock(ZENDESK)
        .put('/api/v2/tickets/4711/tags.json')
        .reply(200, { tags: ['nps_detractor'] }, JSON_HEADERS)
        .put('/api/v2/tickets/4711.json')
        .reply(504, { error: 'GatewayTimeout' }, JSON_HEADERS)
        .get('/api/v2/tickets/4711/comments.json')
        .query(true)
        // The same words as a public reply are not our private note.
        .reply(
          200,
          { comments: [{ id: 1, body: WRITE_BACK.privateNote, public: true, author_id: 1, created_at: '2026-03-01T10:00:00Z' }], meta: { has_more: false } },
          JSON_HEADERS,
        )
        .put('/api/v2/tickets/4711.json')
        .reply(200, { ticket: { id: 4711 } }, JSON_HEADERS);
      await connect().updateTicket('4711', WRITE_BACK);
      expect(scope.isDone()).toBe(true);
    });
  });
});
