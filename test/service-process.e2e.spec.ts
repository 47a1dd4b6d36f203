import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createTestDatabase, TestDatabase } from './support/test-database';

const ROOT = join(__dirname, '..');
const ALL_IN_ONE = join(ROOT, 'dist/apps/all-in-one/src/all-in-one.js');
const API_ONLY = join(ROOT, 'dist/apps/api/src/main.js');
const KEY = Buffer.alloc(32, 1).toString('base64');

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; ms: number }>;
}

/** Every process this file started, so none outlives a failed test. */
const started = new Set<Running>();

function spawnService(command: string, args: string[], env: Record<string, string>): Running {
  const begun = Date.now();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) => child.on('exit', (code) => resolve({ code, ms: Date.now() - begun })));
  const running = { child, output: () => out, exited };
  started.add(running);
  return running;
}

const run = (env: Record<string, string>, script = ALL_IN_ONE) => spawnService(process.execPath, [script], env);

async function waitForOutput(running: Running, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = running.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline || running.child.exitCode !== null) {
      throw new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${running.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function processTable(): Array<{ pid: number; ppid: number; args: string }> {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
}

/** The pids below `root` (its children, their children…), e.g. npm → node → postgres. */
function descendants(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  for (let frontier = [root]; frontier.length;) {
    frontier = table.filter((p) => frontier.includes(p.ppid)).map((p) => p.pid);
    found.push(...frontier);
  }
  return found;
}

function alive(pids: number[]): number[] {
  const live = new Set(processTable().map((p) => p.pid));
  return pids.filter((pid) => live.has(pid));
}

function postgresProcessesUsing(dir: string): string[] {
  return processTable()
    .map((p) => `${p.pid} ${p.args}`)
    .filter((line) => line.includes('postgres') && line.includes(dir));
}

async function count(url: string, sql: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0].n;
  } finally {
    await client.end();
  }
}

