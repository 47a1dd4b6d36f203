import { generateKeyPairSync } from 'node:crypto';
import { AddressInfo } from 'node:net';
import express from 'express';
import { CRM_STREAMS, CrmPage, CrmStream } from '@connectors/core/src';
import { createSalesforceSandbox, SalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { salesforceConnector, SalesforceConnector, SalesforceCredentials } from './';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const PAGE = 2000;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const instantSleep = async () => undefined;

function connect(url: string, overrides: Partial<SalesforceCredentials> = {}, settings: object = {}): SalesforceConnector {
  const credentials: SalesforceCredentials = {
    authType: 'client_credentials',
    loginUrl: url,
    clientId: 'nps-bridge-sandbox-client',
    clientSecret: 'nps-bridge-sandbox-secret',
    ...overrides,
  };
  return salesforceConnector.create({ credentials, settings: salesforceConnector.withDefaults(settings), sleep: instantSleep }) as SalesforceConnector;
}

async function readAll<S extends CrmStream>(c: SalesforceConnector, stream: S, since: string | null): Promise<CrmPage<S>[]> {
  const pages: CrmPage<S>[] = [];
  for await (const page of c.read(stream, { since })) pages.push(page);
  return pages;
}

const ids = (pages: CrmPage[], key: 'upserts' | 'deletions') => pages.flatMap((p) => (key === 'upserts' ? p.upserts.map((u) => u.externalId) : p.deletions)).sort();
const lastCursor = (pages: CrmPage[]) => pages[pages.length - 1].cursor as string;

describe('Salesforce connector against the sandbox org', () => {
  let sandbox: SalesforceSandbox;
  let server: ListeningSandbox;

  beforeAll(async () => {
    sandbox = createSalesforceSandbox({ accounts: 5000, seed: 42, jwtPublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    server = await listenSandbox(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(() => sandbox.resetCalls());

  it('full sync reads exactly the org in the minimum calls, then an incremental read returns exactly 50 changes', async () => {
    const counts = sandbox.counts();
    // Non-deleted relations, inactive ones included: the full query returns them and the connector turns them into deletions.
    const rowsPerStream = { owners: counts.User, accounts: counts.Account, contacts: counts.Contact, contact_roles: counts.AccountContactRelation };
    const full = connect(server.url);
    const fullPages = new Map<CrmStream, CrmPage[]>();
    for (const stream of CRM_STREAMS) fullPages.set(stream, await readAll(full, stream, null));

    expect(ids(fullPages.get('owners')!, 'upserts')).toHaveLength(25);
    expect(ids(fullPages.get('accounts')!, 'upserts')).toHaveLength(5000);
    // 15,000 contacts: more than jsforce's default maxFetch of 10,000.
    expect(new Set(ids(fullPages.get('contacts')!, 'upserts')).size).toBe(15000);
    expect(ids(fullPages.get('contact_roles')!, 'upserts')).toHaveLength(counts.AccountContactRelation - counts.InactiveAccountContactRelation);
    expect(ids(fullPages.get('contact_roles')!, 'deletions')).toHaveLength(counts.InactiveAccountContactRelation);
    expect(counts.InactiveAccountContactRelation).toBeGreaterThan(0);
    // README "Minimum calls": 1 token call + ⌈rows/2000⌉ query calls per stream (at least 1).
    const minimum = 1 + CRM_STREAMS.reduce((sum, s) => sum + Math.max(1, Math.ceil(rowsPerStream[s] / PAGE)), 0);
    expect(minimum).toBe(1 + 1 + 3 + 8 + Math.ceil(counts.AccountContactRelation / PAGE));
    expect(full.apiCalls()).toBe(minimum);
    expect(sandbox.calls()).toBe(minimum);
    expect(full.apiUsage()).toEqual(sandbox.apiUsage());
    for (const stream of CRM_STREAMS) {
      expect(fullPages.get(stream)!.map((p) => p.total)).toEqual(fullPages.get(stream)!.map(() => rowsPerStream[stream]));
    }

    const changed = sandbox.change({
      changeAccounts: 10,
      deleteAccounts: 5,
      changeContacts: 10,
      deleteContacts: 5,
      changeRoles: 10,
      deactivateRelations: 5,
      deleteRelations: 5,
    });
    sandbox.resetCalls();
    const incremental = connect(server.url);
    const next = new Map<CrmStream, CrmPage[]>();
    for (const stream of CRM_STREAMS) next.set(stream, await readAll(incremental, stream, lastCursor(fullPages.get(stream)!)));

    // The cursor is inclusive: untouched rows stamped exactly at the previous cursor come back once more
    // (as upserts; an inactive relation would come back as a deletion).
    const OBJECT = { owners: 'User', accounts: 'Account', contacts: 'Contact', contact_roles: 'AccountContactRelation' } as const;
    const atCursor = (stream: CrmStream) => sandbox.store.rows(OBJECT[stream]).filter((r) => r.SystemModstamp === Date.parse(lastCursor(fullPages.get(stream)!)));
    const boundary = (stream: CrmStream) =>
      atCursor(stream)
        .filter((r) => !(stream === 'contact_roles' && r.IsActive === false))
        .map((r) => r.Id);
    const inactiveBoundary = atCursor('contact_roles')
      .filter((r) => r.IsActive === false)
      .map((r) => r.Id);
    const sorted = (...lists: string[][]) => lists.flat().sort();
    expect(ids(next.get('accounts')!, 'upserts')).toEqual(sorted(changed.changedAccounts, boundary('accounts')));
    expect(ids(next.get('accounts')!, 'deletions')).toEqual(sorted(changed.deletedAccounts));
    expect(ids(next.get('contacts')!, 'upserts')).toEqual(sorted(changed.changedContacts, boundary('contacts')));
    expect(ids(next.get('contacts')!, 'deletions')).toEqual(sorted(changed.deletedContacts));
    expect(ids(next.get('contact_roles')!, 'upserts')).toEqual(sorted(changed.changedRoles, boundary('contact_roles')));
    expect(ids(next.get('contact_roles')!, 'deletions')).toEqual(sorted(changed.deactivatedRelations, changed.deletedRelations, inactiveBoundary));
    expect(ids(next.get('owners')!, 'upserts')).toEqual(sorted(boundary('owners')));
    expect(boundary('accounts').length).toBeLessThanOrEqual(2);

    const account = (next.get('accounts') as CrmPage<'accounts'>[]).flatMap((p) => p.upserts).find((a) => a.externalId === changed.changedAccounts[0])!;
    expect(account.arr).toBe((sandbox.store.get(changed.changedAccounts[0])!.ARR__c as number).toFixed(2));
    const stamp = new Date(sandbox.store.get(changed.changedAccounts[0])!.SystemModstamp).toISOString();
    expect(lastCursor(next.get('accounts')!)).toBe(stamp);
    // 1 token call + one page per stream + 1 query for Contracts changed since the accounts
    // cursor (none here, so no account is read again).
    expect(incremental.apiCalls()).toBe(6);
    expect(sandbox.calls()).toBe(6);
  });

  it('renews an expired session mid-read: the 401 and the token call are the only extra calls', async () => {
    const c = connect(server.url);
    let pages = 0;
    for await (const page of c.read('accounts', { since: null })) {
      pages += 1;
      expect(page.upserts.length).toBeGreaterThan(0);
      if (pages === 1) sandbox.expireTokens();
    }
    expect(pages).toBe(3);
    expect(c.apiCalls()).toBe(1 + 3 + 2);
    expect(sandbox.calls()).toBe(6);
  });

  it('rides out injected 503s and REQUEST_LIMIT_EXCEEDED with backoff', async () => {
    const c = connect(server.url);
    await readAll(c, 'owners', null);
    sandbox.failNext(2, 503);
    sandbox.failNext(1, 'REQUEST_LIMIT_EXCEEDED');
    const pages = await readAll(c, 'owners', null);
    expect(pages[0].upserts).toHaveLength(25);
    expect(c.apiCalls()).toBe(2 + 3 + 1);
    expect(sandbox.calls()).toBe(6);
  });

  it('signs in with JWT bearer; a key the org does not know is refused with its message', async () => {
    const jwt = { authType: 'jwt' as const, username: 'integration@nps-bridge-sandbox.example.com', clientSecret: undefined };
    const good = connect(server.url, { ...jwt, privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    expect(await good.testConnection()).toEqual({ ok: true, authenticated: true, message: null, missingFields: [] });
    expect(good.apiCalls()).toBe(5);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const bad = connect(server.url, { ...jwt, privateKey: otherKey });
    expect(await bad.testConnection()).toEqual({ ok: false, authenticated: false, message: 'invalid assertion', missingFields: [] });
  });

  it('reports wrong client credentials with the vendor message', async () => {
    expect(await connect(server.url, { clientSecret: 'wrong' }).testConnection()).toEqual({
      ok: false,
      authenticated: false,
      message: 'invalid client credentials',
      missingFields: [],
    });
  });
});

describe('Salesforce connector against a sandbox org missing a field, mounted under a path', () => {
  it('finds the missing field through testConnection and reads through the mount prefix', async () => {
    const sandbox = createSalesforceSandbox({ accounts: 30, omitFields: ['Account.Tier__c'] });
    const app = express();
    app.use('/sandbox/salesforce', (req, res) => sandbox.handle(req, res));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/salesforce`;
      const c = connect(url);
      expect(await c.testConnection()).toEqual({
        ok: false,
        authenticated: true,
        message: 'Salesforce lacks (or hides from the integration user) Account.Tier__c (fieldMapping.tier)',
        missingFields: [{ object: 'Account', field: 'Tier__c', setting: 'fieldMapping.tier' }],
      });
      const unmapped = connect(url, {}, { fieldMapping: { tier: null } });
      const pages = await readAll(unmapped, 'accounts', null);
      expect(pages[0].upserts).toHaveLength(30);
      expect(pages[0].upserts.every((a) => a.tier === null)).toBe(true);
      await expect(readAll(c, 'accounts', null)).rejects.toMatchObject({ kind: 'invalid', details: { status: 400, code: 'INVALID_FIELD' } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
