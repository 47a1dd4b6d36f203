import './support/register-paths'; // first: the aliases below resolve through it
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '@libs/db/src/embedded-postgres';
import { withDatabase } from './support/test-database';

/**
 * One Postgres server for the whole run: TEST_DATABASE_URL when set (a server we only create
 * and drop our own databases on), else a throwaway embedded cluster in the temp directory.
 */
export default async function globalSetup(): Promise<void> {
  const runId = randomBytes(3).toString('hex');
  process.env.NPSB_TEST_RUN_ID = runId;
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    const client = new Client({ connectionString: given, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw new Error(`TEST_DATABASE_URL: cannot connect (${(error as Error).message})`, { cause: error });
    } finally {
      await client.end().catch(() => undefined);
    }
    process.env.NPSB_TEST_SERVER_URL = given;
    return;
  }
  const pg = await startEmbeddedPostgres({
    dir: join(tmpdir(), `npsb-test-pg-${process.pid}-${runId}`),
    database: 'postgres',
    persistent: false,
  });
  (globalThis as { __NPSB_TEST_PG__?: { stop(): Promise<void> } }).__NPSB_TEST_PG__ = pg;
  process.env.NPSB_TEST_SERVER_URL = withDatabase(pg.url, 'postgres');
}
