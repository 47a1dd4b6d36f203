import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';

const ROOT = join(__dirname, '..');
const ALL_IN_ONE = join(ROOT, 'dist/apps/api/src/all-in-one.js');

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; ms: number }>;
}

function run(env: Record<string, string>, script = ALL_IN_ONE): Running {
  const started = Date.now();
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code, ms: Date.now() - started })),
  );
  return { child, output: () => out, exited };
}

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

function postgresProcessesUsing(dir: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((line) => line.includes('postgres') && line.includes(dir));
}

describe('the service as a process (npm start)', () => {
  let dataDir: string;

  beforeAll(() => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    dataDir = mkdtempSync(join(tmpdir(), 'npsb-start-'));
    chmodSync(dataDir, 0o755); // as root, postgres runs as the postgres user and must enter it
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on the embedded Postgres, prints the URLs and an admin key, and stops cleanly on SIGTERM', async () => {
    const service = run({ DATA_DIR: dataDir, PORT: '0' });
    const started = Date.now();
    const [, apiUrl] = await waitForOutput(service, /nps-bridge API:\s+(http:\/\/\S+)\/api/, 30_000);
    await waitForOutput(service, /API docs:\s+http:\/\/\S+\/docs/, 1000);
    const [, key] = await waitForOutput(service, /admin key:\s+(npsb_\S+)/, 1000);
    expect(Date.now() - started).toBeLessThan(30_000);

    expect((await request(apiUrl).get('/health')).body).toEqual({ status: 'ok', database: 'up', queue: 'up' });
    expect((await request(apiUrl).get('/api/admin-keys').set('Authorization', `Bearer ${key}`)).status).toBe(200);
    expect(postgresProcessesUsing(dataDir).length).toBeGreaterThan(0);

    service.child.kill('SIGTERM');
    const { code } = await service.exited;
    expect(code).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  }, 60_000);

  it('on a second start keeps its data and prints no new key', async () => {
    const service = run({ DATA_DIR: dataDir, PORT: '0' });
    await waitForOutput(service, /admin key:\s+already created/, 30_000);
    expect(service.output()).not.toMatch(/npsb_/);
    service.child.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
    expect(postgresProcessesUsing(dataDir)).toEqual([]);
  }, 60_000);

  it('exits non-zero within 10 s naming DATABASE_URL when the database cannot be reached', async () => {
    const service = run({
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x',
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
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
