import { DataSource } from 'typeorm';
import { CredentialCipher, loadConfig } from '@libs/config/src';
import { dataSourceOptions, openDatabase, runMigrations } from '@libs/db/src';
import { rotateCredentials } from '@libs/app/src/connections/credential-keys';

/**
 * `npm run credentials:rotate`: re-encrypts every stored vendor credential under ENCRYPTION_KEY,
 * opening old ones with ENCRYPTION_KEY_PREVIOUS. Safe to run while the service runs (each row
 * is written only if unchanged) and to run again. Exits 1 if any credential could not be read.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const cipher = CredentialCipher.fromConfig(config);
  const db = await openDatabase(config);
  const dataSource = new DataSource(dataSourceOptions(db.url));
  try {
    await runMigrations(db.url);
    await dataSource.initialize();
    const rotation = await rotateCredentials(dataSource.manager, cipher);
    process.stdout.write(
      `credentials:rotate: ${rotation.rotated} re-encrypted under key ${cipher.currentKeyId}, ${rotation.alreadyCurrent} already under it` +
        (rotation.changedMeanwhile ? `, ${rotation.changedMeanwhile} changed meanwhile (run again)` : '') +
        '\n',
    );
    for (const failure of rotation.failed) {
      process.stderr.write(`credentials:rotate: connection "${failure.name}" (${failure.id}) kept as it was: ${failure.reason}\n`);
    }
    if (rotation.failed.length > 0 || rotation.changedMeanwhile > 0) process.exitCode = 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await db.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`credentials:rotate: ${error.message}\n`);
  process.exit(1);
});
