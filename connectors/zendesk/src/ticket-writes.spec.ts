import nock from 'nock';
import { VendorError } from '../../core/src';
import { ZendeskConnector, zendeskConnector } from '.';

const ZENDESK = 'https://acme.zendesk.com';
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };
const SCORE_FIELD = 360000000001;
const CLOSED_422 = {
  error: 'RecordInvalid',
  description: 'Record validation errors',
  details: { status: [{ description: 'Status: closed prevents ticket update', error: 'InvalidValue' }] },
};

function connect(): ZendeskConnector {
  return zendeskConnector.create({
    credentials: { authType: 'api_token', subdomain: 'acme', email: 'admin@acme.test', apiToken: 'tok' },
    settings: zendeskConnector.withDefaults({ npsScoreFieldId: SCORE_FIELD, requestsPerMinute: 2500 }),
    sleep: async () => undefined,
  }) as ZendeskConnector;
}

const WRITE_BACK = {
  customFields: [{ id: SCORE_FIELD, value: 4 }],
  tags: ['nps_detractor'],
  privateNote: 'NPS 4 (detractor) from Dana Scully <dana.scully@acme.test>: "Exports keep failing"',
};

describe('ZendeskConnector ticket writes', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('updates a ticket with the score field, added tags and a private note', async () => {
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/4711.json', {
        ticket: {
          custom_fields: [{ id: SCORE_FIELD, value: 4 }],
          additional_tags: ['nps_detractor'],
          comment: { body: WRITE_BACK.privateNote, public: false },
        },
      })
      .reply(200, { ticket: { id: 4711, status: 'solved' } }, JSON_HEADERS);
    await connect().updateTicket('4711', WRITE_BACK);
    expect(scope.isDone()).toBe(true);
  });

  it('sends only what is given', async () => {
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/4711.json', { ticket: { additional_tags: ['nps_promoter'] } })
      .reply(200, { ticket: { id: 4711 } }, JSON_HEADERS);
    await connect().updateTicket('4711', { tags: ['nps_promoter'] });
    expect(scope.isDone()).toBe(true);
  });

  it('writes back on the ticket itself while Zendesk accepts the update', async () => {
    const scope = nock(ZENDESK).put('/api/v2/tickets/4711.json').reply(200, { ticket: { id: 4711 } }, JSON_HEADERS);
    expect(await connect().writeBackToTicket('4711', WRITE_BACK)).toEqual({ ticketId: '4711', followUpOf: null });
    expect(scope.isDone()).toBe(true);
  });

  it('puts the write-back on a follow-up ticket (via_followup_source_id) when the ticket is closed', async () => {
    const scope = nock(ZENDESK)
      .put('/api/v2/tickets/4698.json')
      .reply(422, CLOSED_422, JSON_HEADERS)
      .get('/api/v2/tickets/4698.json')
      .reply(200, { ticket: { id: 4698, status: 'closed', requester_id: 36201, group_id: 360004, organization_id: 7301 } }, JSON_HEADERS)
      .post('/api/v2/tickets.json', {
        ticket: {
          subject: 'NPS response on closed ticket #4698',
          comment: { body: WRITE_BACK.privateNote, public: false },
          type: 'question',
          group_id: 360004,
          requester_id: 36201,
          tags: ['nps_bridge', 'nps_detractor'],
          custom_fields: [{ id: SCORE_FIELD, value: 4 }],
          via_followup_source_id: 4698,
        },
      })
      .reply(201, { ticket: { id: 4800, status: 'new' } }, JSON_HEADERS);

    expect(await connect().writeBackToTicket('4698', WRITE_BACK)).toEqual({ ticketId: '4800', followUpOf: '4698' });
    expect(scope.isDone()).toBe(true);
  });

  it('throws any other 422 as Zendesk said it', async () => {
    const invalid = { error: 'RecordInvalid', description: 'Record validation errors', details: { base: [{ description: 'NPS score: is not a number' }] } };
    nock(ZENDESK)
      .put('/api/v2/tickets/4711.json')
      .reply(422, invalid, JSON_HEADERS)
      .get('/api/v2/tickets/4711.json')
      .reply(200, { ticket: { id: 4711, status: 'solved', requester_id: 1, group_id: null } }, JSON_HEADERS);
    const error = await connect().writeBackToTicket('4711', WRITE_BACK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect([(error as VendorError).kind, (error as VendorError).message, (error as VendorError).details]).toEqual([
      'invalid',
      'Record validation errors: NPS score: is not a number',
      { status: 422, code: 'RecordInvalid' },
    ]);
  });

  it('creates a detractor task: type task, due in 48 h, for the solving agent’s group, with a private first comment', async () => {
    const scope = nock(ZENDESK)
      .post('/api/v2/tickets.json', {
        ticket: {
          subject: 'Detractor: call Dana Scully (ACME Corp) about ticket #4711',
          comment: { body: 'Score 4. "Exports keep failing". Call within 48 h and record the action.', public: false },
          type: 'task',
          due_at: '2026-03-05T09:00:00.000Z',
          group_id: 360004,
          requester_id: 36201,
          tags: ['nps_bridge', 'nps_detractor'],
        },
      })
      .reply(201, { ticket: { id: 4801, type: 'task' } }, JSON_HEADERS);
    const id = await connect().createTicket({
      subject: 'Detractor: call Dana Scully (ACME Corp) about ticket #4711',
      body: 'Score 4. "Exports keep failing". Call within 48 h and record the action.',
      type: 'task',
      dueAt: new Date(Date.parse('2026-03-03T09:00:00Z') + 48 * 3_600_000),
      groupId: '360004',
      requesterId: '36201',
      tags: ['nps_detractor'],
    });
    expect(id).toBe('4801');
    expect(scope.isDone()).toBe(true);
  });

  it('refuses a task without a due date before calling Zendesk', async () => {
    const connector = connect();
    await expect(connector.createTicket({ subject: 's', body: 'b', type: 'task' })).rejects.toThrow('a task ticket needs dueAt');
    expect(connector.apiCalls()).toBe(0);
  });
});
