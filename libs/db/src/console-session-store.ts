import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** The sessions' table (migration 20261206130000), shared by every api process. */
export const CONSOLE_SESSIONS_TABLE = 'console_sessions';

export type ConsoleSessionStore = InstanceType<ReturnType<typeof connectPgSimple>>;

/**
 * express-session's Postgres store (connect-pg-simple) over the service's own pool: sessions live
 * in `console_sessions`, which a migration made (the library must not create a table), and
 * expired ones are deleted every `pruneSeconds` by each api process. `close()` stops the pruning.
 */
export function consoleSessionStore(dataSource: DataSource, options: { pruneSeconds: number; errorLog: (...args: unknown[]) => void }): ConsoleSessionStore {
  const PgStore = connectPgSimple(session);
  return new PgStore({
    pool: (dataSource.driver as PostgresDriver).master as Pool,
    tableName: CONSOLE_SESSIONS_TABLE,
    createTableIfMissing: false,
    pruneSessionInterval: options.pruneSeconds,
    errorLog: options.errorLog,
  });
}
