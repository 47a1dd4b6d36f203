import { generateKeyPairSync } from 'node:crypto';
import { CrmArrPoint, CrmPage } from '@connectors/core/src';
import { createSalesforceSandbox, SalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { salesforceConnector, SalesforceConnector, SalesforceCredentials } from './';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const instantSleep = async () => undefined;

function connect(url: string, overrides: Partial<SalesforceCredentials> = {}): SalesforceConnector {
  const credentials: SalesforceCredentials = {
    authType: 'client_credentials',
    loginUrl: url,
    clientId: 'nps-bridge-sandbox-client',
    clientSecret: 'nps-bridge-sandbox-secret',
    ...overrides,
  };
  return salesforceConnector.create({ credentials, settings: salesforceConnector.withDefaults({}), sleep: instantSleep }) as SalesforceConnector;
}

async function accountPages(c: SalesforceConnector, since: string | null): Promise<CrmPage<'accounts'>[]> {
  const pages: CrmPage<'accounts'>[] = [];
  for await (const page of c.read('accounts', { since })) pages.push(page);
  return pages;
}

async function history(c: SalesforceConnector, scope: 'all' | string[]): Promise<CrmArrPoint[]> {
  const points: CrmArrPoint[] = [];
  for await (const page of c.readArrHistory(scope)) points.push(...page);
  return points;
}

const iso = (ms: unknown) => new Date(ms as number).toISOString();

describe('Salesforce connector: Contract-driven renewals and ARR field history against the sandbox org', () => {
  let sandbox: SalesforceSandbox;
  let server: ListeningSandbox;

  beforeAll(async () => {
    sandbox = createSalesforceSandbox({ accounts: 3000, seed: 7, jwtPublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    server = await listenSandbox(sandbox);
  });
  afterAll(() => server.close());
  beforeEach(() => sandbox.resetCalls());

  it('an extended Contract changes the renewal date an incremental read returns, though the account itself did not change', async () => {
    const full = await accountPages(connect(server.url), null);
    const cursor = full[full.length - 1].cursor as string;
    // Through the control endpoint, as a demo or benchmark would.
    const mutated = await fetch(`${server.url}/_sandbox/mutate`, { method: 'POST', body: JSON.stringify({ extendContracts: 3 }) });
    const { extendedContracts } = (await mutated.json()) as { extendedContracts: string[] };
    expect(extendedContracts).toHaveLength(3);
    const contracts = extendedContracts.map((id) => sandbox.record('Contract', id)!);
    const stampsBefore = contracts.map((c) => sandbox.record('Account', String(c.AccountId))!.SystemModstamp);

    sandbox.resetCalls();
    const c = connect(server.url);
    const pages = await accountPages(c, cursor);
    const read = new Map(pages.flatMap((p) => p.upserts).map((a) => [a.externalId, a]));
    for (const contract of contracts) expect(read.get(String(contract.AccountId))?.renewalDate).toBe(contract.EndDate);
    // Salesforce does not move the account's stamp, and neither does the read move the cursor past the accounts'.
    expect(contracts.map((c) => sandbox.record('Account', String(c.AccountId))!.SystemModstamp)).toEqual(stampsBefore);
    expect(pages.every((p) => p.cursor === cursor)).toBe(true);
    // 1 token + 1 Account queryAll + 1 Contract queryAll + 1 `Id IN (…)` query for the 3 accounts.
    expect(c.apiCalls()).toBe(4);
  });

  it('an activated Draft renewal becomes the renewal date on the next incremental read', async () => {
    const before = await accountPages(connect(server.url), null);
    const cursor = before[before.length - 1].cursor as string;
    const [id] = sandbox.change({ activateContracts: 1 }).activatedContracts;
    const contract = sandbox.record('Contract', id)!;
    const read = (await accountPages(connect(server.url), cursor)).flatMap((p) => p.upserts);
    expect(read.find((a) => a.externalId === contract.AccountId)?.renewalDate).toBe(contract.EndDate);
  });

  it('reads the ARR history of every account in ⌈rows/2000⌉ calls: the points are the org’s AccountHistory', async () => {
    const rows = sandbox.store.rows('AccountHistory').filter((r) => !r.IsDeleted);
    const c = connect(server.url);
    const points = await history(c, 'all');
    expect(c.apiCalls()).toBe(1 + Math.ceil(rows.length / 2000));

    const changes = rows.filter((r) => r.Field === 'ARR__c');
    const withChanges = new Set(changes.map((r) => String(r.AccountId)));
    const created = rows.filter((r) => r.Field === 'created' && withChanges.has(String(r.AccountId)));
    expect(points).toHaveLength(changes.length + created.length);
    const accounts = sandbox.store.rows('Account');
    // Most accounts have history reaching 180 days back; some have none at all.
    const reaching = accounts.filter((a) => points.some((p) => p.accountExternalId === a.Id && Date.parse(p.at) <= Date.now() - 180 * 86_400_000));
    expect(reaching.length / accounts.length).toBeGreaterThan(0.5);
    expect(accounts.filter((a) => !withChanges.has(a.Id)).length).toBeGreaterThan(0);
    // An account's newest point is its ARR today.
    const one = [...withChanges][0];
    const mine = points.filter((p) => p.accountExternalId === one);
    expect(mine[mine.length - 1].arr).toBe((sandbox.record('Account', one)!.ARR__c as number).toFixed(2));
    expect(mine.map((p) => p.at)).toEqual([...mine.map((p) => p.at)].sort());
  });

  it('reads only the named accounts’ history, and an ARR change shows as a new point at its time', async () => {
    const [changed] = sandbox.change({ changeAccounts: 1 }).changedAccounts;
    const account = sandbox.record('Account', changed)!;
    const c = connect(server.url);
    const points = await history(c, [changed]);
    expect(new Set(points.map((p) => p.accountExternalId))).toEqual(new Set([changed]));
    expect(points[points.length - 1]).toEqual({ accountExternalId: changed, at: iso(account.SystemModstamp), arr: (account.ARR__c as number).toFixed(2) });
    expect(c.apiCalls()).toBe(2);
  });

  it('an ARR__c update through the API is tracked like any other change', async () => {
    const account = sandbox.store.rows('Account').find((a) => typeof a.ARR__c === 'number' && !a.IsDeleted)!;
    const c = connect(server.url);
    const [result] = await c.updateRecords('account', [{ externalId: account.Id, fields: { ARR__c: 123456.78 } }]);
    expect(result).toEqual({ key: account.Id, externalId: account.Id });
    const points = await history(c, [account.Id]);
    expect(points[points.length - 1]).toEqual({ accountExternalId: account.Id, at: iso(sandbox.record('Account', account.Id)!.SystemModstamp), arr: '123456.78' });
  });

  it('splits many named accounts into `AccountId IN (…)` queries whose URLs stay within the budget', async () => {
    const ids = sandbox.store.rows('Account').map((a) => a.Id);
    const c = connect(server.url);
    const points = await history(c, ids);
    expect(points).toEqual(await history(connect(server.url), 'all'));
    // 3,000 ids at ~430 per query: 7 queries, each under 2,000 rows; plus the token call.
    expect(c.apiCalls()).toBe(1 + Math.ceil(3000 / 430));
  });
});

describe('Salesforce sandbox org without field history on ARR__c', () => {
  it('yields no ARR history, in one query', async () => {
    const sandbox = createSalesforceSandbox({ accounts: 50, arrHistoryTracked: false });
    const server = await listenSandbox(sandbox);
    try {
      sandbox.change({ changeAccounts: 5 });
      const c = connect(server.url);
      expect(await history(c, 'all')).toEqual([]);
      expect(c.apiCalls()).toBe(2);
    } finally {
      await server.close();
    }
  });
});

describe('Salesforce sandbox token endpoint as login.salesforce.com', () => {
  let sandbox: SalesforceSandbox;
  let server: ListeningSandbox;
  beforeAll(async () => {
    sandbox = createSalesforceSandbox({ accounts: 5, jwtPublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    server = await listenSandbox(sandbox);
  });
  afterAll(() => server.close());

  it('refuses the client credentials flow there (unsupported_grant_type), as Salesforce does; My Domain grants it', async () => {
    const form = 'grant_type=client_credentials&client_id=nps-bridge-sandbox-client&client_secret=nps-bridge-sandbox-secret';
    const post = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
    for (const answer of [await post('/login.salesforce.com/services/oauth2/token'), await post('/TEST.salesforce.com/services/oauth2/token')]) {
      expect(answer.status).toBe(400);
      expect(await answer.json()).toEqual({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
    }
    const viaHost = await post('/services/oauth2/token', { 'x-forwarded-host': 'login.salesforce.com' });
    expect(viaHost.status).toBe(400);
    expect((await post('/services/oauth2/token')).status).toBe(200);

    const refused = await connect(`${server.url}/login.salesforce.com`).testConnection();
    expect(refused).toMatchObject({ ok: false, authenticated: false, message: 'grant type not supported' });
  });

  it('still signs in with JWT bearer there', async () => {
    const jwt = connect(`${server.url}/login.salesforce.com`, {
      authType: 'jwt',
      username: 'integration@nps-bridge-sandbox.example.com',
      clientSecret: undefined,
      privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    expect(await jwt.testConnection()).toMatchObject({ ok: true, authenticated: true });
  });
});
