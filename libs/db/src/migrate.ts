import { createDataSource } from './data-source';

const MIGRATION_LOCK = 7_361_554_201; // arbitrary, fixed: one migrator at a time across processes

/** Applies pending migrations under an advisory lock, so api and workers may start together. */
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

/** Reverts every applied migration, newest first (used by tests and for a full teardown). */
export async function revertAllMigrations(url: string): Promise<number> {
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  let reverted = 0;
  try {
    while ((await dataSource.query(`SELECT count(*)::int AS n FROM migrations`))[0].n > 0) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      reverted++;
    }
  } finally {
    await dataSource.destroy();
  }
  return reverted;
}
