import { DataSource } from 'typeorm';
import { CRM_CONNECTORS } from '@connectors/core/registry';
import { ConnectorBuilder } from '../connections/connector-builder';
import { SyncRunsRepository } from '@libs/db/src/repositories/sync-runs.repository';
import { ScriptedCrmData, scriptedCrmFactory } from '@test/support/scripted-crm';
import { startTestService, TestService } from '@test/support/service';
import { CrmSyncService } from './crm-sync.service';
import { SyncRecovery } from './sync-recovery';

/** Polls until `check` answers a value (the queued sync runs on the service's own worker). */
async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('syncs stopped by a dead worker are resumed in their mode', () => {
  let service: TestService;
  let data: ScriptedCrmData;
  let db: DataSource;
  let sync: CrmSyncService;
  let recovery: SyncRecovery;
  let connectionId: string;

  beforeAll(async () => {
    data = new ScriptedCrmData();
    CRM_CONNECTORS.scripted = scriptedCrmFactory(data);
    service = await startTestService({ api: false, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    sync = service.app.get(CrmSyncService);
    recovery = service.app.get(SyncRecovery);
  });
  afterAll(async () => {
    await service.close();
    delete CRM_CONNECTORS.scripted;
  });

  beforeEach(async () => {
    const encrypted = service.app.get(ConnectorBuilder).encrypt({ token: 't' });
    [{ id: connectionId }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, settings) VALUES ('scripted', $1, $2, '{}') RETURNING id`, [
      `crm ${Math.random()}`,
      encrypted,
    ]);
    Object.assign(data, new ScriptedCrmData());
    data.put('owners', { externalId: 'U1', name: 'Casey CSM', email: 'casey@vendor.example', active: true });
    for (let i = 1; i <= 6; i++) {
      data.put('accounts', {
        externalId: `A${i}`,
        name: `Account ${i}`,
        arr: '1000.00',
        arrCurrency: 'USD',
        renewalDate: null,
        tier: null,
        customerSince: null,
        ownerExternalId: 'U1',
        usageScore: null,
      });
    }
    // A first full sync has completed: from here on, only a killed full read makes a run full.
    expect(await sync.run({ connectionId, trigger: 'manual' })).toMatchObject({ status: 'succeeded', mode: 'full' });
    await db.query(`UPDATE sync_runs SET created_at = created_at - interval '1 hour', started_at = started_at - interval '1 hour' WHERE connection_id = $1`, [connectionId]);
  });
  // Each test's leftovers stay its own: recovery leaves removed connections alone.
  afterEach(() => db.query(`UPDATE connections SET deleted_at = now() WHERE id = $1`, [connectionId]));

  /** A run as a worker killed mid-way leaves it: running, its last heartbeat `secondsAgo` old. */
  async function leftRunning(mode: 'full' | 'incremental', secondsAgo: number): Promise<string> {
    const [{ id }] = await db.query(
      `INSERT INTO sync_runs (connection_id, mode, status, trigger, started_at, heartbeat_at, records_read)
       VALUES ($1, $2, 'running', 'manual', now() - $3 * interval '1 second', now() - $3 * interval '1 second', 3) RETURNING id`,
      [connectionId, mode, secondsAgo],
    );
    return id;
  }

  const runs = () =>
    db.query(`SELECT id, status, mode, records_read, records_deleted, resumed_at IS NOT NULL AS resumed FROM sync_runs WHERE connection_id = $1 ORDER BY created_at`, [
      connectionId,
    ]) as Promise<Array<{ id: string; status: string; mode: string; records_read: number; records_deleted: number; resumed: boolean }>>;
  /** The first run after `id` to succeed. */
  const succeededAfter = async (id: string) => {
    const all = await runs();
    return all.slice(all.findIndex((r) => r.id === id) + 1).find((r) => r.status === 'succeeded');
  };
  const liveAccounts = async () =>
    (await db.query(`SELECT external_id FROM accounts WHERE connection_id = $1 AND deleted_at IS NULL ORDER BY external_id`, [connectionId])).map(
      (r: { external_id: string }) => r.external_id,
    );

  it('a full run without a heartbeat for a minute and no live session is resumed as a full run, which sweeps what the vendor lost', async () => {
    const killed = await leftRunning('full', 90);
    data.rows.accounts.delete('A6'); // gone without a trace in the vendor's delete log: only a full read notices

    expect((await recovery.resumeStopped()).map((r) => [r.id, r.mode])).toEqual([[killed, 'full']]);
    const finished = await waitFor(() => succeededAfter(killed));
    expect(finished).toMatchObject({ mode: 'full', records_read: 6, records_deleted: 1 });
    expect((await runs()).find((r) => r.id === killed)).toMatchObject({ status: 'interrupted', resumed: true });
    expect(await liveAccounts()).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    // Resumed once: a second look finds nothing to do.
    expect(await recovery.resumeStopped()).toEqual([]);
  });

  it('leaves alone a run whose heartbeat is fresh, and one whose worker session still holds the connection', async () => {
    const fresh = await leftRunning('full', 5);
    expect(await recovery.resumeStopped()).toEqual([]);
    await db.query(`UPDATE sync_runs SET heartbeat_at = now() - interval '5 minutes' WHERE id = $1`, [fresh]);

    const session = db.createQueryRunner(); // the slow worker's session: still open
    await session.connect();
    try {
      expect(await new SyncRunsRepository(session.manager).tryLock(connectionId)).toBe(true);
      expect(await recovery.resumeStopped()).toEqual([]);
      expect((await runs()).find((r) => r.id === fresh)).toMatchObject({ status: 'running', resumed: false });
    } finally {
      await new SyncRunsRepository(session.manager).unlock(connectionId);
      await session.release();
    }
  });

  it('a scheduled run after a full run that never finished reads in full, whatever the schedule asked', async () => {
    await leftRunning('full', 5);
    data.rows.accounts.delete('A5');
    const next = await sync.run({ connectionId, trigger: 'schedule' });
    expect(next).toMatchObject({ status: 'succeeded', mode: 'full', recordsDeleted: 1 });
    expect(await liveAccounts()).toEqual(['A1', 'A2', 'A3', 'A4', 'A6']);
    // An incremental run after a finished full one stays incremental.
    expect(await sync.run({ connectionId, trigger: 'schedule' })).toMatchObject({ status: 'succeeded', mode: 'incremental' });
  });

  it('a run stopped by a worker shutting down is resumed without waiting for the queue backoff', async () => {
    const [{ id: stopped }] = await db.query(
      `INSERT INTO sync_runs (connection_id, mode, status, trigger, started_at, finished_at, error)
       VALUES ($1, 'full', 'interrupted', 'schedule', now(), now(), 'the worker is stopping; the next run resumes') RETURNING id`,
      [connectionId],
    );
    expect((await recovery.resumeStopped()).map((r) => r.id)).toEqual([stopped]);
    const resumed = await waitFor(() => succeededAfter(stopped));
    expect(resumed).toMatchObject({ mode: 'full', records_read: 7 });
  });
});
