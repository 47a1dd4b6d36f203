import nock from 'nock';
import acrPage from '../fixtures/account-contact-relation-queryall-page.json';
import { contactRow, DATA, INSTANCE_URL, LOGIN_URL, queryPage, tokenResponse } from '../fixtures/records';
import { CrmPage, CrmStream, VendorError } from '@connectors/core/src';
import { SalesforceConnector } from './salesforce-connector';

const CONTACTS_FULL = 'SELECT Id, AccountId, Email, FirstName, LastName, SystemModstamp, IsDeleted FROM Contact ORDER BY SystemModstamp ASC, Id ASC';
const contactsSince = (since: string) =>
  `SELECT Id, AccountId, Email, FirstName, LastName, SystemModstamp, IsDeleted FROM Contact WHERE SystemModstamp >= ${since} ORDER BY SystemModstamp ASC, Id ASC`;
const limitHeader = (used: number, limit = 15000) => ({ 'Sforce-Limit-Info': `api-usage=${used}/${limit}`, 'Content-Type': 'application/json' });

function connector(settings: object = {}) {
  return new SalesforceConnector({
    credentials: { authType: 'client_credentials', loginUrl: LOGIN_URL, clientId: '3MVG9client', clientSecret: 'secret' },
    settings,
    sleep: async () => undefined,
  });
}

function signIn() {
  return nock(LOGIN_URL)
    .post('/services/oauth2/token', { grant_type: 'client_credentials', client_id: '3MVG9client', client_secret: 'secret' })
    .reply(200, tokenResponse('00DDn!first'));
}

async function readAll<S extends CrmStream>(c: SalesforceConnector, stream: S, since: string | null): Promise<CrmPage<S>[]> {
  const pages: CrmPage<S>[] = [];
  for await (const page of c.read(stream, { since })) pages.push(page);
  return pages;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  // Unhook nock from node:http so nothing of this file intercepts after it ends.
  nock.restore();
});

