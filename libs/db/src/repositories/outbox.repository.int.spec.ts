import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { createDataSource } from '../data-source';
import { runMigrations } from '../migrate';
import { CLAIM_TIMEOUT_MS, OutboxRepository } from './outbox.repository';

const NOW = new Date('2026-11-10T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

/** The outbox claim: across workers (SKIP LOCKED), one CRM object per batch, a dead worker's claim offered again. */
describe('OutboxRepository.claim on Postgres', () => {
  let database: TestDatabase;
  let db: DataSource;
  let crm: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    db = await createDataSource(database.url).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await database.drop();
  });
  beforeEach(async () => {
    await db.query(`TRUNCATE outbox, connections CASCADE`);
    [{ id: crm }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted) VALUES ('crm', 'CRM', '') RETURNING id`);
  });

  async function tasks(n: number, at = minutes(-1)): Promise<void> {
    const outbox = new OutboxRepository(db.manager);
    for (let i = 0; i < n; i++) await outbox.enqueue({ connectionId: crm, operation: 'crm.create_task', dedupeKey: `task:${i}`, payload: { task: { key: String(i) } } }, at);
  }
  const statuses = async () => (await db.query(`SELECT id, status, attempts FROM outbox ORDER BY id`)) as Array<{ id: string; status: string; attempts: number }>;

  it('claims due rows oldest first as delivering, and gives them to no one else', async () => {
    await tasks(3);
    const outbox = new OutboxRepository(db.manager);
    const claimed = await outbox.claim(crm, 'crm.create_task', 2, NOW);
    expect(claimed.map((m) => m.payload)).toEqual([{ task: { key: '0' } }, { task: { key: '1' } }]);
    expect(claimed.every((m) => m.attempts === 1 && m.outcomeUnknownSince === null)).toBe(true);
    expect((await outbox.claim(crm, 'crm.create_task', 10, NOW)).map((m) => m.payload)).toEqual([{ task: { key: '2' } }]);
    expect(await outbox.claim(crm, 'crm.create_task', 10, NOW)).toEqual([]);
    expect((await statuses()).map((r) => r.status)).toEqual(['delivering', 'delivering', 'delivering']);
  });

  it('never hands one row to two workers: a claim skips the rows another transaction holds', async () => {
    await tasks(6);
    const worker = db.createQueryRunner();
    await worker.connect();
    await worker.startTransaction();
    try {
      const first = await new OutboxRepository(worker.manager).claim(crm, 'crm.create_task', 2, NOW);
      const second = await db.transaction((tx) => new OutboxRepository(tx).claim(crm, 'crm.create_task', 10, NOW));
      expect(first).toHaveLength(2);
      expect(second).toHaveLength(4);
      expect(second.some((m) => first.some((f) => f.id === m.id))).toBe(false);
      await worker.commitTransaction();
    } finally {
      await worker.release();
    }
  });

  it('splits the due rows between many concurrent claims without a row claimed twice', async () => {
    await tasks(25);
    const claims = await Promise.all([1, 2, 3, 4, 5].map(() => db.transaction((tx) => new OutboxRepository(tx).claim(crm, 'crm.create_task', 4, NOW))));
    const ids = claims.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      (await statuses())
        .filter((r) => r.status === 'delivering')
        .map((r) => r.id)
        .sort(),
    ).toEqual([...ids].sort());
  });

  it('fills a batch with field updates of one CRM object only', async () => {
    const outbox = new OutboxRepository(db.manager);
    for (const id of ['001A', '001B', '001C']) await outbox.enqueueFieldUpdate(crm, 'account', id, { nps_relational: 10 }, minutes(-1));
    for (const id of ['003A', '003B']) await outbox.enqueueFieldUpdate(crm, 'contact', id, { nps_last_score: 9 }, minutes(-1));
    // A second change before delivery merges into the record's pending update: one row, later values win.
    await outbox.enqueueFieldUpdate(crm, 'account', '001A', { nps_relational: 20, nps_quadrant: 'healthy' }, minutes(-1));

    const accounts = await outbox.claim<{ object: string; externalId: string; fields: object }>(crm, 'crm.update_record', 1000, NOW, 'account');
    expect(accounts.map((m) => [m.payload.object, m.payload.externalId])).toEqual([
      ['account', '001A'],
      ['account', '001B'],
      ['account', '001C'],
    ]);
    expect(accounts[0].payload.fields).toEqual({ nps_relational: 20, nps_quadrant: 'healthy' });
    const contacts = await outbox.claim<{ object: string; externalId: string }>(crm, 'crm.update_record', 1000, NOW, 'contact');
    expect(contacts.map((m) => [m.payload.object, m.payload.externalId])).toEqual([
      ['contact', '003A'],
      ['contact', '003B'],
    ]);
  });

  it("offers a dead worker's claim again after the timeout: a create's outcome is then unknown, an update's is not", async () => {
    const outbox = new OutboxRepository(db.manager);
    await tasks(1, minutes(-30));
    await outbox.enqueueFieldUpdate(crm, 'account', '001A', { nps_relational: 10 }, minutes(-30));
    const diedAt = new Date(NOW.getTime() - CLAIM_TIMEOUT_MS - 60_000);
    const [task] = await outbox.claim(crm, 'crm.create_task', 10, diedAt);
    const [update] = await outbox.claim(crm, 'crm.update_record', 10, diedAt, 'account');

    // Still inside the timeout: the claim holds.
    expect(await outbox.claim(crm, 'crm.create_task', 10, new Date(diedAt.getTime() + CLAIM_TIMEOUT_MS - 1))).toEqual([]);
    const [again] = await outbox.claim(crm, 'crm.create_task', 10, NOW);
    expect(again).toMatchObject({ id: task.id, attempts: 2, outcomeUnknownSince: diedAt });
    const [updateAgain] = await outbox.claim(crm, 'crm.update_record', 10, NOW, 'account');
    expect(updateAgain).toMatchObject({ id: update.id, attempts: 2, outcomeUnknownSince: null });
    expect(await outbox.connectionsDue(NOW)).toEqual([]);
  });

  it('records a delivered batch at once, each row with its vendor id, and leaves the rows not named out', async () => {
    await tasks(3);
    const outbox = new OutboxRepository(db.manager);
    const [a, b, c] = await outbox.claim(crm, 'crm.create_task', 10, NOW);
    await outbox.deliveredAll(
      [
        { id: a.id, externalId: 'task-a' },
        { id: b.id, externalId: null },
      ],
      NOW,
    );
    const rows = await db.query(`SELECT id, status, external_id, delivered_at, claimed_at FROM outbox ORDER BY id`);
    expect(rows).toEqual([
      { id: a.id, status: 'delivered', external_id: 'task-a', delivered_at: NOW, claimed_at: null },
      { id: b.id, status: 'delivered', external_id: null, delivered_at: NOW, claimed_at: null },
      { id: c.id, status: 'delivering', external_id: null, delivered_at: null, claimed_at: NOW },
    ]);
  });

  it("holds a record's newer update back while its earlier one is out, so updates land in order", async () => {
    const outbox = new OutboxRepository(db.manager);
    await outbox.enqueueFieldUpdate(crm, 'account', '001A', { nps_relational: 10 }, minutes(-2));
    const [first] = await outbox.claim(crm, 'crm.update_record', 10, minutes(-1), 'account');
    await outbox.enqueueFieldUpdate(crm, 'account', '001A', { nps_relational: 30 }, minutes(-1));
    expect(await outbox.claim(crm, 'crm.update_record', 10, NOW, 'account')).toEqual([]);
    await outbox.delivered(first.id, null, NOW);
    expect((await outbox.claim<{ fields: object }>(crm, 'crm.update_record', 10, NOW, 'account')).map((m) => m.payload.fields)).toEqual([{ nps_relational: 30 }]);
  });
});
