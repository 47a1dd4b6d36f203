import { DataSource } from 'typeorm';
import { createDataSource } from '@libs/db/src/data-source';
import { runMigrations } from '@libs/db/src/migrate';
import { ImportCountsRepository } from '@libs/db/src/repositories/import-counts.repository';
import { ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { importedAnswer } from '@test/support/imported-answer';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { ImportCounting } from './import-counting';

/** An unmatched imported answer (no contact: it counts in the rollups, not in any account's) with this score. */
const answer = (ref: string, score: number) => importedAnswer(ref, { score, category: score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor' });

/** Imported answers enter the report counts when their import ends, or, if its process stopped first, when a worker finds it abandoned. */
describe('import counting on Postgres', () => {
  let database: TestDatabase;
  let db: DataSource;
  let counting: ImportCounting;

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    db = await createDataSource(database.url).initialize();
    counting = new ImportCounting(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database.drop();
  });
  beforeEach(() => db.query(`TRUNCATE responses, imports CASCADE`));

  const newImport = async (source: string): Promise<string> =>
    (await db.query(`INSERT INTO imports (kind, source, created_by) VALUES ('csv', $1, 'counting test') RETURNING id`, [source]))[0].id;
  /** The answers the rollups count over every month, theme '' (one count per answer). */
  const counted = async (): Promise<number> => (await db.query(`SELECT coalesce(sum(promoters + passives + detractors), 0)::int AS n FROM response_rollups WHERE theme = ''`))[0].n;
  const pending = () => new ImportCountsRepository(db.manager).pending();

  it('counts an import once, when it ends, and not while it is written (nobody else takes it meanwhile)', async () => {
    const importId = await newImport('counting-a');
    const deferred = await counting.defer(importId);
    const batch = { source: 'counting-a', importId, now: new Date() };
    await new ResponsesRepository(db.manager).insertImported(batch, [answer('a1', 9), answer('a2', 3)]);
    await new ResponsesRepository(db.manager).insertImported(batch, [answer('a3', 7)]);
    expect(await counted()).toBe(0);
    expect(await pending()).toEqual([importId]);
    expect(await counting.countAbandoned()).toEqual([]); // its process holds it

    await deferred.count();
    await deferred.count();
    expect(await counted()).toBe(3);
    expect(await pending()).toEqual([]);
    // Answers written after the count (a batch still in flight) are counted as they come.
    await new ResponsesRepository(db.manager).insertImported(batch, [answer('a4', 10)]);
    expect(await counted()).toBe(4);
  });

  it('counts an import whose process stopped before counting, once its session is gone', async () => {
    const importId = await newImport('counting-b');
    // The importing process, with its own pool: it holds the import on a session, marks it, writes a batch, and dies.
    const importer = await createDataSource(database.url).initialize();
    try {
      const session = importer.createQueryRunner();
      await session.connect();
      const counts = new ImportCountsRepository(session.manager);
      await counts.hold(importId);
      await counts.defer(importId);
      await new ResponsesRepository(importer.manager).insertImported({ source: 'counting-b', importId, now: new Date() }, [answer('b1', 8), answer('b2', 0)]);
      expect(await counting.countAbandoned()).toEqual([]);
      expect(await counted()).toBe(0);
    } finally {
      await importer.destroy();
    }
    expect(await counting.countAbandoned()).toEqual([importId]);
    expect(await counted()).toBe(2);
    expect(await counting.countAbandoned()).toEqual([]);
  });
});
