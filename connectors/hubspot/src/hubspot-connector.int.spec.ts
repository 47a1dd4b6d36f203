import { CrmConnector, CrmPage, CrmStream, VendorError } from '@connectors/core/src';
import { createHubSpotSandbox, HubSpotSandbox } from '@apps/sandbox/src/hubspot';
import { HubSpotCredentials } from './hubspot-credentials';
import { hubspotConnector } from './index';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const COMPANIES = 2000;
const PER_COMPANY = 3;

async function readAll<S extends CrmStream>(connector: CrmConnector, stream: S, since: string | null): Promise<CrmPage<S>[]> {
  const pages: CrmPage<S>[] = [];
  for await (const page of connector.read(stream, { since })) pages.push(page);
  return pages;
}

const upsertIds = (pages: CrmPage[]) => pages.flatMap((p) => p.upserts.map((u) => u.externalId));
const lastCursor = (pages: CrmPage[]) => pages[pages.length - 1].cursor;

describe('HubSpot connector against the HubSpot sandbox', () => {
  let sandbox: HubSpotSandbox;
  let server: ListeningSandbox;
  const waits: number[] = [];

  beforeAll(async () => {
    sandbox = createHubSpotSandbox({ companies: COMPANIES, contactsPerCompany: PER_COMPANY, seed: 7 });
    server = await listenSandbox(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(() => sandbox.resetCalls());

  const connect = (credentials: Partial<HubSpotCredentials> = {}, onCredentialsRefreshed?: (c: HubSpotCredentials) => Promise<void>) =>
    hubspotConnector.create({
      credentials: { authType: 'private_app', accessToken: sandbox.privateAppToken, baseUrl: server.url, ...credentials },
      settings: hubspotConnector.withDefaults(undefined),
      sleep: async (ms) => void waits.push(ms),
      onCredentialsRefreshed,
    });

  it('reads everything in a full sync with exactly the minimum calls, then only the changes', async () => {
    const connector = connect();
    const counts = sandbox.counts();
    const owners = await readAll(connector, 'owners', null);
    const accounts = await readAll(connector, 'accounts', null);
    const contacts = await readAll(connector, 'contacts', null);
    const roles = await readAll(connector, 'contact_roles', null);

    expect(owners.flatMap((p) => p.upserts).filter((o) => o.active)).toHaveLength(counts.owners);
    expect(owners.flatMap((p) => p.upserts).filter((o) => !o.active)).toHaveLength(counts.archivedOwners);
    expect(new Set(upsertIds(accounts)).size).toBe(counts.companies);
    expect(upsertIds(accounts)).toHaveLength(counts.companies);
    expect(upsertIds(contacts)).toHaveLength(counts.contacts);
    expect(accounts.flatMap((p) => p.roles ?? [])).toHaveLength(counts.associations);
    expect(contacts.flatMap((p) => p.upserts).every((c) => c.accountExternalId !== null)).toBe(true);
    expect(roles).toEqual([]);

    // owners: 1 page + 1 archived page; accounts: ⌈N/100⌉ list + ⌈N/100⌉ association reads + 1 archived page;
    // contacts: ⌈M/100⌉ list + 1 archived page; contact_roles: nothing.
    const minimum = 2 + Math.ceil(COMPANIES / 100) * 2 + 1 + Math.ceil((COMPANIES * PER_COMPANY) / 100) + 1;
    expect(connector.apiCalls()).toBe(minimum);
    expect(sandbox.calls()).toBe(minimum);
    expect(connector.apiUsage()).toEqual({ used: expect.any(Number), limit: 1_000_000 });
    expect(waits).toEqual([]);

    const archived = sandbox.archiveCompanies(3);
    const changedCompanies = sandbox.changeCompanies(50);
    const changedContacts = sandbox.changeContacts(30);
    const relabeled = sandbox.relabelAssociations(20);
    sandbox.resetCalls();
    const incremental = connect();

    const changedAccounts = await readAll(incremental, 'accounts', lastCursor(accounts));
    expect(new Set(upsertIds(changedAccounts))).toEqual(new Set(changedCompanies));
    expect(upsertIds(changedAccounts)).toHaveLength(50);
    expect(changedAccounts.flatMap((p) => p.deletions).sort()).toEqual([...archived].sort());
    const accountCalls = incremental.apiCalls();
    // minimum: ⌈50/200⌉ search + ⌈50/100⌉ association read; plus the archived page
    expect(accountCalls).toBeLessThanOrEqual(Math.ceil(50 / 200) + Math.ceil(50 / 100) + 2);

    const changedPeople = await readAll(incremental, 'contacts', lastCursor(contacts));
    const expectedContacts = new Set([...changedContacts, ...relabeled.map((r) => r.contactId)]);
    expect(new Set(upsertIds(changedPeople))).toEqual(expectedContacts);
    const rolesRead = changedPeople.flatMap((p) => p.roles ?? []);
    for (const change of relabeled) {
      const role = rolesRead.find((r) => r.externalId === `${change.companyId}:${change.contactId}`);
      expect(role?.roles.slice().sort()).toEqual(change.labels.slice().sort());
    }
    const m = expectedContacts.size;
    expect(incremental.apiCalls() - accountCalls).toBeLessThanOrEqual(Math.ceil(m / 200) + Math.ceil(m / 100) + 2);
    expect(incremental.apiCalls()).toBe(sandbox.calls());
  }, 60_000);

  it('refreshes an OAuth token up front, and again when HubSpot says it expired', async () => {
    const refreshed: HubSpotCredentials[] = [];
    const client = sandbox.oauthClient;
    const connector = connect(
      { authType: 'oauth', accessToken: undefined, clientId: client.clientId, clientSecret: client.clientSecret, refreshToken: client.refreshToken },
      async (c) => void refreshed.push(c),
    );
    await readAll(connector, 'owners', null);
    expect(refreshed).toHaveLength(1);
    sandbox.expireTokens();
    await readAll(connector, 'owners', null);
    expect(refreshed).toHaveLength(2);
    expect(refreshed[1].accessToken).not.toBe(refreshed[0].accessToken);
    // token, 2 owner pages; then a 401, token, the retried page, the archived page
    expect(connector.apiCalls()).toBe(7);
  });

  it('follows a company’s own association paging when it has more contacts than one answer holds', async () => {
    const paged = createHubSpotSandbox({ companies: 150, contactsPerCompany: 3, associationPageSize: 2 });
    const listening = await listenSandbox(paged);
    try {
      const connector = hubspotConnector.create({
        credentials: { authType: 'private_app', accessToken: paged.privateAppToken, baseUrl: listening.url },
        settings: hubspotConnector.withDefaults(undefined),
      });
      const pages = await readAll(connector, 'accounts', null);
      const roles = pages.flatMap((p) => p.roles ?? []);
      expect(roles).toHaveLength(paged.counts().associations);
      expect(new Set(roles.map((r) => r.externalId)).size).toBe(roles.length);
      // 2 list pages, 2 association reads, 2 follow-up reads for the companies' second pages, 1 archived page
      expect(connector.apiCalls()).toBe(7);
    } finally {
      await listening.close();
    }
  });

  it('stops on the daily limit without waiting', async () => {
    const small = createHubSpotSandbox({ companies: 10, dailyLimit: 1 });
    const listening = await listenSandbox(small);
    try {
      const connector = hubspotConnector.create({
        credentials: { authType: 'private_app', accessToken: small.privateAppToken, baseUrl: listening.url },
        settings: hubspotConnector.withDefaults(undefined),
        sleep: async () => {
          throw new Error('must not wait for a daily limit');
        },
      });
      const error = await readAll(connector, 'owners', null).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorError);
      expect(error).toMatchObject({ kind: 'rate_limited', message: 'You have reached your daily limit.', details: { status: 429, code: 'DAILY' } });
    } finally {
      await listening.close();
    }
  });

  it('reports a missing mapped property and a refused token from the sandbox', async () => {
    const lacking = createHubSpotSandbox({ companies: 1, missingProperties: ['renewal_date'] });
    const listening = await listenSandbox(lacking);
    try {
      const base = { authType: 'private_app' as const, baseUrl: listening.url };
      const ok = hubspotConnector.create({ credentials: { ...base, accessToken: lacking.privateAppToken }, settings: hubspotConnector.withDefaults(undefined) });
      await expect(ok.testConnection()).resolves.toMatchObject({
        ok: false,
        authenticated: true,
        missingFields: [{ object: 'companies', field: 'renewal_date', setting: 'fieldMapping.renewalDate' }],
      });
      const wrong = hubspotConnector.create({ credentials: { ...base, accessToken: 'pat-wrong' }, settings: hubspotConnector.withDefaults(undefined) });
      await expect(wrong.testConnection()).resolves.toMatchObject({ ok: false, authenticated: false, message: expect.stringMatching(/^Authentication credentials not found/) });
    } finally {
      await listening.close();
    }
  });
});
