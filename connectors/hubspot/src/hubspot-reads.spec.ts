import nock from 'nock';
import companiesPage from '../fixtures/companies-page.json';
import associationsPage from '../fixtures/company-contact-associations.json';
import contactsPage from '../fixtures/contacts-page.json';
import ownersPage from '../fixtures/owners-page.json';
import { CrmConnector, CrmPage, CrmStream } from '@connectors/core/src';
import { hubspotConnector } from './index';

const HS = 'https://api.hubapi.com';
const SINCE = '2026-01-01T00:00:00.000Z';

function connect(): CrmConnector {
  return hubspotConnector.create({
    credentials: { authType: 'private_app', accessToken: 'pat-na1-test' },
    settings: hubspotConnector.withDefaults(undefined),
    sleep: async () => undefined,
  });
}

async function readAll<S extends CrmStream>(connector: CrmConnector, stream: S, since: string | null): Promise<CrmPage<S>[]> {
  const pages: CrmPage<S>[] = [];
  for await (const page of connector.read(stream, { since })) pages.push(page);
  return pages;
}

const company = (id: string, modified: string) => ({
  id,
  properties: { name: `Company ${id}`, hs_lastmodifieddate: modified, arr: '1000', renewal_date: '2026-06-01', tier: 'SMB' },
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: modified,
  archived: false,
});
const unlabeled = (toObjectId: number) => ({ toObjectId, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }] });
const ids = (body: { inputs: Array<{ id: string; after?: string }> }) => body.inputs.map((i) => (i.after ? `${i.id}@${i.after}` : i.id)).join(',');
const searchBody = (body: { filterGroups: Array<{ filters: Array<{ value: string }> }>; after?: string }) =>
  `${body.filterGroups[0].filters[0].value}${body.after ? `@${body.after}` : ''}`;

