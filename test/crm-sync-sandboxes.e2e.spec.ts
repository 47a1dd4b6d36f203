import { DataSource } from 'typeorm';
import { listenSandbox, ListeningSandbox } from '../connectors/core/src';
import { createHubSpotSandbox, HubSpotSandbox, SANDBOX_PRIVATE_APP_TOKEN } from '../connectors/hubspot/sandbox';
import { ConnectorBuilder } from '../apps/api/src/connections/connector-builder';
import { CrmSyncService } from '../apps/worker/src/sync/crm-sync.service';
import { startTestService, TestService } from './support/service';

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

describe('CRM sync against the HubSpot sandbox', () => {
  let service: TestService;
  let db: DataSource;
  let sandbox: HubSpotSandbox;
  let served: ListeningSandbox;
  let sync: CrmSyncService;

  beforeAll(async () => {
    service = await startTestService({ api: false, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    sync = service.app.get(CrmSyncService);
    sandbox = createHubSpotSandbox({ companies: 450, contactsPerCompany: 3, seed: 11 });
    served = await listenSandbox(sandbox);
  });
  afterAll(async () => {
    await served.close();
    await service.close();
  });

  async function connect(token = SANDBOX_PRIVATE_APP_TOKEN): Promise<string> {
    const encrypted = service.app.get(ConnectorBuilder).encrypt({ authType: 'private_app', accessToken: token, baseUrl: served.url });
    const [row] = await db.query(
      `INSERT INTO connections (kind, name, credentials_encrypted, settings)
       VALUES ('hubspot', $1, $2, '{"roleMapping": {"End User": "end_user"}}') RETURNING id`,
      [`HubSpot ${Math.random()}`, encrypted],
    );
    return row.id;
  }

  function expected() {
    const c = sandbox.counts();
    return { accounts: c.companies, contacts: c.contacts, roles: c.associations, owners: c.owners + c.archivedOwners };
  }

  it('a full sync stores exactly the sandbox records; an incremental one applies just the changes', async () => {
    const connectionId = await connect();
    const full = await sync.run({ connectionId, trigger: 'manual' });
    expect(full).toMatchObject({ status: 'succeeded', mode: 'full', recordsUpdated: 0, recordsDeleted: 0 });
    expect(await stored(db, connectionId)).toEqual(expected());
    const roles = await db.query(
      `SELECT role, count(*)::int AS n FROM contacts WHERE connection_id = $1 GROUP BY role ORDER BY role`,
      [connectionId],
    );
    expect(roles.map((r: { role: string }) => r.role)).toEqual(expect.arrayContaining(['decision_maker', 'end_user', 'other']));

    sandbox.changeCompanies(20);
    sandbox.changeContacts(20);
    sandbox.archiveContacts(5);
    sandbox.archiveCompanies(5);
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
    const partial = await stored(db, connectionId);
    expect(partial.accounts).toBeLessThan(expected().accounts);

    const resumed = await sync.run({ connectionId, trigger: 'schedule' });
    expect(resumed?.status).toBe('succeeded');
    expect(await stored(db, connectionId)).toEqual(expected());
    const [{ dupes }] = await db.query(
      `SELECT count(*)::int - count(DISTINCT external_id)::int AS dupes FROM accounts WHERE connection_id = $1`,
      [connectionId],
    );
    expect(dupes).toBe(0);
  });

  it('wrong credentials: auth_failed with HubSpot’s message, one attempt, no retry', async () => {
    const connectionId = await connect('pat-na1-wrong');
    sandbox.resetCalls();
    const run = await sync.run({ connectionId, trigger: 'schedule' });
    expect(run?.status).toBe('failed');
    const [connection] = await db.query(`SELECT status, status_reason FROM connections WHERE id = $1`, [connectionId]);
    expect(connection.status).toBe('auth_failed');
    expect(connection.status_reason).toMatch(/authentication credentials/i);
    expect(sandbox.calls()).toBe(1);
  });
});
