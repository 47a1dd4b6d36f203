import nock from 'nock';
import { TicketChangesPage, VendorError } from '@connectors/core/src';
import { zendeskConnector } from './';
import { ZendeskTicket } from './zendesk-records';

const ZENDESK = 'https://acme.zendesk.com';
const EXPORT = '/api/v2/incremental/tickets/cursor.json';
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };
const startTime = new Date('2026-03-02T08:00:00Z');

function connect(sleeps: number[] = []) {
  return zendeskConnector.create({
    credentials: { authType: 'api_token', subdomain: 'acme', email: 'admin@acme.test', apiToken: 'tok' },
    settings: zendeskConnector.withDefaults({ requestsPerMinute: 2500, exportRequestsPerMinute: 2500 }),
    sleep: async (ms) => void sleeps.push(ms),
  });
}

function ticket(id: number, requesterId: number, organizationId: number | null = null): ZendeskTicket {
  return {
    id,
    status: 'solved',
    subject: `Ticket ${id}`,
    requester_id: requesterId,
    assignee_id: 880012,
    organization_id: organizationId,
    group_id: 360004,
    created_at: '2026-03-01T10:00:00Z',
    updated_at: '2026-03-02T08:30:00Z',
  };
}

function exportPage(tickets: ZendeskTicket[], afterCursor: string, endOfStream: boolean, sideload = true) {
  const users = [...new Set(tickets.map((t) => t.requester_id))].map((id) => ({ id, name: `User ${id}`, email: `user${id}@acme.test`, role: 'end-user' }));
  return {
    tickets,
    ...(sideload ? { users, organizations: [{ id: 7301, name: 'ACME Corp', external_id: '001ACME' }] } : {}),
    after_url: `${ZENDESK}${EXPORT}?cursor=${afterCursor}`,
    after_cursor: afterCursor,
    before_url: null,
    before_cursor: null,
    end_of_stream: endOfStream,
  };
}

const query = (position: Record<string, string>) => ({ ...position, include: 'users,organizations', exclude_deleted: 'true' });

async function collect(pages: AsyncIterable<TicketChangesPage>): Promise<TicketChangesPage[]> {
  const out: TicketChangesPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('ZendeskConnector.readTicketChanges', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  // Restore too: node:http is shared by the worker's test files, and a hook left behind breaks the next file's nock.
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });

  it('follows after_cursor over three pages, backing off a 429 for its Retry-After before resuming', async () => {
    const scope = nock(ZENDESK)
      .get(EXPORT)
      .query(query({ start_time: '1772438400' }))
      .reply(200, exportPage([ticket(1, 501, 7301), ticket(2, 502)], 'c1', false), JSON_HEADERS)
      .get(EXPORT)
      .query(query({ cursor: 'c1' }))
      .reply(
        429,
        { error: 'APIRateLimitExceeded', description: 'Number of allowed incremental export API requests per minute exceeded' },
        {
          ...JSON_HEADERS,
          'Retry-After': '7',
        },
      )
      .get(EXPORT)
      .query(query({ cursor: 'c1' }))
      .reply(200, exportPage([ticket(3, 501, 7301)], 'c2', false), JSON_HEADERS)
      .get(EXPORT)
      .query(query({ cursor: 'c2' }))
      .reply(200, exportPage([ticket(4, 503)], 'c3', true), JSON_HEADERS);
    const sleeps: number[] = [];
    const connector = connect(sleeps);

    const pages = await collect(connector.readTicketChanges({ cursor: null, startTime }));

    expect(pages.map((p) => [p.tickets.map((t) => t.externalId), p.cursor, p.endOfStream])).toEqual([
      [['1', '2'], 'c1', false],
      [['3'], 'c2', false],
      [['4'], 'c3', true],
    ]);
    expect(pages[0].tickets[0]).toMatchObject({ requesterEmail: 'user501@acme.test', organizationCrmAccountId: '001ACME' });
    expect(sleeps).toEqual([7000]);
    expect(connector.apiCalls()).toBe(4);
    expect(scope.isDone()).toBe(true);
  });

  it('resumes from a stored cursor without start_time', async () => {
    const scope = nock(ZENDESK)
      .get(EXPORT)
      .query(query({ cursor: 'stored' }))
      .reply(200, exportPage([], 'stored', true), JSON_HEADERS);
    const pages = await collect(connect().readTicketChanges({ cursor: 'stored', startTime }));
    expect(pages).toEqual([{ tickets: [], cursor: 'stored', endOfStream: true }]);
    expect(scope.isDone()).toBe(true);
  });

  it('fetches requesters and organizations missing from the sideloads with show_many, at most 100 ids a call', async () => {
    const tickets = Array.from({ length: 150 }, (_, i) => ticket(i + 1, 1000 + i, 7301));
    const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i).join(',');
    const user = (id: number) => ({ id, name: `User ${id}`, email: `user${id}@acme.test`, role: 'end-user' });
    const scope = nock(ZENDESK)
      .get(EXPORT)
      .query(query({ start_time: '1772438400' }))
      .reply(200, exportPage(tickets, 'c1', true, false), JSON_HEADERS)
      .get('/api/v2/users/show_many.json')
      .query({ ids: ids(1000, 100) })
      .reply(200, { users: Array.from({ length: 100 }, (_, i) => user(1000 + i)) }, JSON_HEADERS)
      .get('/api/v2/users/show_many.json')
      .query({ ids: ids(1100, 50) })
      .reply(200, { users: Array.from({ length: 50 }, (_, i) => user(1100 + i)) }, JSON_HEADERS)
      .get('/api/v2/organizations/show_many.json')
      .query({ ids: '7301' })
      .reply(200, { organizations: [{ id: 7301, name: 'ACME Corp', external_id: '001ACME' }] }, JSON_HEADERS);

    const [page] = await collect(connect().readTicketChanges({ cursor: null, startTime }));

    expect(page.tickets).toHaveLength(150);
    expect(page.tickets[149]).toMatchObject({ externalId: '150', requesterEmail: 'user1149@acme.test', organizationCrmAccountId: '001ACME' });
    expect(scope.isDone()).toBe(true);
  });

  it('stops on refused credentials with Zendesk’s words and does not retry', async () => {
    nock(ZENDESK).get(EXPORT).query(true).reply(401, { error: "Couldn't authenticate you" }, JSON_HEADERS);
    const connector = connect();
    const error = await collect(connector.readTicketChanges({ cursor: null, startTime })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect([(error as VendorError).kind, (error as VendorError).message, (error as VendorError).details.status]).toEqual(['auth', "Couldn't authenticate you", 401]);
    expect(connector.apiCalls()).toBe(1);
  });
});
