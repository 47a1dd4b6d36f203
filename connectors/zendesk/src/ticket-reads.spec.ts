import nock from 'nock';
import { ZendeskConnector, zendeskConnector } from './';

const ZENDESK = 'https://acme.zendesk.com';
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

function connect(): ZendeskConnector {
  return zendeskConnector.create({
    credentials: { authType: 'api_token', subdomain: 'acme', email: 'admin@acme.test', apiToken: 'tok' },
    settings: zendeskConnector.withDefaults({ requestsPerMinute: 2500 }),
    sleep: async () => undefined,
  }) as unknown as ZendeskConnector;
}

const ticket = (id: number, fields: Record<string, unknown> = {}) => ({
  id,
  status: 'solved',
  subject: `Ticket ${id}`,
  requester_id: 36201,
  assignee_id: 880012,
  organization_id: 7301,
  group_id: 360004,
  tags: ['export'],
  created_at: '2026-03-01T10:00:00Z',
  updated_at: '2026-03-02T08:41:37Z',
  ...fields,
});

describe('ZendeskConnector.readTickets', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('reads tickets by id with show_many and their metric sets: solvedAt is solved_at to the second', async () => {
    const scope = nock(ZENDESK)
      .get('/api/v2/tickets/show_many.json')
      .query({ ids: '4711,4712', include: 'users,organizations,metric_sets' })
      .reply(
        200,
        {
          tickets: [
            // Edited after it was solved: updated_at moved on, the metric set keeps the solve.
            ticket(4711, { updated_at: '2026-03-02T09:15:02Z', metric_set: { ticket_id: 4711, solved_at: '2026-03-02T08:41:37Z' } }),
            ticket(4712, { status: 'open', metric_set: { ticket_id: 4712, solved_at: null } }),
          ],
          users: [{ id: 36201, name: 'Dana Scully', email: 'dana.scully@acme.test', role: 'end-user' }],
          organizations: [{ id: 7301, name: 'ACME', external_id: '001ACME' }],
        },
        JSON_HEADERS,
      );
    const connector = connect();
    const tickets = await connector.readTickets(['4711', '4712', '4711']);
    expect(scope.isDone()).toBe(true);
    expect(connector.apiCalls()).toBe(1);
    expect(tickets.map((t) => [t.externalId, t.status, t.solvedAt, t.requesterEmail, t.organizationCrmAccountId])).toEqual([
      ['4711', 'solved', '2026-03-02T08:41:37.000Z', 'dana.scully@acme.test', '001ACME'],
      ['4712', 'open', null, 'dana.scully@acme.test', '001ACME'],
    ]);
  });

  it('asks for at most 100 ids a call and leaves out tickets Zendesk does not return (deleted)', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(1000 + i));
    const scope = nock(ZENDESK)
      .get('/api/v2/tickets/show_many.json')
      .query((q) => String(q.ids).split(',').length === 100 && String(q.ids).startsWith('1000,'))
      .reply(200, { tickets: [ticket(1000, { requester_id: null, organization_id: null })] }, JSON_HEADERS)
      .get('/api/v2/tickets/show_many.json')
      .query({ ids: '1100', include: 'users,organizations,metric_sets' })
      .reply(200, { tickets: [] }, JSON_HEADERS);
    const tickets = await connect().readTickets(ids);
    expect(scope.isDone()).toBe(true);
    expect(tickets.map((t) => [t.externalId, t.solvedAt])).toEqual([['1000', '2026-03-02T08:41:37.000Z']]);
  });
});