describe('SalesforceConnector.read with a recorded org', () => {
  it('follows nextRecordsUrl through three pages to the end: 4,500 contacts, 1 token + 3 query calls', async () => {
    const rows = Array.from({ length: 4500 }, (_, i) => contactRow(i));
    const token = signIn();
    const api = nock(INSTANCE_URL, { reqheaders: { authorization: 'Bearer 00DDn!first' } })
      .get(`${DATA}/query`)
      .query({ q: CONTACTS_FULL })
      .reply(200, queryPage(rows.slice(0, 2000), 4500, `${DATA}/query/01gDn00000LocAtRAA-2000`), limitHeader(101))
      .get(`${DATA}/query/01gDn00000LocAtRAA-2000`)
      .reply(200, queryPage(rows.slice(2000, 4000), 4500, `${DATA}/query/01gDn00000LocAtRAA-4000`), limitHeader(102))
      .get(`${DATA}/query/01gDn00000LocAtRAA-4000`)
      .reply(200, queryPage(rows.slice(4000), 4500), limitHeader(103));
    const c = connector();

    const pages = await readAll(c, 'contacts', null);

    expect(pages.map((p) => [p.upserts.length, p.deletions.length, p.total, p.cursor])).toEqual([
      [2000, 0, 4500, '2026-11-23T10:33:19.000Z'],
      [2000, 0, 4500, '2026-11-23T11:06:39.000Z'],
      [500, 0, 4500, '2026-11-23T11:14:59.000Z'],
    ]);
    expect(new Set(pages.flatMap((p) => p.upserts.map((u) => u.externalId))).size).toBe(4500);
    expect(pages[0].upserts[0]).toEqual({
      externalId: '003Dn0000000000AAA',
      accountExternalId: '001Dn0000000000AAA',
      email: 'person0@customer.example.com',
      firstName: 'Pat',
      lastName: 'Person 0',
      modifiedAt: '2026-11-23T10:00:00.000Z',
    });
    expect(token.isDone() && api.isDone()).toBe(true);
    expect(c.apiCalls()).toBe(4);
    expect(c.apiUsage()).toEqual({ used: 103, limit: 15000 });
  });

  it('reads changes since the cursor with queryAll, cursor per page = highest SystemModstamp so far', async () => {
    const since = '2026-11-23T10:00:00.000Z';
    const first = [contactRow(0), contactRow(5), contactRow(5, since, { Id: '003Dn0000000099AAA' })];
    const second = [contactRow(9, since, { IsDeleted: true }), contactRow(12)];
    signIn();
    const api = nock(INSTANCE_URL)
      .get(`${DATA}/queryAll`)
      .query({ q: contactsSince(since) })
      .reply(200, queryPage(first, 5, `${DATA}/query/01gDn00000LocAtRAA-3`))
      .get(`${DATA}/query/01gDn00000LocAtRAA-3`)
      .reply(200, queryPage(second, 5));
    const c = connector();

    // The caller may hand back a cursor in another offset form; the query and cursors are UTC.
    const pages = await readAll(c, 'contacts', '2026-11-23T11:00:00+01:00');

    expect(pages.map((p) => ({ upserts: p.upserts.map((u) => u.externalId), deletions: p.deletions, cursor: p.cursor, total: p.total }))).toEqual([
      { upserts: ['003Dn0000000000AAA', '003Dn0000000005AAA', '003Dn0000000099AAA'], deletions: [], cursor: '2026-11-23T10:00:05.000Z', total: 5 },
      { upserts: ['003Dn0000000012AAA'], deletions: ['003Dn0000000009AAA'], cursor: '2026-11-23T10:00:12.000Z', total: 5 },
    ]);
    expect(api.isDone()).toBe(true);
    expect(c.apiCalls()).toBe(3);
  });

  it('answers an incremental read with no changes with one empty page that keeps the cursor', async () => {
    const since = '2026-11-23T10:00:00.000Z';
    signIn();
    nock(INSTANCE_URL)
      .get(`${DATA}/queryAll`)
      .query({ q: contactsSince(since) })
      .reply(200, { totalSize: 0, done: true, records: [] });
    const c = connector();
    expect(await readAll(c, 'contacts', since)).toEqual([{ stream: 'contacts', upserts: [], deletions: [], cursor: since, total: 0 }]);
    expect(c.apiCalls()).toBe(2);
  });

  it('reads contact roles: several roles split, inactive and deleted relations as deletions', async () => {
    const since = '2026-09-14T00:00:00.000Z';
    signIn();
    nock(INSTANCE_URL)
      .get(`${DATA}/queryAll`)
      .query({
        q: `SELECT Id, AccountId, ContactId, Roles, IsActive, SystemModstamp, IsDeleted FROM AccountContactRelation WHERE SystemModstamp >= ${since} ORDER BY SystemModstamp ASC, Id ASC`,
      })
      .reply(200, acrPage);
    const [page] = await readAll(connector(), 'contact_roles', since);
    expect(page.upserts.map((r) => [r.externalId, r.roles])).toEqual([
      ['07kDn000002Ab1cIAC', ['Decision Maker', 'Economic Buyer']],
      ['07kDn000002Ab1dIAC', []],
    ]);
    expect(page.deletions).toEqual(['07kDn000002Ab1eIAC', '07kDn000002Ab1fIAC']);
    expect(page.cursor).toBe('2026-09-14T09:00:00.000Z');
  });

  it('stops before a call once the org has used its daily budget share (no call spent)', async () => {
    const rows = Array.from({ length: 4 }, (_, i) => contactRow(i));
    signIn();
    nock(INSTANCE_URL)
      .get(`${DATA}/query`)
      .query({ q: CONTACTS_FULL })
      .reply(200, queryPage(rows.slice(0, 2), 4, `${DATA}/query/01gDn00000LocAtRAA-2`), limitHeader(3000, 10000));
    const c = connector({ dailyBudgetShare: 0.3 });
    const pages: CrmPage<'contacts'>[] = [];
    const reading = (async () => {
      for await (const page of c.read('contacts', { since: null })) pages.push(page);
    })();
    await expect(reading).rejects.toMatchObject({ kind: 'rate_limited', details: { code: 'DAILY_BUDGET_SHARE' } });
    await expect(reading).rejects.toThrow('the org has used 3000 of 10000 daily API calls; nps-bridge stops at 3000');
    expect(pages).toHaveLength(1);
    expect(c.apiCalls()).toBe(2);
  });

  it('fails the read on a row the mapper refuses, naming the record and field', async () => {
    signIn();
    nock(INSTANCE_URL)
      .get(`${DATA}/query`)
      .query({ q: CONTACTS_FULL })
      .reply(200, queryPage([contactRow(1, undefined, { SystemModstamp: 'soon' })], 1));
    await expect(readAll(connector(), 'contacts', null)).rejects.toThrow(
      new VendorError('salesforce', 'invalid', 'Contact 003Dn0000000001AAA: SystemModstamp is not a datetime (got "soon")'),
    );
  });

  it('passes an INVALID_FIELD query error through as a non-retryable invalid VendorError', async () => {
    signIn();
    const api = nock(INSTANCE_URL)
      .get(`${DATA}/query`)
      .query(true)
      .reply(400, [{ message: "No such column 'Tier__c' on entity 'Account'.", errorCode: 'INVALID_FIELD' }]);
    const c = connector();
    await expect(readAll(c, 'accounts', null)).rejects.toMatchObject({ kind: 'invalid', details: { status: 400, code: 'INVALID_FIELD' } });
    expect(api.isDone()).toBe(true);
    expect(c.apiCalls()).toBe(2);
  });
});
