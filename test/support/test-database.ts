import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server the suite runs on: TEST_DATABASE_URL, or the embedded one global-setup started. */
export function testServerUrl(): string {
  const url = process.env.NPSB_TEST_SERVER_URL;
  if (!url) throw new Error('NPSB_TEST_SERVER_URL is unset: run the tests through jest (test/global-setup.ts)');
  return url;
}

/** Every database this run creates starts with this, so teardown can drop leftovers. */
export function testDatabasePrefix(): string {
  return `npsb_test_${process.env.NPSB_TEST_RUN_ID ?? 'local'}_`;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file; drop() removes it (and its connections). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testServerUrl();
  const name = testDatabasePrefix() + randomBytes(4).toString('hex');
  const admin = new Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(server, name),
    name,
    drop: () => dropDatabase(server, name),
  };
}

export async function dropDatabase(server: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
