import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from './support/test-database';

const ROOT = join(__dirname, '..');
const ALL_IN_ONE = join(ROOT, 'dist/apps/all-in-one/src/all-in-one.js');
const NEST_READY = 'Nest application successfully started';

/**
 * What a person sees in the terminal: the URLs come after Nest's startup logs (pino writes them
 * asynchronously, so a banner written straight to stdout used to land above or among them),
 * framed apart from the JSON lines.
 */
describe('the start banner', () => {
  let db: TestDatabase;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    db = await createTestDatabase();
  }, 120_000);
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    child = undefined;
  });
  afterAll(() => db?.drop());

  function start(): { output: () => string; banner: Promise<string>; stopped: Promise<number | null> } {
    child = spawn(process.execPath, [ALL_IN_ONE], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATABASE_URL: db.url,
        ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
        PORT: '0',
        LOG_LEVEL: 'info',
        SCHEDULES: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr!.on('data', (d) => (out += d));
    const banner = new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (d) => {
        out += d;
        // The banner is complete once its closing rule follows the admin key line.
        if (/admin key:.*\n═+\n/.test(out)) resolve(out);
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code} before the banner:\n${out}`)));
    });
    const stopped = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    return { output: () => out, banner, stopped };
  }

  it('comes after the startup logs, framed by blank lines and rules, and start on a real database prints no key', async () => {
    const running = start();
    const out = await running.banner;
    const lines = out.split('\n');
    const apiLine = lines.findIndex((l) => /^\s+nps-bridge API:\s+http:\/\/\S+\/api$/.test(l));
    expect(apiLine).toBeGreaterThan(0);
    const ready = lines.findIndex((l) => l.includes(NEST_READY));
    expect(ready).toBeGreaterThanOrEqual(0);
    expect(ready).toBeLessThan(apiLine);
    // Every log line that was written before the banner came out before it.
    expect(lines.slice(0, apiLine).filter((l) => l.startsWith('{')).length).toBeGreaterThan(5);
    expect(lines[apiLine - 1]).toMatch(/^═{40,}$/);
    expect(lines[apiLine - 2]).toBe('');
    const closing = lines.findIndex((l, i) => i > apiLine && /^═{40,}$/.test(l));
    expect(lines.slice(apiLine, closing).every((l) => l.startsWith('  '))).toBe(true);
    expect(lines.slice(apiLine, closing).join('\n')).toMatch(/API docs:\s+http:\/\/\S+\/docs/);
    expect(lines.slice(apiLine, closing).join('\n')).toMatch(/admin key:\s+none yet; make one with `npm run admin:key`/);
    expect(out).not.toMatch(/npsb_/);

    child!.kill('SIGTERM');
    expect(await running.stopped).toBe(0);
  }, 60_000);
});
