import { Launched, Parts, start } from '@apps/all-in-one/src/roots';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestService extends Launched {
  url: string;
  db: TestDatabase;
  /** Stops the service and drops its database. */
  close(): Promise<void>;
}

/** The real service (the chosen parts) on a fresh database and a free port. */
export async function startTestService(parts: Parts = { api: true, worker: true, sandbox: true }, env: Record<string, string> = {}): Promise<TestService> {
  const db = await createTestDatabase();
  const launched = await start(parts, {
    DATABASE_URL: db.url,
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    PORT: '0',
    LOG_LEVEL: 'silent',
    SHUTDOWN_GRACE_SECONDS: '2',
    // Tests drive time and call the scheduled work themselves; queued jobs still run.
    SCHEDULES: 'off',
    DEMO: 'off',
    // A real database and fake vendors beside it: what production refuses unless told (SANDBOXES).
    SANDBOXES: parts.sandbox ? 'on' : 'off',
    ...env,
  });
  return {
    ...launched,
    url: launched.url!,
    db,
    async close() {
      await launched.stop();
      await db.drop();
    },
  };
}
