import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { createSalesforceSandbox } from '@apps/sandbox/src/salesforce';
import { JobQueue, QUEUE } from '@libs/jobs/src';
import { startTestService, TestService } from './support/service';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const ROOT = join(__dirname, '..');
const WORKER = join(ROOT, 'dist/apps/worker/src/main.js');
const ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64'); // the one startTestService gives the in-process api

interface SyncRunRow {
  id: string;
  status: string;
  mode: string;
  records_read: number;
  records_total: number | null;
}

/**
 * kill -9 of a worker in the middle of a full sync (issue 13: faults cost seconds): the next
 * worker to start resumes it as a full sync within two minutes, from real worker processes.
 */
describe('a worker killed mid full sync', () => {
  let service: TestService;
  let db: DataSource;
  let served: ListeningSandbox;
  let connectionId: string;
  const workers: Array<{ child: ChildProcess; output: () => string }> = [];

  function startWorker(): { child: ChildProcess; output: () => string } {
    const child = spawn(process.execPath, [WORKER], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATABASE_URL: service.db.url,
        ENCRYPTION_KEY,
        LOG_LEVEL: 'warn',
        SHUTDOWN_GRACE_SECONDS: '2',
        // No periodic schedules: the start-up check alone must find the killed run.
        SCHEDULES: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const worker = { child, output: () => out };
    workers.push(worker);
    return worker;
  }

  /** Polls Postgres until `check` answers a value; the error carries the workers' output. */
  async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; worker output:\n${workers.map((w) => w.output()).join('\n---\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const runs = () =>
    db.query(`SELECT id, status, mode, records_read, records_total FROM sync_runs WHERE connection_id = $1 ORDER BY created_at`, [connectionId]) as Promise<SyncRunRow[]>;
  const enqueueSync = (full: boolean) =>
    service.app.get(JobQueue).enqueue(QUEUE.crmSync, { connectionId, trigger: 'manual', ...(full ? { full: true } : {}) }, { singletonKey: connectionId });

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    // The api only (a producer): it migrates the database and enqueues; the workers are child processes.
    service = await startTestService({ api: true, worker: false, sandbox: false }, { ENCRYPTION_KEY });
    db = service.app.get(DataSource);
    // Large enough, and a little slow per request, that a kill lands mid-read.
    served = await listenSandbox(createSalesforceSandbox({ accounts: 5000, contactsPerAccount: 2, seed: 13, pageSize: 500, latencyMs: 40 }));
    const credentials = service.app.get(ConnectorBuilder).encrypt({
      authType: 'client_credentials',
      loginUrl: served.url,
      clientId: 'nps-bridge-sandbox-client',
      clientSecret: 'nps-bridge-sandbox-secret',
    });
    [{ id: connectionId }] = await db.query(
      `INSERT INTO connections (kind, name, credentials_encrypted, settings, status) VALUES ('salesforce', 'Salesforce sandbox', $1, '{}', 'active') RETURNING id`,
      [credentials],
    );
  }, 180_000);

  afterAll(async () => {
    for (const { child } of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(workers.map(({ child }) => (child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
    await served?.close();
    await service?.close();
  });

  it('is finished as a full sync by the next worker to start, within two minutes of it being up', async () => {
    const first = startWorker();
    await enqueueSync(false);
    const initial = await waitFor('first full sync', async () => (await runs()).find((r) => r.status === 'succeeded'), 120_000);
    expect(initial.mode).toBe('full');

    // An admin asks for a full sync (a later one: without the fix it resumed as incremental).
    await enqueueSync(true);
    const killed = await waitFor(
      'the full sync under way',
      async () => (await runs()).find((r) => r.id !== initial.id && r.status === 'running' && r.records_read >= 2000),
      60_000,
    );
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const [left] = (await runs()).filter((r) => r.id === killed.id);
    expect(left).toMatchObject({ status: 'running', mode: 'full' });
    expect(left.records_read).toBeLessThan(initial.records_read); // the kill landed mid-read

    const up = Date.now();
    startWorker();
    const resumed = await waitFor(
      'the resumed sync',
      async () => {
        const all = await runs();
        return all.slice(all.findIndex((r) => r.id === killed.id) + 1).find((r) => r.status === 'succeeded');
      },
      150_000,
    );
    expect(Date.now() - up).toBeLessThan(120_000);
    expect(resumed.mode).toBe('full');
    expect(resumed.records_read).toBe(initial.records_read); // every record read again, not the changes since a cursor
    expect((await runs()).find((r) => r.id === killed.id)?.status).toBe('interrupted');
  }, 360_000);
});
