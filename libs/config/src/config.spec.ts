import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, effectivePublicUrl, loadConfig } from './config';

const KEY = Buffer.alloc(32, 1).toString('base64');

function errorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'npsb-cfg-')), ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it.each([
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', /not a valid URL/],
    [{ DATABASE_URL: 'mysql://h/db', ENCRYPTION_KEY: KEY }, 'DATABASE_URL', /postgres:\/\//],
    [{ DATABASE_URL: 'postgres://h:5432', ENCRYPTION_KEY: KEY }, 'DATABASE_URL', /name a database/],
    [{ DATABASE_URL: 'postgres://h/db' }, 'ENCRYPTION_KEY', /required when DATABASE_URL is set/],
    [{ ENCRYPTION_KEY: 'c2hvcnQ=' }, 'ENCRYPTION_KEY', /32 bytes/],
    [{ PORT: 'eighty' }, 'PORT', /port number/],
    [{ PORT: '70000' }, 'PORT', /port number/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of fatal, error/],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL', /http\(s\) URL/],
    [{ SHUTDOWN_GRACE_SECONDS: '0' }, 'SHUTDOWN_GRACE_SECONDS', /positive integer/],
    [{ SANDBOXES: 'yes' }, 'SANDBOXES', /must be on or off, got "yes"/],
  ])('rejects %j with one line naming %s', (env, variable, reason) => {
    const error = errorFor(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toMatch(reason);
    expect(error.message).not.toContain('\n');
  });

  it('accepts a hex or base64 key and an external database', () => {
    const hex = 'ab'.repeat(32);
    const config = loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/nps', ENCRYPTION_KEY: hex, PORT: '8080' });
    expect(config.databaseUrl).toBe('postgresql://u:p@db:5432/nps');
    expect(config.encryptionKey.equals(Buffer.from(hex, 'hex'))).toBe(true);
    expect(config.port).toBe(8080);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/nps', ENCRYPTION_KEY: KEY }).encryptionKey).toHaveLength(32);
  });

  it('mounts the fake vendors by default only on the embedded database; SANDBOXES decides otherwise', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'npsb-cfg-'));
    const external = { DATA_DIR: dataDir, DATABASE_URL: 'postgres://db/nps', ENCRYPTION_KEY: KEY };
    expect(loadConfig({ DATA_DIR: dataDir }).sandboxesEnabled).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir, SANDBOXES: 'off' }).sandboxesEnabled).toBe(false);
    expect(loadConfig(external).sandboxesEnabled).toBe(false);
    expect(loadConfig({ ...external, SANDBOXES: 'on' }).sandboxesEnabled).toBe(true);
  });

  it('generates the embedded default key once, private to the owner, and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'npsb-cfg-'));
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = join(dataDir, 'encryption.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').equals(first.encryptionKey)).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir }).encryptionKey.equals(first.encryptionKey)).toBe(true);
    expect(first.databaseUrl).toBeUndefined();
  });

  it('derives the public URL from the listening port unless PUBLIC_URL is set', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'npsb-cfg-'));
    expect(effectivePublicUrl(loadConfig({ DATA_DIR: dataDir }), 4321)).toBe('http://127.0.0.1:4321');
    expect(effectivePublicUrl(loadConfig({ DATA_DIR: dataDir, HOST: '0.0.0.0' }), 80)).toBe('http://localhost:80');
    expect(effectivePublicUrl(loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://nps.example.com/' }), 80)).toBe('https://nps.example.com');
  });
});
