import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '@libs/config/src';
import { dataSourceOptions, openDatabase, runMigrations } from '@libs/db/src';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';

/**
 * `npm run admin:key [-- --name "who it is for"]`: creates an admin key and prints it once.
 * Works while the service runs (it joins the running embedded database) or on its own.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const nameIndex = args.indexOf('--name');
  const name = nameIndex >= 0 ? args[nameIndex + 1] : `cli ${new Date().toISOString().slice(0, 10)}`;
  if (!name || name.length > 100) throw new ConfigError('--name', 'must be 1 to 100 characters');
  const db = await openDatabase(loadConfig());
  const dataSource = new DataSource(dataSourceOptions(db.url));
  try {
    await runMigrations(db.url);
    await dataSource.initialize();
    const service = new AdminKeyService(dataSource);
    const created = await service.create(name, 'cli');
    process.stdout.write(`${created.key}\n`);
    process.stderr.write(`created admin key "${created.name}" (${created.prefix}…); it is shown only now\n`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`admin:key: ${error.message}\n`);
  process.exit(1);
});