describe('the service as a process (npm start)', () => {
  let dataDir: string;

  beforeAll(() => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    dataDir = mkdtempSync(join(tmpdir(), 'npsb-start-'));
    chmodSync(dataDir, 0o755); // as root, postgres runs as the postgres user and must enter it
  }, 120_000);

  // A failed assertion must not leave a service or its postgres running: kill whatever is left.
  afterEach(() => {
    for (const running of started) {
      if (running.child.exitCode === null && running.child.signalCode === null) {
        for (const pid of [...descendants(running.child.pid!), running.child.pid!]) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      started.delete(running);
    }
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on the embedded Postgres, prints the URLs and an admin key, and stops cleanly on SIGTERM', async () => {
    const service = run({ DATA_DIR: dataDir, PORT: '0' });
    const begun = Date.now();
    const [, apiUrl] = await waitForOutput(service, /nps-bridge API:\s+(http:\/\/\S+)\/api/, 30_000);
    await waitForOutput(service, /API docs:\s+http:\/\/\S+\/docs/, 1000);
    const [, key] = await waitForOutput(service, /admin key:\s+(npsb_\S+)/, 1000);
    expect(Date.now() - begun).toBeLessThan(30_000);

    expect((await request(apiUrl).get('/health')).body).toEqual({ status: 'ok', database: 'up', queue: 'up' });
    expect((await request(apiUrl).get('/api/admin-keys').set('Authorization', `Bearer ${key}`)).status).toBe(200);
    expect(postgresProcessesUsing(dataDir).length).toBeGreaterThan(0);

    // The cluster's password is its own: random, kept beside it for its owner only.
    const passwordFile = join(dataDir, 'pg.password');
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    const port = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]);
    const as = (pw: string) => `postgres://postgres:${pw}@127.0.0.1:${port}/postgres`;
    expect(await count(as(password), 'SELECT 1 AS n')).toBe(1);
    await expect(count(as('nps-bridge'), 'SELECT 1 AS n')).rejects.toMatchObject({ code: '28P01' });
    // Turn it into a cluster from before per-directory passwords, for the second start below.
    const client = new Client({ connectionString: as(password) });
    await client.connect();
    await client.query(`ALTER ROLE postgres PASSWORD 'nps-bridge'`);
    await client.end();
    unlinkSync(passwordFile);

    service.child.kill('SIGTERM');
    const { code } = await service.exited;
    expect(code).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  }, 60_000);

  it('on a second start keeps its data, prints no new key, and gives an old fixed-password cluster its own password', async () => {
    const service = run({ DATA_DIR: dataDir, PORT: '0' });
    await waitForOutput(service, /admin key:\s+already created/, 30_000);
    expect(service.output()).not.toMatch(/npsb_/);
    const password = readFileSync(join(dataDir, 'pg.password'), 'utf8').trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    const port = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]);
    await expect(count(`postgres://postgres:nps-bridge@127.0.0.1:${port}/postgres`, 'SELECT 1 AS n')).rejects.toMatchObject({ code: '28P01' });
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  }, 60_000);

  it('SIGTERM to the `npm start` process stops the service and its Postgres within the grace period', async () => {
    const grace = 3;
    const npm = spawnService('npm', ['start'], { DATA_DIR: dataDir, PORT: '0', DEMO: 'off', SHUTDOWN_GRACE_SECONDS: String(grace) });
    await waitForOutput(npm, /nps-bridge API:\s+http:\/\/\S+\/api/, 90_000);
    const below = descendants(npm.child.pid!);
    expect(processTable().filter((p) => below.includes(p.pid) && p.args.includes('all-in-one.js'))).toHaveLength(1);
    expect(postgresProcessesUsing(dataDir).length).toBeGreaterThan(0);

    const signalled = Date.now();
    npm.child.kill('SIGTERM');
    await npm.exited;
    for (const deadline = signalled + (grace + 5) * 1000; alive(below).length && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(alive(below)).toEqual([]);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
    expect(Date.now() - signalled).toBeLessThan((grace + 5) * 1000);
  }, 120_000);

  describe('on a real database (DATABASE_URL)', () => {
    let db: TestDatabase;
    beforeAll(async () => (db = await createTestDatabase()));
    afterAll(async () => db.drop());
    const env = () => ({ DATA_DIR: dataDir, DATABASE_URL: db.url, ENCRYPTION_KEY: KEY, PORT: '0' });

    it('`npm start` serves no fake vendor, no mail catcher, makes no demo connection and prints no admin key', async () => {
      const service = run(env());
      const [, apiUrl] = await waitForOutput(service, /nps-bridge API:\s+(http:\/\/\S+)\/api/, 30_000);
      expect((await request(apiUrl).get('/health')).status).toBe(200);
      expect((await request(apiUrl).get('/sandbox')).status).toBe(404);
      expect((await request(apiUrl).get('/sandbox/mail')).status).toBe(404);
      expect(await count(db.url, 'SELECT count(*)::int AS n FROM connections')).toBe(0);
      expect(await count(db.url, 'SELECT count(*)::int AS n FROM admin_keys')).toBe(0);
      expect(service.output()).not.toMatch(/npsb_|SANDBOXES=on/);
      service.child.kill('SIGTERM');
      expect((await service.exited).code).toBe(0);
    }, 60_000);

    it('mounts the fake vendors only when SANDBOXES=on says so, and warns that this is not for production', async () => {
      const service = run({ ...env(), SANDBOXES: 'on', DEMO: 'off' });
      const [, apiUrl] = await waitForOutput(service, /nps-bridge API:\s+(http:\/\/\S+)\/api/, 30_000);
      expect(service.output()).toMatch(/^nps-bridge: WARNING SANDBOXES=on: fake vendors are mounted at \/sandbox — never in production$/m);
      expect((await request(apiUrl).get('/sandbox')).status).toBe(200);
      service.child.kill('SIGTERM');
      expect((await service.exited).code).toBe(0);
    }, 60_000);

    it('`start:api` never prints an admin key: keys come from `npm run admin:key`', async () => {
      const service = run(env(), API_ONLY);
      await waitForOutput(service, /nps-bridge API:\s+http:\/\/\S+\/api/, 30_000);
      expect(service.output()).not.toMatch(/npsb_/);
      expect(await count(db.url, 'SELECT count(*)::int AS n FROM admin_keys')).toBe(0);
      service.child.kill('SIGTERM');
      expect((await service.exited).code).toBe(0);
    }, 60_000);
  });

  it('exits non-zero within 10 s naming DATABASE_URL when the database cannot be reached', async () => {
    const service = run({
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x',
      ENCRYPTION_KEY: KEY,
    });
    const { code, ms } = await service.exited;
    expect(code).not.toBe(0);
    expect(ms).toBeLessThan(10_000);
    expect(service.output()).toMatch(/^nps-bridge: DATABASE_URL: cannot connect to postgres:\/\/nobody@127\.0\.0\.1:1\/x/m);
  }, 20_000);

  it('explains, naming DATA_DIR, when the postgres user could not reach the data directory', async () => {
    if (process.getuid?.() !== 0) return; // only root hands the cluster to another user
    const privateDir = mkdtempSync(join(tmpdir(), 'npsb-private-'));
    try {
      const service = run({ DATA_DIR: join(privateDir, 'data'), PORT: '0' });
      const { code } = await service.exited;
      expect(code).toBe(1);
      expect(service.output()).toMatch(/^nps-bridge: DATA_DIR: the embedded database runs as the "postgres" user, who cannot enter /m);
    } finally {
      rmSync(privateDir, { recursive: true, force: true });
    }
  }, 20_000);

  it('exits non-zero naming the variable when configuration is invalid', async () => {
    const service = run({ DATA_DIR: dataDir, PORT: 'eighty' });
    const { code } = await service.exited;
    expect(code).toBe(1);
    expect(service.output().trim()).toBe('nps-bridge: PORT: must be a port number 0-65535, got "eighty"');
  }, 20_000);
});
