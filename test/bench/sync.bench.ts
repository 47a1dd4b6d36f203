import { DataSource } from 'typeorm';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { CrmSyncService } from '@libs/app/src/sync/crm-sync.service';
import { SANDBOX_PRIVATE_APP_TOKEN } from '@apps/sandbox/src/hubspot';
import { childSandbox, httpJson, peakRss, runBench } from './bench-support';
import { multiWorkerSync } from './multi-worker-sync';

/**
 * `npm run bench:sync`: syncs ACCOUNTS accounts (3 contacts each, with roles) from each CRM
 * sandbox, served by another process on loopback, and prints per vendor the calls spent
 * against the minimum of its connector README ("Minimum calls"), the time and the peak RSS of this process; then
 * changes 50 records and prints the same for the incremental run. Then three worker processes
 * share one HubSpot connection's rate budget (multi-worker-sync.ts; BENCH_MULTI=off skips it,
 * BENCH_MULTI=only runs nothing else).
 */
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 20_000);
const ceil = (n: number, page: number) => Math.max(1, Math.ceil(n / page));

interface Vendor {
  kind: string;
  credentials(url: string): Record<string, unknown>;
  settings: Record<string, unknown>;
  /** Live counts as the sandbox reports them, in our terms. */
  counts(url: string): Promise<{ accounts: number; contacts: number; roles: number; owners: number; minimum: number }>;
  change(url: string): Promise<void>;
  /** Minimum calls to read the 50 changes of `change` (the connector README's "Minimum calls", incremental). */
  incrementalMinimum: number;
}

const VENDORS: Vendor[] = [
  {
    kind: 'salesforce',
    credentials: (url) => ({ authType: 'client_credentials', loginUrl: url, clientId: 'nps-bridge-sandbox-client', clientSecret: 'nps-bridge-sandbox-secret' }),
    settings: {},
    async counts(url) {
      const c = (await httpJson<{ counts: Record<string, number> }>(`${url}/_sandbox/counts`)).counts;
      // 1 token call + ⌈rows/2000⌉ per SOQL stream (owners, accounts, contacts, AccountContactRelation)
      // + ⌈rows/2000⌉ for the ARR field history (AccountHistory, 'created' and ARR__c rows).
      const minimum = 1 + ceil(c.User, 2000) + ceil(c.Account, 2000) + ceil(c.Contact, 2000) + ceil(c.AccountContactRelation, 2000) + ceil(c.AccountHistory, 2000);
      return { accounts: c.Account, contacts: c.Contact, roles: c.AccountContactRelation - c.InactiveAccountContactRelation, owners: c.User, minimum };
    },
    change: (url) => httpJson(`${url}/_sandbox/mutate`, { changeAccounts: 20, changeContacts: 20, changeRoles: 10 }).then(() => undefined),
    // 1 token call + 1 queryAll per stream (each stream's changes fit one 2,000-row page), + 1
    // queryAll of Contracts changed since the accounts cursor (renewal dates), + 1 AccountHistory
    // query for the 20 changed accounts' ARR history.
    incrementalMinimum: 1 + 4 + 1 + 1,
  },
  {
    kind: 'hubspot',
    credentials: (url) => ({ authType: 'private_app', accessToken: SANDBOX_PRIVATE_APP_TOKEN, baseUrl: url }),
    settings: { roleMapping: { 'End User': 'end_user' } },
    async counts(url) {
      const c = await httpJson<Record<string, number>>(`${url}/_sandbox/counts`);
      // ⌈N/100⌉ company pages + ⌈N/100⌉ association batch reads + ⌈M/100⌉ contact pages (connectors/hubspot/README.md "What a read costs"),
      // plus what deletions and owners need: one archived-list page per object, owners (500 a page) live and archived.
      // ARR property history: ⌈N/50⌉ (HubSpot caps property-history reads at 50 records a call).
      const minimum = 2 * ceil(c.companies, 100) + ceil(c.contacts, 100) + 2 + 2 + ceil(c.companies, 50);
      return { accounts: c.companies, contacts: c.contacts, roles: c.associations, owners: c.owners + c.archivedOwners, minimum };
    },
    async change(url) {
      for (const [action, count] of [
        ['changeCompanies', 20],
        ['changeContacts', 20],
        ['relabelAssociations', 10],
      ] as const) {
        await httpJson(`${url}/_sandbox/mutate`, { action, count });
      }
    },
    // companies: 1 search + 1 association read; contacts: 1 search + 1 association read (20 + 10
    // relabelled contacts); 1 archived page each; owners live + archived; 1 batch read of the 20
    // changed companies' ARR history.
    incrementalMinimum: 2 + 2 + 2 + 2 + 1,
  },
];

