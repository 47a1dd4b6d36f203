import { execFileSync, spawn } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createZendeskSandbox, SANDBOX_DEFAULTS } from '@apps/sandbox/src/zendesk';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { Launched, start } from '@apps/all-in-one/src/roots';
import { encryptionKeyId } from '@libs/config/src';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { listenSandbox, ListeningSandbox } from '@apps/sandbox/src/kit/sandbox';

const ROOT = join(__dirname, '..');
const OLD_KEY = Buffer.alloc(32, 21);
const NEW_KEY = Buffer.alloc(32, 22);
const b64 = (key: Buffer) => key.toString('base64');

/** What the version before key ids wrote (`v1.<iv>.<tag>.<ciphertext>`), made independently of the product. */
function legacyCiphertext(key: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** Runs a built entry point to its end; resolves with its exit code and everything it printed. */
function runToEnd(script: string, env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', script)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', PORT: '0', SCHEDULES: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} still running after ${timeoutMs} ms; output:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Stored credentials survive a key change (issue 13 item 7). */
describe('encryption key rotation', () => {
  let db: TestDatabase;
  let zendesk: ListeningSandbox;
  let adminKey: string;
  const ids: { created: string; legacy: string; removed: string } = { created: '', legacy: '', removed: '' };
  const credentials = () => ({ authType: 'api_token', subdomain: 'acme', email: SANDBOX_DEFAULTS.adminEmail, apiToken: SANDBOX_DEFAULTS.apiToken, baseUrl: zendesk.url });

  const startApi = (keys: Record<string, string>): Promise<Launched> =>
    start({ api: true, worker: false, sandbox: false }, { DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent', SCHEDULES: 'off', DEMO: 'off', SANDBOXES: 'off', ...keys });

  const stored = async (): Promise<Record<string, string>> => {
    const rows: Array<{ id: string; credentials_encrypted: string }> = await withDataSource((ds) => ds.query(`SELECT id, credentials_encrypted FROM connections`));
    return Object.fromEntries(rows.map((r) => [r.id, r.credentials_encrypted]));
  };

  async function withDataSource<T>(work: (ds: DataSource) => Promise<T>): Promise<T> {
    const ds = await new DataSource({ type: 'postgres', url: db.url }).initialize();
    try {
      return await work(ds);
    } finally {
      await ds.destroy();
    }
  }

  /** The admin's "test connection": only answers authenticated if the stored token was read back intact. */
  async function testConnections(service: Launched): Promise<boolean[]> {
    const auth = { Authorization: `Bearer ${adminKey}` };
    const results: boolean[] = [];
    for (const id of [ids.created, ids.legacy]) {
      const res = await request(service.url!).post(`/api/connections/${id}/test`).set(auth);
      results.push(res.status === 200 && res.body.authenticated === true);
    }
    return results;
  }

  beforeAll(async () => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    db = await createTestDatabase();
    zendesk = await listenSandbox(createZendeskSandbox({ seed: 5, users: 2, tickets: 0 }));
    const service = await startApi({ ENCRYPTION_KEY: b64(OLD_KEY) });
    try {
      adminKey = (await service.app.get(AdminKeyService).create('rotation test', 'test')).key;
      const created = await request(service.url!)
        .post('/api/connections')
        .set({ Authorization: `Bearer ${adminKey}` })
        .send({ kind: 'zendesk', name: 'Support', credentials: credentials() });
      expect(created.status).toBe(201);
      ids.created = created.body.id;
      const ds = service.app.get(DataSource);
      // Written before key ids existed, and a removed connection whose credentials were erased.
      [{ id: ids.legacy }] = await ds.query(`INSERT INTO connections (kind, name, credentials_encrypted, status) VALUES ('zendesk', 'Old support', $1, 'active') RETURNING id`, [
        legacyCiphertext(OLD_KEY, credentials()),
      ]);
      [{ id: ids.removed }] = await ds.query(`INSERT INTO connections (kind, name, credentials_encrypted, deleted_at) VALUES ('zendesk', 'Gone', '', now()) RETURNING id`);
    } finally {
      await service.stop();
    }
  }, 180_000);
  afterAll(async () => {
    await zendesk?.close();
    await db?.drop();
  });

  it('stores new credentials under a named key', async () => {
    const rows = await stored();
    expect(rows[ids.created]).toMatch(new RegExp(`^v2\\.${encryptionKeyId(OLD_KEY)}\\.`));
    expect(rows[ids.created]).not.toContain(SANDBOX_DEFAULTS.apiToken);
  });

  it('with the new key and ENCRYPTION_KEY_PREVIOUS, a service starts and reads the old credentials before rotation', async () => {
    const before = await stored();
    const service = await startApi({ ENCRYPTION_KEY: b64(NEW_KEY), ENCRYPTION_KEY_PREVIOUS: b64(OLD_KEY) });
    try {
      expect(await testConnections(service)).toEqual([true, true]);
    } finally {
      await service.stop();
    }
    expect(await stored()).toEqual(before);
  });

  it('the new key alone fails at start, in one line naming ENCRYPTION_KEY', async () => {
    const run = await runToEnd('apps/api/src/main.js', { DATABASE_URL: db.url, ENCRYPTION_KEY: b64(NEW_KEY) });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^nps-bridge: ENCRYPTION_KEY: cannot decrypt the stored credentials of connection "(Support|Old support)"/),
    ]);
  }, 30_000);

  it('credentials:rotate re-encrypts every stored credential under the new key; then only the new key starts', async () => {
    const before = await stored();
    const rotated = await runToEnd('apps/api/src/credentials-rotate.cli.js', { DATABASE_URL: db.url, ENCRYPTION_KEY: b64(NEW_KEY), ENCRYPTION_KEY_PREVIOUS: b64(OLD_KEY) });
    expect([rotated.code, rotated.stderr]).toEqual([0, '']);
    expect(rotated.stdout).toContain(`2 re-encrypted under key ${encryptionKeyId(NEW_KEY)}, 0 already under it`);

    const after = await stored();
    for (const id of [ids.created, ids.legacy]) {
      expect(after[id]).not.toBe(before[id]);
      expect(after[id]).toMatch(new RegExp(`^v2\\.${encryptionKeyId(NEW_KEY)}\\.`));
    }
    expect(after[ids.removed]).toBe('');

    const service = await startApi({ ENCRYPTION_KEY: b64(NEW_KEY) });
    try {
      expect(await testConnections(service)).toEqual([true, true]);
    } finally {
      await service.stop();
    }

    const again = await runToEnd('apps/api/src/credentials-rotate.cli.js', { DATABASE_URL: db.url, ENCRYPTION_KEY: b64(NEW_KEY) });
    expect([again.code, again.stdout.trim()]).toEqual([0, `credentials:rotate: 0 re-encrypted under key ${encryptionKeyId(NEW_KEY)}, 2 already under it`]);

    const old = await runToEnd('apps/api/src/main.js', { DATABASE_URL: db.url, ENCRYPTION_KEY: b64(OLD_KEY) });
    expect(old.code).toBe(1);
    expect(old.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^nps-bridge: ENCRYPTION_KEY: cannot decrypt the stored credentials .*ENCRYPTION_KEY differs/)]);
  }, 60_000);
});
