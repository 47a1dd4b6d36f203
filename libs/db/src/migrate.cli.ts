import { loadConfig } from '@libs/config/src';
import { openDatabase } from './database';
import { revertAllMigrations, runMigrations } from './migrate';
import { createDataSource } from './data-source';

/** `up` applies pending migrations; `down` reverts the last one; `down --all` reverts all. */
async function main(): Promise<void> {
  const [direction, flag] = process.argv.slice(2);
  if (direction !== 'up' && direction !== 'down') throw new Error('usage: migrate.cli up | down [--all]');
  const db = await openDatabase(loadConfig());
  try {
    if (direction === 'up') {
      const applied = await runMigrations(db.url);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
    } else if (flag === '--all') {
      console.log(`reverted ${await revertAllMigrations(db.url)} migration(s)`);
    } else {
      const dataSource = createDataSource(db.url);
      await dataSource.initialize();
      await dataSource.undoLastMigration({ transaction: 'each' }).finally(() => dataSource.destroy());
      console.log('reverted the last migration');
    }
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
