import { DataSource } from 'typeorm';
import { createHubSpotSandbox, SANDBOX_PRIVATE_APP_TOKEN } from '@apps/sandbox/src/hubspot';
import { createSalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { CrmSyncService } from '@libs/app/src/sync/crm-sync.service';
import { startTestService, TestService } from './support/service';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

/** What the database holds for a connection: live rows per table. */
async function stored(db: DataSource, connectionId: string) {
  const count = async (sql: string) => (await db.query(sql, [connectionId]))[0].n as number;
  return {
    accounts: await count(`SELECT count(*)::int AS n FROM accounts WHERE connection_id = $1 AND deleted_at IS NULL`),
    contacts: await count(`SELECT count(*)::int AS n FROM contacts WHERE connection_id = $1 AND deleted_at IS NULL`),
    roles: await count(`SELECT count(*)::int AS n FROM contact_roles WHERE connection_id = $1 AND deleted_at IS NULL`),
    owners: await count(`SELECT count(*)::int AS n FROM crm_owners WHERE connection_id = $1 AND deleted_at IS NULL`),
  };
}

interface Vendor {
  kind: string;
  sandbox: () => { sandbox: VendorSandboxUnderTest };
  credentials: (url: string, wrong: boolean) => Record<string, unknown>;
  settings: Record<string, unknown>;
  expected: (s: VendorSandboxUnderTest) => { accounts: number; contacts: number; roles: number; owners: number };
  change: (s: VendorSandboxUnderTest) => void;
  authMessage: RegExp;
}

type VendorSandboxUnderTest = any;

const VENDORS: Vendor[] = [
  {
    kind: 'hubspot',
    sandbox: () => ({ sandbox: createHubSpotSandbox({ companies: 450, contactsPerCompany: 3, seed: 11 }) }),
    credentials: (url, wrong) => ({ authType: 'private_app', accessToken: wrong ? 'pat-na1-wrong' : SANDBOX_PRIVATE_APP_TOKEN, baseUrl: url }),
    settings: { roleMapping: { 'End User': 'end_user' } },
    expected: (sandbox) => {
      const c = sandbox.counts();
      return { accounts: c.companies, contacts: c.contacts, roles: c.associations, owners: c.owners + c.archivedOwners };
    },
    change: (sandbox) => {
      sandbox.changeCompanies(20);
      sandbox.changeContacts(20);
      sandbox.archiveContacts(5);
      sandbox.archiveCompanies(5);
    },
    authMessage: /authentication credentials/i,
  },
  {
    kind: 'salesforce',
    sandbox: () => ({
      sandbox: createSalesforceSandbox({
        accounts: 450,
        contactsPerAccount: 3,
        seed: 11,
        pageSize: 200,
      }) /* short pages (Salesforce returns fewer rows for wide records), so a stop lands mid-stream */,
    }),
    credentials: (url, wrong) => ({
      authType: 'client_credentials',
      loginUrl: url,
      clientId: 'nps-bridge-sandbox-client',
      clientSecret: wrong ? 'wrong-secret' : 'nps-bridge-sandbox-secret',
    }),
    settings: {},
    expected: (sandbox) => {
      const live = (o: string) => sandbox.store.rows(o).filter((r: { IsDeleted?: boolean }) => !r.IsDeleted);
      const ids = (o: string) => new Set(live(o).map((r: { Id: string }) => r.Id));
      const [accounts, contacts] = [ids('Account'), ids('Contact')];
      const roles = live('AccountContactRelation').filter(
        (r: { IsActive: boolean; AccountId: string; ContactId: string }) => r.IsActive !== false && accounts.has(r.AccountId) && contacts.has(r.ContactId),
      ).length;
      return { accounts: accounts.size, contacts: contacts.size, roles, owners: live('User').length };
    },
    change: (sandbox) => {
      sandbox.change({ changeAccounts: 20, changeContacts: 20, changeRoles: 10, deactivateRelations: 3, deleteRelations: 3, deleteContacts: 5, deleteAccounts: 5 });
    },
    authMessage: /invalid_client|client secret|credentials/i,
  },
];

describe.each(VENDORS)('CRM sync against the $kind sandbox', (vendor) => {
  let service: TestService;
  let db: DataSource;
  let sandbox: VendorSandboxUnderTest;
  let served: ListeningSandbox;
  let sync: CrmSyncService;

  beforeAll(async () => {
    service = await startTestService({ api: false, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    sync = service.app.get(CrmSyncService);
    sandbox = vendor.sandbox().sandbox;
    served = await listenSandbox(sandbox);
  });
  afterAll(async () => {
    await served.close();
    await service.close();
  });

  async function connect(wrong = false): Promise<string> {
    const encrypted = service.app.get(ConnectorBuilder).encrypt(vendor.credentials(served.url, wrong));
    const [row] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, settings) VALUES ($1, $2, $3, $4) RETURNING id`, [
      vendor.kind,
      `${vendor.kind} ${Math.random()}`,
      encrypted,
      vendor.settings,
    ]);
    return row.id;
  }

  const expected = () => vendor.expected(sandbox);

  it('a full sync stores exactly the sandbox records; an incremental one applies just the changes', async () => {
    const connectionId = await connect();
    const full = await sync.run({ connectionId, trigger: 'manual' });
    expect(full).toMatchObject({ status: 'succeeded', mode: 'full', recordsUpdated: 0, recordsDeleted: 0 });
    expect(await stored(db, connectionId)).toEqual(expected());
    const roles = await db.query(`SELECT role, count(*)::int AS n FROM contacts WHERE connection_id = $1 GROUP BY role ORDER BY role`, [connectionId]);
    expect(roles.map((r: { role: string }) => r.role)).toEqual(expect.arrayContaining(['decision_maker', 'end_user', 'other']));

    vendor.change(sandbox);
    const incremental = await sync.run({ connectionId, trigger: 'schedule' });
    expect(incremental).toMatchObject({ status: 'succeeded', mode: 'incremental' });
    expect(incremental!.recordsDeleted).toBeGreaterThanOrEqual(10);
    expect(await stored(db, connectionId)).toEqual(expected());
  });

  it('a sync stopped mid-way (worker shutting down) is finished by the next run with exactly the sandbox records', async () => {
    const connectionId = await connect();
    const stop = new AbortController();
    const progress = setInterval(() => {
      db.query(`SELECT count(*)::int AS n FROM accounts WHERE connection_id = $1`, [connectionId])
        .then(([{ n }]) => n >= 200 && stop.abort(new Error('worker stopping')))
        .catch(() => undefined);
    }, 5);
    try {
      await expect(sync.run({ connectionId, trigger: 'schedule' }, stop.signal)).rejects.toThrow(/worker is stopping/);
    } finally {
      clearInterval(progress);
    }
    const [interrupted] = await db.query(`SELECT status FROM sync_runs WHERE connection_id = $1`, [connectionId]);
    expect(interrupted.status).toBe('interrupted');
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(total(await stored(db, connectionId))).toBeLessThan(total(expected()));

    const resumed = await sync.run({ connectionId, trigger: 'schedule' });
    expect(resumed?.status).toBe('succeeded');
    expect(await stored(db, connectionId)).toEqual(expected());
    const [{ dupes }] = await db.query(`SELECT count(*)::int - count(DISTINCT external_id)::int AS dupes FROM accounts WHERE connection_id = $1`, [connectionId]);
    expect(dupes).toBe(0);
  });

  it('wrong credentials: auth_failed with the vendor’s message, one attempt, no retry', async () => {
    const connectionId = await connect(true);
    sandbox.resetCalls();
    const run = await sync.run({ connectionId, trigger: 'schedule' });
    expect(run?.status).toBe('failed');
    const [connection] = await db.query(`SELECT status, status_reason FROM connections WHERE id = $1`, [connectionId]);
    expect(connection.status).toBe('auth_failed');
    expect(connection.status_reason).toMatch(vendor.authMessage);
    expect(sandbox.calls()).toBe(1);
  });
});
