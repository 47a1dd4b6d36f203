import { DataSource } from 'typeorm';
import { createHubSpotSandbox, HubSpotSandbox, SANDBOX_PRIVATE_APP_TOKEN } from '@apps/sandbox/src/hubspot';
import { createSalesforceSandbox, SalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { ConnectorBuilder } from '../connections/connector-builder';
import { startTestService, TestService } from '@test/support/service';
import { CrmSyncService } from './crm-sync.service';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

/** The 'crm' snapshots stored for one account, oldest first. */
async function crmPoints(db: DataSource, connectionId: string, externalId: string): Promise<Array<{ arr: string; at: string }>> {
  const rows: Array<{ arr: string; at: Date }> = await db.query(
    `SELECT s.arr::text AS arr, s.captured_at AS at FROM arr_snapshots s JOIN accounts a ON a.id = s.account_id
     WHERE a.connection_id = $1 AND a.external_id = $2 AND s.source = 'crm' ORDER BY s.captured_at`,
    [connectionId, externalId],
  );
  return rows.map((r) => ({ arr: r.arr, at: new Date(r.at).toISOString() }));
}

async function countCrmPoints(db: DataSource, connectionId: string): Promise<number> {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM arr_snapshots s JOIN accounts a ON a.id = s.account_id WHERE a.connection_id = $1 AND s.source = 'crm'`, [
    connectionId,
  ]);
  return n;
}

describe('CRM sync stores the CRM’s ARR history and Contract-driven renewals', () => {
  let service: TestService;
  let db: DataSource;
  let sync: CrmSyncService;
  const served: ListeningSandbox[] = [];

  beforeAll(async () => {
    service = await startTestService({ api: false, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    sync = service.app.get(CrmSyncService);
  });
  afterAll(async () => {
    for (const s of served) await s.close();
    await service.close();
  });

  async function connect(kind: string, credentials: Record<string, unknown>): Promise<string> {
    const encrypted = service.app.get(ConnectorBuilder).encrypt(credentials);
    const [row] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, settings) VALUES ($1, $2, $3, '{}') RETURNING id`, [
      kind,
      `${kind} ${Math.random()}`,
      encrypted,
    ]);
    return row.id;
  }

  it('Salesforce: a full sync stores AccountHistory as crm snapshots once; an extended Contract updates renewal_date incrementally', async () => {
    const sandbox: SalesforceSandbox = createSalesforceSandbox({ accounts: 300, seed: 5 });
    const server = await listenSandbox(sandbox);
    served.push(server);
    const connectionId = await connect('salesforce', {
      authType: 'client_credentials',
      loginUrl: server.url,
      clientId: 'nps-bridge-sandbox-client',
      clientSecret: 'nps-bridge-sandbox-secret',
    });
    const full = await sync.run({ connectionId, trigger: 'manual' });
    expect(full).toMatchObject({ status: 'succeeded', mode: 'full' });
    const changes = sandbox.store.rows('AccountHistory').filter((r) => r.Field === 'ARR__c');
    const withChanges = new Set(changes.map((r) => String(r.AccountId)));
    const created = sandbox.store.rows('AccountHistory').filter((r) => r.Field === 'created' && withChanges.has(String(r.AccountId)));
    expect(await countCrmPoints(db, connectionId)).toBe(changes.length + created.length);
    const account = [...withChanges][0];
    const points = await crmPoints(db, connectionId, account);
    expect(points[points.length - 1].arr).toBe((sandbox.record('Account', account)!.ARR__c as number).toFixed(2));

    const { extendedContracts } = sandbox.change({ extendContracts: 2, changeAccounts: 2 });
    const incremental = await sync.run({ connectionId, trigger: 'schedule' });
    expect(incremental).toMatchObject({ status: 'succeeded', mode: 'incremental' });
    for (const id of extendedContracts) {
      const contract = sandbox.record('Contract', id)!;
      const [row] = await db.query(`SELECT to_char(renewal_date, 'YYYY-MM-DD') AS renewal FROM accounts WHERE connection_id = $1 AND external_id = $2`, [
        connectionId,
        contract.AccountId,
      ]);
      expect(row.renewal).toBe(contract.EndDate);
    }
    // The changed accounts' new ARR arrived as history points too; nothing was stored twice.
    // An account's first ARR change also dates its creation value (its 'created' row).
    const changesNow = sandbox.store.rows('AccountHistory').filter((r) => r.Field === 'ARR__c');
    const changedNow = new Set(changesNow.map((r) => String(r.AccountId)));
    const createdNow = sandbox.store.rows('AccountHistory').filter((r) => r.Field === 'created' && changedNow.has(String(r.AccountId)));
    expect(await countCrmPoints(db, connectionId)).toBe(changesNow.length + createdNow.length);
    const [{ due }] = await db.query(`SELECT count(*)::int AS due FROM accounts WHERE connection_id = $1 AND arr_history_due`, [connectionId]);
    expect(due).toBe(0);
  });

  it('HubSpot: a full sync stores property history in ⌈N/50⌉ extra calls; a changed ARR adds one point on the next run', async () => {
    const sandbox: HubSpotSandbox = createHubSpotSandbox({ companies: 260, contactsPerCompany: 1, seed: 9 });
    const server = await listenSandbox(sandbox);
    served.push(server);
    const connectionId = await connect('hubspot', { authType: 'private_app', accessToken: SANDBOX_PRIVATE_APP_TOKEN, baseUrl: server.url });
    const full = await sync.run({ connectionId, trigger: 'manual' });
    expect(full).toMatchObject({ status: 'succeeded', mode: 'full' });
    const entries = sandbox.portal.companies.flatMap((c) => sandbox.portal.history.companies.get(c.id)?.arr ?? []);
    expect(await countCrmPoints(db, connectionId)).toBe(entries.length);
    // connectors/hubspot/README.md "What a read costs", full read: 2 × ⌈N/100⌉ + ⌈M/100⌉ + 2 archived + 2 owners; history adds ⌈N/50⌉.
    expect(full!.apiCalls).toBe(2 * 3 + 3 + 2 + 2 + Math.ceil(260 / 50));

    const again = await sync.run({ connectionId, trigger: 'manual', full: true });
    expect(again?.status).toBe('succeeded');
    expect(await countCrmPoints(db, connectionId)).toBe(entries.length);

    let changed: string | undefined;
    while (!changed) {
      const [id] = sandbox.changeCompanies(1);
      const kept = sandbox.portal.history.companies.get(id)?.arr ?? [];
      if (kept.length && kept[kept.length - 1].value === sandbox.companyProperties(id)!.arr) changed = id;
    }
    const before = await crmPoints(db, connectionId, changed);
    const incremental = await sync.run({ connectionId, trigger: 'schedule' });
    expect(incremental).toMatchObject({ status: 'succeeded', mode: 'incremental' });
    const after = await crmPoints(db, connectionId, changed);
    expect(after.slice(0, -1)).toEqual(before);
    expect(Number(after[after.length - 1].arr)).toBe(Number(sandbox.companyProperties(changed)!.arr));
  });
});
