import { join } from 'node:path';
import { AppConfig } from '@libs/config/src/config';
import { checkDatabaseReachable } from './database-url';
import { runningClusterUrl, startEmbeddedPostgres } from './embedded-postgres';

const EMBEDDED_DATABASE = 'nps_bridge';

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server; a no-op for an external one. */
  close(): Promise<void>;
}

/** DATABASE_URL when set (checked now), else the embedded PostgreSQL in DATA_DIR/pg. */
export async function openDatabase(config: AppConfig, onLog?: (line: string) => void): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    await checkDatabaseReachable(config.databaseUrl);
    return { url: config.databaseUrl, embedded: false, close: async () => undefined };
  }
  const dir = join(config.dataDir, 'pg');
  const running = runningClusterUrl(dir, EMBEDDED_DATABASE);
  if (running) {
    // Another process of ours owns the cluster; use it and leave stopping to its owner.
    await checkDatabaseReachable(running);
    return { url: running, embedded: true, close: async () => undefined };
  }
  const pg = await startEmbeddedPostgres({ dir, database: EMBEDDED_DATABASE, onLog });
  return { url: pg.url, embedded: true, close: () => pg.stop() };
}
