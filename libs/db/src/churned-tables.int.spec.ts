import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { vacuumChurnedTables } from './churned-tables';
import { createDataSource } from './data-source';

describe('vacuuming the tables a bulk import churns', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await createDataSource(database.url).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await database.drop();
  });

  it('vacuums a table rewritten more often than it has rows, and leaves one only added to', async () => {
    await db.query(`CREATE TABLE counts (id int PRIMARY KEY, n int NOT NULL)`);
    await db.query(`CREATE TABLE added (id int PRIMARY KEY)`);
    const session = db.createQueryRunner();
    try {
      await session.query(`INSERT INTO counts SELECT g, 0 FROM generate_series(1, 1000) g`);
      for (let i = 0; i < 20; i++) await session.query(`UPDATE counts SET n = n + 1`);
      await session.query(`INSERT INTO added SELECT g FROM generate_series(1, 30000) g`);
      // The session's counts of dead rows reach the statistics the function reads when it goes idle.
      await session.query(`SELECT pg_stat_force_next_flush()`);
      await session.query(`SELECT 1`);
    } finally {
      await session.release();
    }

    expect(await vacuumChurnedTables(db)).toEqual(['public.counts']);
    const [after] = await db.query(`SELECT n_dead_tup::int AS dead FROM pg_stat_user_tables WHERE relname = 'counts'`);
    expect(after.dead).toBe(0);
    expect(await vacuumChurnedTables(db)).toEqual([]);
  });
});