describe('HubSpot reads (recorded answers)', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore(); // unhook http before Jest tears the file's globals down
  });

  it('follows three list pages of companies to the end, reading each page’s contact roles in one batch', async () => {
    const list = nock(HS)
      .get('/crm/v3/objects/companies')
      .query((q) => q.limit === '100' && q.archived === 'false' && q.after === undefined && [q.properties].flat().includes('arr'))
      .reply(200, companiesPage)
      .get('/crm/v3/objects/companies')
      .query((q) => q.after === '18236543204')
      .reply(200, { results: [company('18236543204', '2026-01-02T00:00:00Z'), company('18236543205', '2026-01-03T00:00:00Z')], paging: { next: { after: '18236543206' } } })
      .get('/crm/v3/objects/companies')
      .query((q) => q.after === '18236543206' && q.archived === 'false')
      .reply(200, { results: [company('18236543206', '2026-01-04T00:00:00Z')] })
      .get('/crm/v3/objects/companies')
      .query((q) => q.archived === 'true' && q.limit === '100')
      .reply(200, {
        results: [{ id: '18236540000', properties: {}, archived: true, archivedAt: '2025-11-02T00:00:00Z', createdAt: '2020-01-01T00:00:00Z', updatedAt: '2025-11-02T00:00:00Z' }],
      });
    const associations = nock(HS)
      .post('/crm/v4/associations/companies/contacts/batch/read', (b) => ids(b) === '18236543201,18236543202,18236543203')
      .reply(207, associationsPage)
      .post('/crm/v4/associations/companies/contacts/batch/read', (b) => ids(b) === '18236543204,18236543205')
      .reply(200, {
        status: 'COMPLETE',
        results: [
          { from: { id: '18236543204' }, to: [unlabeled(61)], paging: { next: { after: 'MQ==' } } },
          { from: { id: '18236543205' }, to: [unlabeled(62)] },
        ],
      })
      .post('/crm/v4/associations/companies/contacts/batch/read', (b) => ids(b) === '18236543204@MQ==')
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '18236543204' }, to: [unlabeled(63)] }] })
      .post('/crm/v4/associations/companies/contacts/batch/read', (b) => ids(b) === '18236543206')
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '18236543206' }, to: [unlabeled(64)] }] });

    const connector = connect();
    const pages = await readAll(connector, 'accounts', null);

    expect(pages.map((p) => p.upserts.map((u) => u.externalId))).toEqual([['18236543201', '18236543202', '18236543203'], ['18236543204', '18236543205'], ['18236543206'], []]);
    expect(pages[0].roles!.map((r) => [r.externalId, r.roles])).toEqual([
      ['18236543201:51', ['Decision Maker', 'Economic Buyer']],
      ['18236543201:54', []],
      ['18236543202:52', ['End User']],
    ]);
    // a company without associations is still named, so its stored roles are cleared
    expect(pages[0].rolesReplaceFor).toEqual({ accountExternalIds: ['18236543201', '18236543202', '18236543203'] });
    expect(pages[1].roles!.map((r) => r.externalId)).toEqual(['18236543204:61', '18236543204:63', '18236543205:62']);
    expect(pages[3]).toMatchObject({ upserts: [], deletions: ['18236540000'] });
    expect(pages.slice(0, 3).map((p) => p.cursor)).toEqual([null, null, null]);
    expect(pages[3].cursor).toBe('2026-01-15T00:00:00.001Z');
    expect(connector.apiCalls()).toBe(8);
    list.done();
    associations.done();
  });

  it('reads changed companies with a search on hs_lastmodifieddate, oldest first, and only recent archives', async () => {
    let body: Record<string, unknown> | undefined;
    const scope = nock(HS)
      .post('/crm/v3/objects/companies/search', (b) => ((body = b), true))
      .reply(200, { total: 2, results: [company('11', '2026-01-02T00:00:00.000Z'), company('12', '2026-01-03T10:00:00.000Z')] })
      .post('/crm/v4/associations/companies/contacts/batch/read', (b) => ids(b) === '11,12')
      .reply(200, { status: 'COMPLETE', results: [{ from: { id: '11' }, to: [unlabeled(5)] }] })
      .get('/crm/v3/objects/companies')
      .query((q) => q.archived === 'true')
      .reply(200, {
        results: [
          { id: '8', properties: {}, archived: true, archivedAt: '2025-12-31T23:59:59.999Z' },
          { id: '9', properties: {}, archived: true, archivedAt: '2026-01-01T00:00:00.000Z' },
        ],
      });

    const connector = connect();
    const pages = await readAll(connector, 'accounts', SINCE);

    expect(body).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Date.parse(SINCE)) }] }],
      sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
      properties: ['name', 'domain', 'hubspot_owner_id', 'hs_lastmodifieddate', 'arr', 'renewal_date', 'tier', 'customer_since'],
      limit: 200,
    });
    expect(pages[0]).toMatchObject({ total: 2, cursor: '2026-01-03T10:00:00.000Z', rolesReplaceFor: { accountExternalIds: ['11', '12'] } });
    expect(pages[1]).toMatchObject({ deletions: ['9'], cursor: '2026-01-03T10:00:00.001Z' });
    expect(connector.apiCalls()).toBe(3);
    scope.done();
  });

  it('starts a new search window at the newest modification time instead of paging past 10,000 results', async () => {
    const t = (day: number) => `2026-01-${String(day).padStart(2, '0')}T00:00:00.000Z`;
    const sinceValue = String(Date.parse(SINCE));
    const searches: string[] = [];
    const scope = nock(HS)
      .post('/crm/v3/objects/companies/search', (b) => searches.push(searchBody(b)) > 0 && searchBody(b) === sinceValue)
      .reply(200, { total: 10_500, results: [company('1', t(2))], paging: { next: { after: '9800' } } })
      .post('/crm/v3/objects/companies/search', (b) => searches.push(searchBody(b)) > 0 && searchBody(b) === `${sinceValue}@9800`)
      .reply(200, { total: 10_500, results: [company('2', t(3)), company('3', t(4))], paging: { next: { after: '10000' } } })
      // the second window begins at the newest time seen; record 3 comes again and is dropped
      .post('/crm/v3/objects/companies/search', (b) => searches.push(searchBody(b)) > 0 && searchBody(b) === String(Date.parse(t(4))))
      .reply(200, { total: 2, results: [company('3', t(4)), company('4', t(5))] })
      .post('/crm/v4/associations/companies/contacts/batch/read')
      .times(3)
      .reply(200, { status: 'COMPLETE', results: [] })
      .get('/crm/v3/objects/companies')
      .query((q) => q.archived === 'true')
      .reply(200, { results: [] });

    const connector = connect();
    const pages = await readAll(connector, 'accounts', SINCE);

    expect(searches).toEqual([sinceValue, `${sinceValue}@9800`, String(Date.parse(t(4)))]);
    expect(pages.flatMap((p) => p.upserts.map((u) => u.externalId))).toEqual(['1', '2', '3', '4']);
    expect(pages.map((p) => p.total)).toEqual([10_500, 10_500, 10_500, undefined]);
    expect(pages.map((p) => p.cursor)).toEqual([t(2), t(4), t(5), '2026-01-05T00:00:00.001Z']);
    expect(connector.apiCalls()).toBe(7);
    scope.done();
  });

  it('reads all contacts with their primary company from the list call alone', async () => {
    const scope = nock(HS)
      .get('/crm/v3/objects/contacts')
      .query((q) => q.associations === 'companies' && q.archived === 'false' && [q.properties].flat().join() === 'email,firstname,lastname,lastmodifieddate')
      .reply(200, contactsPage)
      .get('/crm/v3/objects/contacts')
      .query((q) => q.archived === 'true')
      .reply(200, { results: [{ id: '50', properties: {}, archived: true, archivedAt: '2025-06-01T00:00:00Z' }] });

    const connector = connect();
    const pages = await readAll(connector, 'contacts', null);

    expect(pages[0].upserts.map((c) => [c.externalId, c.accountExternalId])).toEqual([
      ['51', '18236543201'],
      ['52', '18236543202'],
      ['53', null],
    ]);
    expect(pages[0].roles).toBeUndefined();
    expect(pages[1]).toMatchObject({ deletions: ['50'], cursor: '2026-01-12T00:00:00.001Z' });
    expect(connector.apiCalls()).toBe(2);
    scope.done();
  });

  it('reads changed contacts by lastmodifieddate with their companies and labels from one v4 batch read', async () => {
    let body: { filterGroups: Array<{ filters: Array<{ propertyName: string }> }>; sorts: unknown[] } | undefined;
    const scope = nock(HS)
      .post('/crm/v3/objects/contacts/search', (b) => ((body = b), true))
      .reply(200, { total: 2, results: contactsPage.results.slice(0, 2).map(({ associations: _, ...c }) => c) })
      .post('/crm/v4/associations/contacts/companies/batch/read', (b) => ids(b) === '51,52')
      .reply(200, {
        status: 'COMPLETE',
        results: [
          {
            from: { id: '51' },
            to: [
              {
                toObjectId: 700,
                associationTypes: [
                  { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
                  { category: 'USER_DEFINED', typeId: 105, label: 'End User' },
                ],
              },
              {
                toObjectId: 701,
                associationTypes: [
                  { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
                  { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
                  { category: 'USER_DEFINED', typeId: 101, label: 'Decision Maker' },
                  { category: 'USER_DEFINED', typeId: 103, label: 'Economic Buyer' },
                ],
              },
            ],
          },
        ],
      })
      .get('/crm/v3/objects/contacts')
      .query((q) => q.archived === 'true')
      .reply(200, { results: [] });

    const connector = connect();
    const pages = await readAll(connector, 'contacts', SINCE);

    expect(body!.filterGroups[0].filters[0].propertyName).toBe('lastmodifieddate');
    expect(body!.sorts).toEqual([{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }]);
    expect(pages[0].upserts.map((c) => [c.externalId, c.accountExternalId])).toEqual([
      ['51', '701'],
      ['52', null],
    ]);
    expect(pages[0].roles!.map((r) => [r.externalId, r.roles])).toEqual([
      ['700:51', ['End User']],
      ['701:51', ['Decision Maker', 'Economic Buyer']],
    ]);
    expect(pages[0].rolesReplaceFor).toEqual({ contactExternalIds: ['51', '52'] });
    expect(connector.apiCalls()).toBe(3);
    scope.done();
  });

  it('reads owners 500 a page, archived ones as inactive', async () => {
    const scope = nock(HS)
      .get('/crm/v3/owners/')
      .query({ limit: '500', archived: 'false' })
      .reply(200, ownersPage)
      .get('/crm/v3/owners/')
      .query({ limit: '500', archived: 'true' })
      .reply(200, {
        results: [{ id: '40000009', email: 'gone@vendor.example.com', type: 'PERSON', archived: true, createdAt: '2020-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' }],
      });

    const connector = connect();
    const pages = await readAll(connector, 'owners', SINCE);

    expect(pages.flatMap((p) => p.upserts.map((o) => [o.externalId, o.active]))).toEqual([
      ['40000001', true],
      ['40000002', true],
      ['40000009', false],
    ]);
    expect(pages.every((p) => p.cursor === null)).toBe(true);
    expect(connector.apiCalls()).toBe(2);
    scope.done();
  });

  it('spends no call on contact_roles: roles arrive with the accounts and contacts pages', async () => {
    const connector = connect();
    expect(await readAll(connector, 'contact_roles', null)).toEqual([]);
    expect(await readAll(connector, 'contact_roles', SINCE)).toEqual([]);
    expect(connector.apiCalls()).toBe(0);
  });
});