async function stored(db: DataSource, id: string) {
  const [row] = await db.query(
    `SELECT (SELECT count(*)::int FROM accounts WHERE connection_id = $1 AND deleted_at IS NULL) AS accounts,
            (SELECT count(*)::int FROM contacts WHERE connection_id = $1 AND deleted_at IS NULL) AS contacts,
            (SELECT count(*)::int FROM contact_roles WHERE connection_id = $1 AND deleted_at IS NULL) AS roles,
            (SELECT count(*)::int FROM crm_owners WHERE connection_id = $1 AND deleted_at IS NULL) AS owners`,
    [id],
  );
  return row as { accounts: number; contacts: number; roles: number; owners: number };
}

runBench({ api: false, worker: true, sandbox: false }, async (service, databaseUrl) => {
  const db = service.app.get(DataSource);
  const sync = service.app.get(CrmSyncService);
  let failed = false;
  for (const vendor of process.env.BENCH_MULTI === 'only' ? [] : VENDORS) {
    const sandbox = await childSandbox(vendor.kind, ACCOUNTS);
    try {
      const [{ id }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, settings) VALUES ($1, $2, $3, $4) RETURNING id`, [
        vendor.kind,
        `bench ${vendor.kind}`,
        service.app.get(ConnectorBuilder).encrypt(vendor.credentials(sandbox.url)),
        vendor.settings,
      ]);
      for (const mode of ['full', 'incremental'] as const) {
        if (mode === 'incremental') await vendor.change(sandbox.url);
        const expected = await vendor.counts(sandbox.url);
        const memory = peakRss();
        const started = process.hrtime.bigint();
        const run = await sync.run({ connectionId: id, trigger: 'manual' });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const peak = memory.stop();
        const have = await stored(db, id);
        const minimum = mode === 'full' ? expected.minimum : vendor.incrementalMinimum;
        const calls = run?.apiCalls ?? NaN;
        const ratio = calls / minimum;
        const label = mode === 'full' ? `sync ${vendor.kind}` : `sync ${vendor.kind} incremental`;
        console.log(
          `${label}: accounts=${have.accounts} contacts=${have.contacts} calls=${calls} minimum=${minimum} ratio=${ratio.toFixed(2)} seconds=${seconds.toFixed(1)} peak_rss_mb=${peak}`,
        );
        const same = (['accounts', 'contacts', 'roles', 'owners'] as const).filter((k) => have[k] !== expected[k]);
        const within = mode === 'full' ? ratio <= 1.05 : calls <= minimum + 2 * 4;
        if (run?.status !== 'succeeded' || same.length || !within || peak >= 300) {
          failed = true;
          console.log(
            `  target missed: status=${run?.status} mismatched=${same.map((k) => `${k} ${have[k]}≠${expected[k]}`).join(', ') || 'none'} ` +
              `calls ${mode === 'full' ? 'ratio ≤ 1.05' : `≤ ${minimum + 8}`}: ${within} peak<300MB: ${peak < 300}`,
          );
        }
      }
    } finally {
      sandbox.stop();
    }
  }
  if (process.env.BENCH_MULTI !== 'off' && (await multiWorkerSync(service, databaseUrl, ACCOUNTS))) failed = true;
  return failed;
});
