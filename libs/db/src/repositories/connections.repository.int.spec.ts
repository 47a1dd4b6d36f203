import { DataSource } from 'typeorm';
import { CrmFixtures } from '@test/support/crm-fixtures';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { createDataSource } from '../data-source';
import { runMigrations } from '../migrate';
import { ConnectionsRepository } from './connections.repository';

/** The sync schedule's, the sync page's and the removal's statements on connections, on real Postgres. */
describe('ConnectionsRepository on Postgres', () => {
  let database: TestDatabase;
  let db: DataSource;
  let fx: CrmFixtures;

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    db = await createDataSource(database.url).initialize();
    fx = new CrmFixtures(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database.drop();
  });
  beforeEach(() => db.query(`TRUNCATE connections CASCADE`));

  const set = (id: string, assignments: string) => db.query(`UPDATE connections SET ${assignments} WHERE id = $1`, [id]);

  it('lists the connections the sync schedule may sync now: live, of a CRM kind, enabled, not paused', async () => {
    const active = await fx.connection('salesforce');
    const failed = await fx.connection('hubspot');
    await set(failed, `status = 'auth_failed'`);
    const pauseOver = await fx.connection('hubspot');
    await set(pauseOver, `status = 'paused', paused_until = now() - interval '1 minute'`);
    const paused = await fx.connection('hubspot');
    await set(paused, `status = 'paused', paused_until = now() + interval '1 hour'`);
    const disabled = await fx.connection('salesforce');
    await set(disabled, `status = 'disabled'`);
    const removed = await fx.connection('salesforce');
    await set(removed, `deleted_at = now()`);
    await fx.connection('zendesk');

    const due = await new ConnectionsRepository(db.manager).dueForSync(['salesforce', 'hubspot']);
    expect(due.sort()).toEqual([active, failed, pauseOver].sort());
  });

  it('holds a live connection for a sync page and refuses once it was removed; removal erases the credentials', async () => {
    const id = await fx.connection('salesforce');
    const connections = new ConnectionsRepository(db.manager);
    expect(await db.transaction((tx) => new ConnectionsRepository(tx).holdLive(id))).toBe(true);
    expect(await db.transaction((tx) => new ConnectionsRepository(tx).lockLive(id))).toEqual({ id, kind: 'salesforce' });
    expect(await connections.countLive()).toBe(1);

    await connections.softDeleteAndEraseCredentials(id);
    expect(await db.transaction((tx) => new ConnectionsRepository(tx).holdLive(id))).toBe(false);
    expect(await connections.lockLive(id)).toBeUndefined();
    expect(await connections.countLive()).toBe(0);
    expect(await connections.saveCredentialsOfLive(id, 'v1.late.refresh')).toBe(false);
    expect(await connections.listStoredCredentials()).toEqual([]);
    expect(await connections.findLive(id)).toBeNull();
    expect(await connections.loadWithCredentials(id)).toBeNull();
  });

  it('replaces credentials only when unchanged since read, and lists what is stored newest first', async () => {
    const older = await fx.connection('salesforce');
    const newer = await fx.connection('zendesk');
    await set(older, `updated_at = now() - interval '1 day'`);
    const connections = new ConnectionsRepository(db.manager);
    expect((await connections.listStoredCredentials()).map((c) => c.id)).toEqual([newer, older]);
    expect(await connections.replaceCredentialsIfUnchanged(older, 'v1.other', 'v2.new')).toBe(false);
    expect(await connections.replaceCredentialsIfUnchanged(older, 'v1.x.y.z', 'v2.new')).toBe(true);
    expect(await connections.saveCredentialsOfLive(newer, 'v2.secret')).toBe(true);
    expect(await connections.webhookCredentials(newer)).toEqual({ kind: 'zendesk', credentials_encrypted: 'v2.secret' });
    await set(newer, `status = 'disabled'`);
    expect(await connections.webhookCredentials(newer)).toBeUndefined();
    expect(await connections.enabledIdsOfKinds(['zendesk'])).toEqual([]);
    expect((await connections.usable()).map((c) => c.id)).toEqual([older]);
  });
});
