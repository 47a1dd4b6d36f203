import { Client } from 'pg';
import { testDatabasePrefix } from './support/test-database';

/** Drops any database this run left behind, then stops the embedded server if we started one. */
export default async function globalTeardown(): Promise<void> {
  const server = process.env.NPSB_TEST_SERVER_URL;
  if (server) {
    const admin = new Client({ connectionString: server });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [testDatabasePrefix()]);
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await (globalThis as { __NPSB_TEST_PG__?: { stop(): Promise<void> } }).__NPSB_TEST_PG__?.stop();
}
