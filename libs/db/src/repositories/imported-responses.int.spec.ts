import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CrmFixtures } from '@test/support/crm-fixtures';
import { importedAnswer } from '@test/support/imported-answer';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { createDataSource } from '../data-source';
import { runMigrations } from '../migrate';
import { ImportedAnswerRow, ImportedBatch, ResponsesRepository } from './responses.repository';

/**
 * Imported answers go in by COPY inside a transaction (insertImported) and by one insert that
 * skips kept keys otherwise (insertImportedSkippingKept): both keep the same rows, byte for byte,
 * with each key once; a key another writer adds while the COPY runs sends the batch the insert's way.
 */
describe('imported answers on Postgres', () => {
  let database: TestDatabase;
  let db: DataSource;
  let contact: string;
  let account: string;
  const batch = (source: string): ImportedBatch => ({ source, importId: randomUUID(), now: new Date('2026-12-01T10:00:00.123Z') });

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    db = await createDataSource(database.url).initialize();
    const crm = new CrmFixtures(db);
    const connection = await crm.connection();
    account = await crm.account(connection, { arr: '1200.00' });
    contact = await crm.contact(connection, account, {});
  });
  afterAll(async () => {
    await db?.destroy();
    await database.drop();
  });

  const answer = importedAnswer;
  /** Awkward values in every kind of column: tabs, newlines, backslashes, quotes, braces, commas, non-ASCII, JSON escapes. */
  const awkward = (ref: string): ImportedAnswerRow =>
    answer(ref, {
      contactId: contact,
      accountId: account,
      score: 10,
      category: 'promoter',
      comment: 'Tabs\there, a new\nline, a \\N that is text, C:\\path\\, "quotes", {braces}, commas, ünïcødé ✓\r\nend',
      themes: ['pricing', 'odd "theme", with {braces} and \\ backslash'],
      snapshot: { role: 'decision_maker', tier: 'enterprise', arrBand: '100k_500k', tenureBand: '1_2y', enterprise: true },
      details: { name: 'Zoë "Z" O\'Brien\t', tags: ['a\\b', 'c\nd'], personRef: null, properties: { Plan: 'Pro\\Max', Nested: { deep: [1, 2.5, true, null] } } },
    });
  const stored = (source: string) =>
    db.query(
      `SELECT import_ref, stream, trigger, contact_id, account_id, score, category, comment, themes, role_snapshot, tier_snapshot, arr_band_snapshot, tenure_band_snapshot,
              enterprise_snapshot, first_answered_at, last_changed_at, settled_at, import_email, import_matched_at, import_details
       FROM responses WHERE import_source = $1 ORDER BY import_ref`,
      [source],
    );

  it('keeps the same rows by COPY in a transaction as by the insert outside one, the awkward values intact', async () => {
    const rows = ['a1', 'a2'].map(awkward).concat(answer('plain'));
    const copied = await db.transaction((tx) =>
      new ResponsesRepository(tx).insertImported(
        batch('by-copy'),
        rows.map((r) => ({ ...r, id: randomUUID() })),
      ),
    );
    const inserted = await new ResponsesRepository(db.manager).insertImported(batch('by-insert'), rows);
    expect(copied).toEqual({ inserted: 3, matched: 2, watched: [] });
    expect(inserted).toEqual(copied);
    const [byCopy, byInsert] = [await stored('by-copy'), await stored('by-insert')];
    expect(byCopy).toEqual(byInsert);
    expect(byCopy[0]).toMatchObject({
      comment: rows[0].comment,
      themes: rows[0].themes,
      import_details: rows[0].details,
      contact_id: contact,
      enterprise_snapshot: true,
      settled_at: rows[0].answeredAt,
      import_matched_at: new Date('2026-12-01T10:00:00.123Z'),
    });
    expect(byCopy[2]).toMatchObject({ contact_id: null, import_matched_at: null, comment: null, themes: [], enterprise_snapshot: null });
  });

  it('keeps each key once, the first of a batch, and leaves keys kept before alone; re-importing adds nothing', async () => {
    const source = 'once';
    const first = [answer('k1', { score: 1, category: 'detractor' }), answer('k2')];
    const watched = first.map((r) => r.id);
    expect(await db.transaction((tx) => new ResponsesRepository(tx).insertImported(batch(source), first, watched))).toEqual({ inserted: 2, matched: 0, watched });

    const again = [answer('k2', { score: 9 }), answer('k3', { score: 3, category: 'detractor' }), answer('k3', { score: 10, category: 'promoter' }), answer('k1')];
    const result = await db.transaction((tx) =>
      new ResponsesRepository(tx).insertImported(
        batch(source),
        again,
        again.map((r) => r.id),
      ),
    );
    expect(result).toEqual({ inserted: 1, matched: 0, watched: [again[1].id] });
    expect((await stored(source)).map((r: { import_ref: string; score: number }) => [r.import_ref, r.score])).toEqual([
      ['k1', 1],
      ['k2', 7],
      ['k3', 3],
    ]);
    expect(await db.transaction((tx) => new ResponsesRepository(tx).insertImported(batch(source), again))).toEqual({ inserted: 0, matched: 0, watched: [] });
  });

  it('goes the insert way when another writer adds one of its keys while the COPY runs, and keeps the rest', async () => {
    const source = 'race';
    const other = db.createQueryRunner();
    await other.connect();
    try {
      // Another import holds an uncommitted row with key r1: the COPY's check of r1 waits for it.
      await other.startTransaction();
      await new ResponsesRepository(other.manager).insertImportedSkippingKept(batch(source), [answer('r1', { score: 0, category: 'detractor' })]);
      const rows = [answer('r1'), answer('r2'), answer('r3')];
      const copying = db.transaction((tx) =>
        new ResponsesRepository(tx).insertImported(
          batch(source),
          rows,
          rows.map((r) => r.id),
        ),
      );
      // Waits for the COPY to wait on the other writer's row (a generous deadline, polled), then lets that writer commit.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [{ waiting }] = await db.query(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'COPY responses%'`);
        if (waiting) break;
        if (Date.now() > deadline) throw new Error('the COPY never waited for the other writer');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await other.commitTransaction();
      expect(await copying).toEqual({ inserted: 2, matched: 0, watched: [rows[1].id, rows[2].id] });
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    expect((await stored(source)).map((r: { import_ref: string; score: number }) => [r.import_ref, r.score])).toEqual([
      ['r1', 0],
      ['r2', 7],
      ['r3', 7],
    ]);
  }, 60_000);
});
