import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Launched, Parts, start } from '@apps/all-in-one/src/roots';
import { startEmbeddedPostgres } from '@libs/db/src/embedded-postgres';

export interface BenchDatabase {
  url: string;
  close(): Promise<void>;
}

/**
 * A fresh database: on BENCH_DATABASE_URL's (or TEST_DATABASE_URL's) server, else an embedded one.
 * With BENCH_KEEP_DATABASE=<name> (and a server), that database, made if missing and kept after
 * the run, so a benchmark's dataset can be measured again without generating it again.
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const kept = process.env.BENCH_KEEP_DATABASE;
  if (kept && !server) throw new Error('BENCH_KEEP_DATABASE needs BENCH_DATABASE_URL (a server that outlives the run)');
  if (kept) {
    const client = new Client({ connectionString: server });
    await client.connect();
    try {
      const { rowCount } = await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [kept]);
      if (!rowCount) await client.query(`CREATE DATABASE "${kept.replace(/"/g, '""')}"`);
    } finally {
      await client.end();
    }
    const url = new URL(server!);
    url.pathname = `/${kept}`;
    return { url: url.toString(), close: async () => undefined };
  }
  const name = `npsb_bench_${randomBytes(4).toString('hex')}`;
  const embedded = server ? undefined : await startEmbeddedPostgres({ dir: join(tmpdir(), `npsb-bench-pg-${process.pid}`), database: 'postgres', persistent: false });
  const admin = server ?? embedded!.url;
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    close: async () => {
      await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await embedded?.stop();
    },
  };
}

export interface ChildSandbox {
  url: string;
  child: ChildProcess;
  stop(): void;
}

/** Starts test/bench/sandbox-server in another process and waits for its URL; `options` go to the sandbox. */
export function childSandbox(kind: string, accounts: number, options: Record<string, unknown> = {}): Promise<ChildSandbox> {
  return spawnSandbox(['sandbox-server.js', kind, String(accounts), JSON.stringify(options)], `sandbox-server ${kind}`);
}

/** The HubSpot sandbox behind a meter of arrival times and 429s (metered-sandbox-server), in another process. */
export function meteredHubSpotSandbox(accounts: number, options: Record<string, unknown> = {}): Promise<ChildSandbox> {
  return spawnSandbox(['metered-sandbox-server.js', String(accounts), JSON.stringify(options)], 'metered-sandbox-server');
}

function spawnSandbox([script, ...rest]: string[], label: string): Promise<ChildSandbox> {
  const child = spawn(process.execPath, ['--max-old-space-size=2048', join(__dirname, script), ...rest], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ url: JSON.parse(line).url, child, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`${label} exited with ${code}`)));
  });
}

/** The environment every process of one benchmark starts with (a worker child needs the same key). */
export function benchEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    PORT: '0',
    LOG_LEVEL: 'warn',
    SCHEDULES: 'off',
    DEMO: 'off',
  };
}

export async function httpJson<T>(url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Samples this process's resident memory until stopped; returns the peak in MB. */
export function peakRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return Math.round(peak / 1024 / 1024);
    },
  };
}

/**
 * One benchmark run: a fresh database, the service's `parts` on it (timers off, no demo, on a
 * free port), then `measure`, which prints its lines and returns whether a target was missed;
 * exits 1 on a miss or an error, after stopping everything.
 */
export function runBench(parts: Parts, measure: (service: Launched, databaseUrl: string) => Promise<boolean>): void {
  const run = async (): Promise<boolean> => {
    const database = await benchDatabase();
    try {
      const service = await start(parts, benchEnv(database.url));
      try {
        return await measure(service, database.url);
      } finally {
        await service.stop();
      }
    } finally {
      await database.close();
    }
  };
  run().then(
    (missed) => process.exit(missed ? 1 : 0),
    (error: Error) => {
      console.error(error.stack ?? error.message);
      process.exit(1);
    },
  );
}

/** `count` answered surveys from contacts of distinct non-enterprise accounts, scores 0–10 in turn, due to settle. */
export async function answeredSurveys(db: DataSource, connectionId: string, at: Date, count: number): Promise<number> {
  const rows = await db.query(
    `WITH picked AS (
       SELECT DISTINCT ON (a.id) c.id AS contact_id, a.id AS account_id, c.email, c.role
       FROM accounts a JOIN contacts c ON c.account_id = a.id AND c.deleted_at IS NULL AND c.email IS NOT NULL
       WHERE a.connection_id = $1 AND a.deleted_at IS NULL AND coalesce(lower(a.tier), '') <> 'enterprise' AND coalesce(a.arr, 0) < 100000
       ORDER BY a.id, c.id LIMIT $2),
     numbered AS (SELECT *, row_number() OVER (ORDER BY account_id) AS n FROM picked),
     surveys AS (
       INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, account_id, email, status, scheduled_at, sent_at)
       SELECT 'relational', 'quarterly', 'bench:' || contact_id, contact_id, account_id, email, 'answered', $3, $3 FROM numbered
       RETURNING id, contact_id, account_id)
     INSERT INTO responses (survey_id, stream, trigger, contact_id, account_id, score, category, role_snapshot, first_answered_at, last_changed_at)
     SELECT s.id, 'relational', 'quarterly', s.contact_id, s.account_id, n.n % 11,
            CASE WHEN n.n % 11 >= 9 THEN 'promoter' WHEN n.n % 11 >= 7 THEN 'passive' ELSE 'detractor' END, n.role, $3, $3
     FROM surveys s JOIN numbered n ON n.contact_id = s.contact_id
     RETURNING id`,
    [connectionId, count, at],
  );
  return rows.length;
}
