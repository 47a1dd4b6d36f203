import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ConfigError } from './config-error';
import { ConsoleOidcConfig, loadConsoleOidcConfig } from './console-oidc-config';

export { ConfigError } from './config-error';
export type { ConsoleOidcConfig } from './console-oidc-config';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  /** Unset means: start an embedded PostgreSQL in DATA_DIR/pg. */
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  /** Base URL people reach the service on (survey links, docs). */
  publicUrl: string;
  /** 32-byte key for AES-256-GCM encryption of vendor credentials. */
  encryptionKey: Buffer;
  /** ENCRYPTION_KEY_PREVIOUS (comma-separated): older keys that still decrypt, until `npm run credentials:rotate`. */
  encryptionKeyPrevious: Buffer[];
  logLevel: LogLevel;
  /** Seconds the service waits for in-flight work on SIGTERM. */
  shutdownGraceSeconds: number;
  /** Minutes between scheduled CRM syncs of each connection. */
  syncIntervalMinutes: number;
  /** smtp(s)://user:pass@host:port for survey emails; unset in the all-in-one default = the mail catcher. */
  smtpUrl: string | undefined;
  /** The address survey emails are sent from (the CSM's name may front it); default from the program settings. */
  mailFrom: string | undefined;
  /** false: this worker only consumes queued jobs and runs no timers (tests drive time themselves). */
  schedulesEnabled: boolean;
  /**
   * SANDBOXES: whether the all-in-one mounts the fake vendors, the mail catcher and the demo.
   * Default on only with the embedded database (the try-it-out start); with DATABASE_URL a
   * production start never serves a fake vendor unless SANDBOXES=on says so.
   */
  sandboxesEnabled: boolean;
  /** CONSOLE_OIDC_*: single sign-on to the console with OpenID Connect; undefined when not configured. */
  consoleOidc: ConsoleOidcConfig | undefined;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function parsePort(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(name, `must be a port number 0-65535, got "${raw}"`);
  }
  return Number(raw);
}

function parsePositiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ConfigError(name, `must be a positive integer, got "${raw}"`);
  }
  return Number(raw);
}

function parseDatabaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL (expected postgres://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  if (url.pathname.length <= 1) {
    throw new ConfigError('DATABASE_URL', 'must name a database (postgres://host:port/<database>)');
  }
  return raw;
}

/** Accepts 64 hex characters or base64 of exactly 32 bytes. */
function parseEncryptionKey(raw: string, name = 'ENCRYPTION_KEY'): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(name, 'must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)');
  }
  return key;
}

/**
 * The embedded default keeps its own key beside its data, so a newcomer needs no setup.
 * With an external database the key must come from the environment: losing it means losing
 * every stored vendor credential, so we never invent one silently.
 */
function loadEncryptionKey(env: Env, databaseUrl: string | undefined, dataDir: string): Buffer {
  const raw = env.ENCRYPTION_KEY;
  if (raw !== undefined && raw !== '') return parseEncryptionKey(raw);
  if (databaseUrl !== undefined) {
    throw new ConfigError('ENCRYPTION_KEY', 'is required when DATABASE_URL is set (openssl rand -base64 32)');
  }
  const file = join(dataDir, 'encryption.key');
  if (existsSync(file)) return parseEncryptionKey(readFileSync(file, 'utf8'), file);
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  return key;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const databaseUrl = parseDatabaseUrl(env);
  const dataDir = resolve(env.DATA_DIR || '.data');
  const host = env.HOST || '127.0.0.1';
  const port = parsePort(env, 'PORT', 3000);
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  let publicUrl = env.PUBLIC_URL || '';
  if (publicUrl) {
    try {
      const u = new URL(publicUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    } catch {
      throw new ConfigError('PUBLIC_URL', `must be an http(s) URL, got "${publicUrl}"`);
    }
    publicUrl = publicUrl.replace(/\/+$/, '');
  }
  const shutdownGraceSeconds = parsePositiveInt(env, 'SHUTDOWN_GRACE_SECONDS', 10);
  const syncIntervalMinutes = parsePositiveInt(env, 'SYNC_INTERVAL_MINUTES', 15);
  const encryptionKey = loadEncryptionKey(env, databaseUrl, dataDir);
  const encryptionKeyPrevious = (env.ENCRYPTION_KEY_PREVIOUS ?? '')
    .split(',')
    .filter((raw) => raw.trim() !== '')
    .map((raw) => parseEncryptionKey(raw, 'ENCRYPTION_KEY_PREVIOUS'));
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/]+/.test(smtpUrl)) {
    throw new ConfigError('SMTP_URL', 'must look like smtp://user:password@host:587 or smtps://host:465');
  }
  const mailFrom = env.MAIL_FROM || undefined;
  const schedules = env.SCHEDULES || 'on';
  if (schedules !== 'on' && schedules !== 'off') throw new ConfigError('SCHEDULES', `must be on or off, got "${schedules}"`);
  const sandboxes = env.SANDBOXES || (databaseUrl === undefined ? 'on' : 'off');
  if (sandboxes !== 'on' && sandboxes !== 'off') throw new ConfigError('SANDBOXES', `must be on or off, got "${sandboxes}"`);
  if (mailFrom && !/^[^\s@<>]+@[^\s@<>]+$/.test(mailFrom)) {
    throw new ConfigError('MAIL_FROM', `must be a bare email address like nps@example.com, got "${mailFrom}"`);
  }
  return {
    databaseUrl,
    dataDir,
    host,
    port,
    publicUrl,
    encryptionKey,
    encryptionKeyPrevious,
    logLevel,
    shutdownGraceSeconds,
    syncIntervalMinutes,
    smtpUrl,
    mailFrom,
    schedulesEnabled: schedules === 'on',
    sandboxesEnabled: sandboxes === 'on',
    consoleOidc: loadConsoleOidcConfig(env),
  };
}

/** The URL people use, once the listening port is known (PORT=0 picks a free one). */
let listeningUrl: string | undefined;

/** Called once the HTTP server listens: links point there while PUBLIC_URL is unset (PORT=0 picks the port late). */
export function setListeningUrl(url: string | undefined): void {
  listeningUrl = url;
}

/** The base of every link we hand out (survey emails, task text, webhook targets). */
export function publicBaseUrl(config: AppConfig): string {
  return config.publicUrl || listeningUrl || effectivePublicUrl(config, config.port);
}

export function effectivePublicUrl(config: AppConfig, listeningPort: number): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${listeningPort}`;
}
