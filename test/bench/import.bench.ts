import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { ImportCounts } from '@libs/db/src/repositories/imports.repository';
import { benchEnv, runBench } from './bench-support';

/**
 * `npm run bench:import`: ROWS answers (default 1,000,000) in a CSV of history (three years ending
 * 31 days before the import, so no answer is followed up), half of them by people who are CRM
 * contacts (CONTACTS over CONTACTS / 2 accounts, written by INSERT … SELECT generate_series), a
 * score, a comment on every third row, tags and two property columns. The file is written first,
 * then imported by `npm run import`'s own code in a process of its own (import-child.ts):
 * `import csv: rows=<n> seconds=<s> rows_per_s=<n> peak_rss_mb=<m>` (target ≥ 20,000 rows/s, the
 * import's duration; peak RSS of the importing process < 300 MB). Exits 1 when a target is missed.
 */
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const CONTACTS = Math.max(1, Math.round(ROWS / 10));
const ACCOUNTS = Math.max(1, Math.round(CONTACTS / 2));
const TARGET = { rowsPerSecond: 20_000, peakRssMb: 300 };
const DAY_SECONDS = 86_400;

const COMMENTS = ['The reports are slow', 'Great support, fast answers', 'Too expensive for what we use', 'Missing an integration with our billing tool'];

/** The CRM the answers are matched against; emails person<j>@example.com, j = 1…CONTACTS. */
async function crm(db: DataSource): Promise<void> {
  const [{ id: connection }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, status) VALUES ('hubspot', 'bench', 'x', 'active') RETURNING id`);
  await db.query(
    `INSERT INTO accounts (id, connection_id, external_id, name, arr, tier, customer_since)
     SELECT md5('a' || k)::uuid, $1, 'acct-' || k, 'Account ' || k, ((k * 7919) % 700000)::numeric(16, 2),
            CASE WHEN k % 10 = 0 THEN 'enterprise' ELSE 'starter' END, date '2019-01-01' + (k % 2500)
     FROM generate_series(1, $2::int) k`,
    [connection, ACCOUNTS],
  );
  await db.query(
    `INSERT INTO contacts (connection_id, external_id, account_id, email, role)
     SELECT $1, 'cont-' || j, md5('a' || ((j - 1) / 2 + 1))::uuid, 'person' || j || '@example.com',
            (ARRAY['decision_maker', 'admin', 'end_user', 'other'])[j % 4 + 1]
     FROM generate_series(1, $2::int) j`,
    [connection, CONTACTS],
  );
  await db.query(`ANALYZE`);
}

/** Writes the CSV with backpressure (waits for 'drain'), so generating it holds no more than a buffer. */
async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  const end = Math.floor(Date.now() / 1000) - 31 * DAY_SECONDS;
  const span = 3 * 365 * DAY_SECONDS;
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('Response ID,Email,Score,Date,Comment,Tags,Plan,Region\n');
  for (let n = 1; n <= ROWS; n++) {
    // Every other row is a CRM contact (person1…personCONTACTS); the rest are people the CRM does not know.
    const email = n % 2 === 0 ? `person${((n * 7919) % CONTACTS) + 1}@example.com` : `visitor${n}@elsewhere.example`;
    const at = end - span + Math.floor((n / ROWS) * span);
    const date = n % 4 === 0 ? new Date(at * 1000).toISOString() : String(at);
    const comment = n % 3 === 0 ? `"${COMMENTS[n % COMMENTS.length]}"` : '';
    await write(`r${n},${email},${(n * 37) % 11},${date},${comment},${n % 5 === 0 ? 'churn-risk;exec' : ''},${n % 2 ? 'Pro' : 'Starter'},${n % 3 ? 'EMEA' : 'AMER'}\n`);
  }
  out.end();
  await once(out, 'finish');
}

/** Runs the import in a process of its own, as `npm run import` does, and reads its report line. */
function importInChild(databaseUrl: string, args: string[]): Promise<{ status: string; error: string | null; counts: ImportCounts; seconds: number; peakRssMb: number }> {
  const child = spawn(process.execPath, [join(__dirname, 'import-child.js'), ...args], { env: benchEnv(databaseUrl), stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`the import process exited with ${code}: ${out}`));
      else resolve(JSON.parse(line));
    });
  });
}

runBench({ api: true, worker: false, sandbox: false }, async (service, databaseUrl) => {
  const db = service.app.get(DataSource);
  const dir = mkdtempSync(join(tmpdir(), 'npsb-bench-import-'));
  try {
    console.log(`generating ${CONTACTS} CRM contacts over ${ACCOUNTS} accounts and a CSV of ${ROWS} answers`);
    await crm(db);
    const path = join(dir, 'history.csv');
    await writeCsv(path);
    console.log(`  history.csv: ${(statSync(path).size / 1024 / 1024).toFixed(0)} MB`);
    const mapping = join(dir, 'mapping.json');
    writeFileSync(
      mapping,
      JSON.stringify({ source: 'bench', columns: { id: 'Response ID', email: 'Email', score: 'Score', created_at: 'Date', comment: 'Comment', tags: 'Tags' }, tagSeparator: ';' }),
    );

    const result = await importInChild(databaseUrl, ['--source', 'csv', '--mapping', mapping, path]);
    const rows = result.counts.imported;
    const perSecond = Math.round(rows / result.seconds);
    console.log(`  ${result.status}: matched ${result.counts.matched}, unmatched ${result.counts.unmatched}, refused ${result.counts.refused}`);
    console.log(`import csv: rows=${rows} seconds=${result.seconds.toFixed(1)} rows_per_s=${perSecond} peak_rss_mb=${result.peakRssMb}`);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM responses`);
    const missed = rows !== ROWS || n !== ROWS || perSecond < TARGET.rowsPerSecond || result.peakRssMb >= TARGET.peakRssMb;
    if (missed) {
      console.log(
        `  target missed: ${rows} of ${ROWS} imported (${n} responses), ≥ ${TARGET.rowsPerSecond} rows/s: ${perSecond >= TARGET.rowsPerSecond}, peak RSS < ${TARGET.peakRssMb} MB: ${result.peakRssMb < TARGET.peakRssMb}`,
      );
    }
    return missed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
