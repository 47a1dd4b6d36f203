import { DataSource } from 'typeorm';
import { CRM_CONNECTORS } from '@connectors/core/registry';
import { ConnectorBuilder } from '../connections/connector-builder';
import { ScriptedCrmData, scriptedCrmFactory } from '@test/support/scripted-crm';
import { startTestService, TestService } from '@test/support/service';
import { CrmSyncService } from './crm-sync.service';
import { SyncSchedule } from './sync-schedule';

describe('CRM sync engine', () => {
  let service: TestService;
  let data: ScriptedCrmData;
  let sync: CrmSyncService;
  let db: DataSource;
  let connectionId: string;

  beforeAll(async () => {
    data = new ScriptedCrmData();
    CRM_CONNECTORS.scripted = scriptedCrmFactory(data);
    service = await startTestService({ api: false, worker: true, sandbox: false });
    sync = service.app.get(CrmSyncService);
    db = service.app.get(DataSource);
  });
  afterAll(async () => {
    await service.close();
    delete CRM_CONNECTORS.scripted;
  });

  beforeEach(async () => {
    const encrypted = service.app.get(ConnectorBuilder).encrypt({ token: 't' });
    const [row] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, settings) VALUES ('scripted', $1, $2, '{}') RETURNING id`, [
      `crm ${Math.random()}`,
      encrypted,
    ]);
    connectionId = row.id;
    Object.assign(data, new ScriptedCrmData());
    data.put('owners', { externalId: 'U1', name: 'Casey CSM', email: 'casey@vendor.example', active: true });
    for (let i = 1; i <= 4; i++) {
      data.put('accounts', {
        externalId: `A${i}`,
        name: `Account ${i}`,
        arr: i === 1 ? '100000.00' : `${i * 1000}.50`,
        arrCurrency: 'USD',
        renewalDate: '2027-02-01',
        tier: 'Mid-Market',
        customerSince: '2024-05-01',
        ownerExternalId: 'U1',
        usageScore: null,
      });
    }
    for (let i = 1; i <= 7; i++) {
      data.put('contacts', { externalId: `C${i}`, accountExternalId: `A${(i % 4) + 1}`, email: `c${i}@customer.example`, firstName: `F${i}`, lastName: `L${i}` });
    }
    data.put('contact_roles', { externalId: 'R1', accountExternalId: 'A2', contactExternalId: 'C1', roles: ['Business User', 'Decision Maker'] });
    data.put('contact_roles', { externalId: 'R2', accountExternalId: 'A3', contactExternalId: 'C2', roles: ['Technical Buyer'] });
    data.put('contact_roles', { externalId: 'R3', accountExternalId: 'A1', contactExternalId: 'C2', roles: ['Economic Buyer'] });
  });

  const liveIds = async (table: string): Promise<string[]> =>
    (await db.query(`SELECT external_id FROM ${table} WHERE connection_id = $1 AND deleted_at IS NULL ORDER BY external_id`, [connectionId])).map(
      (r: { external_id: string }) => r.external_id,
    );

  it('reads everything on the first run, links references and normalises roles at the primary account', async () => {
    const run = await sync.run({ connectionId, trigger: 'manual' });
    expect(run).toMatchObject({ status: 'succeeded', mode: 'full', recordsRead: 15, recordsCreated: 15, recordsUpdated: 0, recordsDeleted: 0 });
    expect(await liveIds('accounts')).toEqual(data.live('accounts'));
    expect(await liveIds('contacts')).toEqual(data.live('contacts'));
    const contacts = await db.query(
      `SELECT c.external_id, c.role, c.source_roles, a.external_id AS account FROM contacts c JOIN accounts a ON a.id = c.account_id
       WHERE c.connection_id = $1 AND c.external_id IN ('C1', 'C2', 'C3') ORDER BY 1`,
      [connectionId],
    );
    expect(contacts).toEqual([
      { external_id: 'C1', role: 'decision_maker', source_roles: ['Business User', 'Decision Maker'], account: 'A2' },
      // C2's primary account is A3, where it is a Technical Buyer; its Economic Buyer role is at A1.
      { external_id: 'C2', role: 'admin', source_roles: ['Technical Buyer'], account: 'A3' },
      { external_id: 'C3', role: 'other', source_roles: [], account: 'A4' },
    ]);
    const [arr] = await db.query(`SELECT arr FROM accounts WHERE connection_id = $1 AND external_id = 'A1'`, [connectionId]);
    expect(arr.arr).toBe('100000.00');
    const [connection] = await db.query(`SELECT status FROM connections WHERE id = $1`, [connectionId]);
    expect(connection.status).toBe('active');
  });

  it('applies only changes on the next run: updates, deletions, new records and an ARR snapshot per ARR change', async () => {
    await sync.run({ connectionId, trigger: 'manual' });
    data.put('accounts', { ...data.rows.accounts.get('A2')!, arr: '9000.00' });
    data.put('contacts', { externalId: 'C8', accountExternalId: 'A1', email: 'c8@customer.example', firstName: 'F8', lastName: 'L8' });
    data.remove('contacts', 'C5');
    data.put('contact_roles', { ...data.rows.contact_roles.get('R2')!, roles: ['Business User'] });

    const run = await sync.run({ connectionId, trigger: 'schedule' });
    expect(run).toMatchObject({ status: 'succeeded', mode: 'incremental', recordsCreated: 1, recordsUpdated: 2, recordsDeleted: 1 });
    expect(await liveIds('contacts')).toEqual(data.live('contacts'));
    const snapshots = await db.query(`SELECT s.arr FROM arr_snapshots s JOIN accounts a ON a.id = s.account_id WHERE a.connection_id = $1 AND a.external_id = 'A2' ORDER BY s.id`, [
      connectionId,
    ]);
    expect(snapshots.map((s: { arr: string }) => s.arr)).toEqual(['2000.50', '9000.00']);
    const [c2] = await db.query(`SELECT role FROM contacts WHERE connection_id = $1 AND external_id = 'C2'`, [connectionId]);
    expect(c2.role).toBe('end_user');

    const quiet = await sync.run({ connectionId, trigger: 'schedule' });
    // inclusive cursors re-read the last record of each stream, which changes nothing
    expect(quiet).toMatchObject({ status: 'succeeded', recordsCreated: 0, recordsUpdated: 0, recordsDeleted: 0 });
  });

  it('after a crash mid-way, the next run ends with exactly the vendor records', async () => {
    data.failAfterPages = 2;
    await expect(sync.run({ connectionId, trigger: 'schedule' })).rejects.toThrow('connection reset mid-sync');
    const [failed] = await db.query(`SELECT status, error FROM sync_runs WHERE connection_id = $1`, [connectionId]);
    expect(failed).toEqual({ status: 'failed', error: 'connection reset mid-sync' });
    expect((await liveIds('accounts')).length).toBeGreaterThan(0);

    const run = await sync.run({ connectionId, trigger: 'schedule' });
    expect(run?.status).toBe('succeeded');
    expect(await liveIds('accounts')).toEqual(data.live('accounts'));
    expect(await liveIds('contacts')).toEqual(data.live('contacts'));
    expect(await liveIds('contact_roles')).toEqual(data.live('contact_roles'));
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM accounts WHERE connection_id = $1`, [connectionId]);
    expect(n).toBe(4);
  });

  it('a connection deleted during its sync gets nothing written back: its records stay removed', async () => {
    data.beforePage = async (served) => {
      if (served !== 2) return;
      // What DELETE /api/connections/:id commits (ConnectionsService.remove), between two pages.
      await db.query(`UPDATE accounts SET deleted_at = now() WHERE connection_id = $1`, [connectionId]);
      await db.query(`UPDATE contacts SET deleted_at = now() WHERE connection_id = $1`, [connectionId]);
      await db.query(`UPDATE connections SET deleted_at = now(), credentials_encrypted = '' WHERE id = $1`, [connectionId]);
    };
    const run = await sync.run({ connectionId, trigger: 'manual' });
    expect(run).toMatchObject({ status: 'failed', error: 'the connection was removed during the sync' });
    expect(await liveIds('accounts')).toEqual([]);
    expect(await liveIds('contacts')).toEqual([]);
    const [{ credentials }] = await db.query(`SELECT credentials_encrypted AS credentials FROM connections WHERE id = $1`, [connectionId]);
    expect(credentials).toBe('');
  });

  it('a full run soft-deletes what the vendor no longer has', async () => {
    await sync.run({ connectionId, trigger: 'manual' });
    data.rows.accounts.delete('A4'); // gone without a trace in the vendor's delete log
    const run = await sync.run({ connectionId, trigger: 'manual', full: true });
    expect(run).toMatchObject({ status: 'succeeded', mode: 'full', recordsDeleted: 1 });
    expect(await liveIds('accounts')).toEqual(['A1', 'A2', 'A3']);
  });

  it('marks refused credentials auth_failed with the vendor message, once, without throwing for a retry', async () => {
    data.rejectCredentials = 'INVALID_LOGIN: Invalid username, password, security token; or user locked out.';
    const run = await sync.run({ connectionId, trigger: 'schedule' });
    expect(run).toMatchObject({ status: 'failed', error: data.rejectCredentials });
    expect(data.calls).toBe(1);
    const [connection] = await db.query(`SELECT status, status_reason FROM connections WHERE id = $1`, [connectionId]);
    expect(connection).toEqual({ status: 'auth_failed', status_reason: data.rejectCredentials });
  });

  it('pauses a connection past its API budget, records why, and the schedule leaves it alone until the pause ends', async () => {
    data.usage = { used: 51_000, limit: 100_000 };
    const run = await sync.run({ connectionId, trigger: 'schedule' });
    expect(run?.status).toBe('paused');
    const [connection] = await db.query(`SELECT status, status_reason, paused_until > now() + interval '59 minutes' AS later FROM connections WHERE id = $1`, [connectionId]);
    expect(connection.status).toBe('paused');
    expect(connection.status_reason).toMatch(/^API usage 51000\/100000 \(51\.0 %\) passed this connection's budget of 50 %/);
    expect(connection.later).toBe(true);

    await service.app.get(SyncSchedule).tick();
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'crm.sync' AND data->>'connectionId' = $1`, [connectionId]);
    expect(n).toBe(0);
  });
});
