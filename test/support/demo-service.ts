import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as wait } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { Launched, start } from '@apps/all-in-one/src/roots';

/** The all-in-one demo (`npm start`) on a test database and data directory, on a free port. */
export async function startDemo(databaseUrl: string, dataDir: string, port = 0): Promise<Launched & { url: string }> {
  const launched = await start(
    { api: true, worker: true, sandbox: true },
    {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      PORT: String(port),
      LOG_LEVEL: 'silent',
      SHUTDOWN_GRACE_SECONDS: '2',
      // Tests call the scheduled work themselves; queued jobs (the demo's first sync) still run.
      SCHEDULES: 'off',
      DEMO: 'on',
      SANDBOXES: 'on',
    },
  );
  return { ...launched, url: launched.url! };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Resolves once `check` holds, looking every 100 ms: for work another part of the service does
 * on its own (the demo's first CRM sync runs as a queued job), not to let time pass.
 */
export async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await wait(100);
  }
}

/** The demo CRM's first sync finished (it runs as a job right after the connection is made). */
export function crmSynced(db: DataSource): Promise<true> {
  return until('the demo CRM sync', async () => {
    const [run] = await db.query(`SELECT status FROM sync_runs ORDER BY created_at DESC LIMIT 1`);
    if (run?.status === 'failed') throw new Error('the demo CRM sync failed');
    return run?.status === 'succeeded';
  });
}
