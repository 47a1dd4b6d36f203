import { execFile } from 'node:child_process';
import { DataSource } from 'typeorm';
import type { Launched } from '@apps/all-in-one/src/roots';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConsoleUserService } from '@libs/app/src/console-users/console-users.service';
import { peakRss, runBench } from './bench-support';

/**
 * `npm run bench:reports`: ROWS responses (default 1,000,000) over ROWS / 20 accounts (4 contacts
 * each), both streams, three years, with skipped surveys, themes, follow-ups and account health,
 * written by INSERT … SELECT generate_series (no row crosses the wire). Then:
 * - the full CSV export, read over HTTP by a client process of its own, counting records (the peak RSS is the service's):
 *   `export csv: rows=<n> seconds=<s> peak_rss_mb=<m>` (target: every row, peak RSS < 300 MB);
 * - every report route /docs lists under /api/reports, and /api/loop-closure, called RUNS times
 *   after two warm-up calls: `report <name>: rows=<n> p50_ms=<x> p95_ms=<x>` (target p95 < 200 ms);
 * - the console's pages over the same data (dashboard of each stream, an account, a person, a
 *   search), rendered on the server for a signed-in viewer: `console <page>: …` (target p95 < 300 ms).
 * Exits 1 when a target is missed.
 */
const ROWS = Number(process.env.BENCH_REPORTS_ROWS ?? 1_000_000);
const ACCOUNTS = Math.max(1, Math.round(ROWS / 20));
const CONTACTS = ACCOUNTS * 4;
const RUNS = Number(process.env.BENCH_REPORTS_RUNS ?? 20);
const TARGET = { p95Ms: 200, peakRssMb: 300, consolePageMs: 300 };

/** The dataset, one statement per table; $1 rows, $2 accounts, $3 contacts (md5-made ids tie them together). */
async function generate(db: DataSource): Promise<void> {
  const [{ id: connection }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, status) VALUES ('hubspot', 'bench', 'x', 'active') RETURNING id`);
  const step = async (label: string, sql: string, params: unknown[]) => {
    const started = Date.now();
    await db.query(sql, params);
    console.log(`  generated ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  await step(
    'accounts',
    `INSERT INTO accounts (id, connection_id, external_id, name, arr, tier, customer_since, renewal_date)
     SELECT md5('a' || k)::uuid, $1, 'acct-' || k, 'Account ' || k, ((k * 7919) % 700000)::numeric(16, 2),
            CASE WHEN k % 10 = 0 THEN 'enterprise' WHEN k % 3 = 0 THEN 'growth' ELSE 'starter' END,
            date '2019-01-01' + (k % 2500), current_date + (k % 365)
     FROM generate_series(1, $2::int) k`,
    [connection, ACCOUNTS],
  );
  await step(
    'contacts',
    `INSERT INTO contacts (id, connection_id, external_id, account_id, email, role)
     SELECT md5('c' || j)::uuid, $1, 'cont-' || j, md5('a' || ((j - 1) / 4 + 1))::uuid, 'person' || j || '@example.com',
            (ARRAY['decision_maker', 'admin', 'end_user', 'other'])[j % 4 + 1]
     FROM generate_series(1, $2::int) j`,
    [connection, CONTACTS],
  );
  // One survey per response, plus one skipped for every ten (response rate and skips by reason).
  await step(
    'surveys',
    `INSERT INTO surveys (id, stream, trigger, idempotency_key, contact_id, account_id, email, status, skip_reason, scheduled_at, sent_at)
     SELECT md5('s' || n)::uuid, CASE WHEN n % 3 = 0 THEN 'transactional' ELSE 'relational' END,
            CASE WHEN n % 3 = 0 THEN 'ticket_solved' WHEN n % 3 = 1 THEN 'quarterly' ELSE 'pre_renewal' END,
            'bench:' || n, md5('c' || j)::uuid, md5('a' || ((j - 1) / 4 + 1))::uuid, 'person' || j || '@example.com',
            CASE WHEN n > $1 THEN 'skipped' ELSE 'answered' END, CASE WHEN n > $1 THEN (ARRAY['cooldown', 'unsubscribed', 'no_email'])[n % 3 + 1] END,
            at, CASE WHEN n <= $1 THEN at END
     FROM generate_series(1, $1::int + $1::int / 10) n,
          LATERAL (SELECT (n::bigint * 7919 % $2::int) + 1 AS j, now() - interval '3 years' + (n % $1::int) * (interval '3 years' / $1::int) AS at) x`,
    [ROWS, CONTACTS],
  );
  await step(
    'responses',
    `INSERT INTO responses (id, survey_id, stream, trigger, contact_id, account_id, score, category, comment, themes, role_snapshot,
                            tier_snapshot, arr_band_snapshot, tenure_band_snapshot, enterprise_snapshot, quadrant_snapshot, first_answered_at,
                            last_changed_at, settled_at, updated_at)
     SELECT md5('r' || n)::uuid, md5('s' || n)::uuid, CASE WHEN n % 3 = 0 THEN 'transactional' ELSE 'relational' END,
            CASE WHEN n % 3 = 0 THEN 'ticket_solved' WHEN n % 3 = 1 THEN 'quarterly' ELSE 'pre_renewal' END,
            md5('c' || j)::uuid, md5('a' || ((j - 1) / 4 + 1))::uuid, score,
            CASE WHEN score >= 9 THEN 'promoter' WHEN score >= 7 THEN 'passive' ELSE 'detractor' END,
            CASE WHEN n % 4 = 0 THEN 'The reports are slow and the price went up' END,
            CASE WHEN n % 4 = 0 THEN '{performance,pricing}'::text[] WHEN n % 7 = 0 THEN '{feature_gap}'::text[] ELSE '{}'::text[] END,
            (ARRAY['decision_maker', 'admin', 'end_user', 'other'])[j % 4 + 1],
            CASE WHEN (j - 1) / 4 % 10 = 9 THEN 'enterprise' ELSE 'starter' END,
            (ARRAY['lt_10k', '10k_50k', '50k_100k', '100k_500k', 'gte_500k'])[n % 5 + 1],
            (ARRAY['0_90d', '91_180d', '181_365d', '1_2y', 'gt_2y'])[n % 5 + 1], (j - 1) / 4 % 10 = 9,
            (ARRAY['champion', 'adoption_risk', 'passive_engaged', 'passive_drifting', 'friction', 'churn_risk', 'unknown'])[((j - 1) / 4 + 1) % 7 + 1],
            at, at, at + interval '1 hour', at + interval '1 hour'
     FROM generate_series(1, $1::int) n,
          LATERAL (SELECT (n::bigint * 7919 % $2::int) + 1 AS j, (n::bigint * 37 + n / 7) % 11 AS score,
                          now() - interval '3 years' + n * (interval '3 years' / $1::int) AS at) x`,
    [ROWS, CONTACTS],
  );
  await step(
    'follow-ups',
    `INSERT INTO follow_ups (response_id, account_id, kind, owner_kind, priority, subject, body, target_system, status, due_at, completed_at, created_at)
     SELECT r.id, r.account_id, 'detractor_call', 'account_owner', 'high', 'Call back', 'Call back', 'crm',
            (ARRAY['open', 'completed', 'completed', 'pending'])[(hashtext(r.id::text) & 3) + 1], r.settled_at + interval '7 days',
            CASE WHEN (hashtext(r.id::text) & 3) IN (1, 2) THEN r.settled_at + interval '3 days' END, r.settled_at
     FROM responses r WHERE r.category = 'detractor' AND r.score % 2 = 0`,
    [],
  );
  await step(
    'account health',
    `INSERT INTO account_health (account_id, sentiment, quadrant, relational_nps, role_gap, role_gap_flagged, responses_12m, activity, activity_basis)
     SELECT md5('a' || k)::uuid, (ARRAY['promoter', 'passive', 'detractor'])[k % 3 + 1],
            (ARRAY['champion', 'adoption_risk', 'passive_engaged', 'passive_drifting', 'friction', 'churn_risk', 'unknown'])[k % 7 + 1],
            (k % 201) - 100, k % 40, k % 40 > 15, 7, CASE WHEN k % 2 = 0 THEN 'high' ELSE 'low' END, 'arr_trend'
     FROM generate_series(1, $1::int) k`,
    [ACCOUNTS],
  );
  await step('statistics (ANALYZE)', `ANALYZE`, []);
}

/**
 * The export's client, in a process of its own (as a warehouse job or a browser would be), so the
 * peak RSS measured here is the service's: it reads the CSV as it arrives and counts records (a
 * line end outside quotes ends one; "" inside quotes toggles twice), then prints the count.
 */
const CSV_CLIENT = `
  (async () => {
    const res = await fetch(process.argv[1], { headers: JSON.parse(process.argv[2]) });
    if (!res.ok) throw new Error('export csv answered ' + res.status);
    let records = 0, quoted = false;
    for await (const chunk of res.body) for (const byte of chunk) {
      if (byte === 0x22) quoted = !quoted;
      else if (byte === 0x0a && !quoted) records++;
    }
    console.log(records);
  })().catch((e) => { console.error(e.message); process.exit(1); });`;

function countCsvRecordsElsewhere(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', CSV_CLIENT, url, JSON.stringify(headers)], { maxBuffer: 1 << 20 }, (error, stdout, stderr) =>
      error ? reject(new Error(`export client failed: ${stderr || error.message}`)) : resolve(Number(stdout.trim())),
    );
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

type OpenApi = { paths: Record<string, { get?: { parameters?: Array<{ in: string; name: string; required?: boolean; schema?: any }> } }> };

/** The report routes /docs lists (GET under /api/reports, and the loop-closure report), with a path's ids filled in. */
async function reportRoutes(base: string, db: DataSource): Promise<Array<{ name: string; path: string }>> {
  const doc = (await (await fetch(`${base}/docs-json`)).json()) as OpenApi;
  const [{ account, contact }] = await db.query(`SELECT md5('a1')::uuid::text AS account, md5('c1')::uuid::text AS contact`);
  return (
    Object.entries(doc.paths)
      // A report table's CSV (`/api/reports/<report>/<table>.csv`) is a download of a report measured here, not a report of its own.
      .filter(([path, item]) => item.get && !path.endsWith('.csv') && (path.startsWith('/api/reports') || path === '/api/loop-closure'))
      .map(([path, item]) => {
        const filled = path.replace(/\{(\w+)\}/g, () => (/people|person|contact/.test(path) ? contact : account));
        const required = (item.get!.parameters ?? []).filter((p) => p.in === 'query' && p.required);
        const query = required.map((p) => `${p.name}=${encodeURIComponent(String(p.schema?.enum?.[0] ?? p.schema?.example ?? p.schema?.default ?? ''))}`).join('&');
        return { name: path.replace(/^\/api\/(reports\/)?/, ''), path: query ? `${filled}?${query}` : filled };
      })
  );
}

/** The rows an answer holds: the longest array anywhere in it (a report's table). */
function rowsIn(value: unknown): number {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(rowsIn));
  if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(rowsIn));
  return 0;
}

/** A viewer's console session, signed in through the real form (CSRF token and all); the cookie to send. */
async function consoleSession(service: Launched, base: string): Promise<string> {
  const [email, password] = [`bench-viewer-${Date.now()}@example.com`, 'bench viewer password 1']; // a new one each run (a kept database has the last run's)
  await service.app.get(ConsoleUserService).create({ email, password, role: 'viewer' }, 'bench');
  const cookiesOf = (res: Response) =>
    res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  const form = await fetch(`${base}/console/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf) throw new Error('the sign-in page has no CSRF field');
  const signedIn = await fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookiesOf(form), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password }),
  });
  if (signedIn.status !== 303) throw new Error(`console sign-in answered ${signedIn.status}`);
  return cookiesOf(signedIn);
}

runBench({ api: true, worker: false, sandbox: false }, async (service) => {
  const db = service.app.get(DataSource);
  const base = service.url!;
  const headers = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('bench', 'bench')).key}` };
  const [{ existing }] = await db.query(`SELECT count(*)::int AS existing FROM responses`);
  if (existing > 0) {
    console.log(`measuring the ${existing} responses already in the kept database (BENCH_KEEP_DATABASE)`);
  } else {
    console.log(`generating ${ROWS} responses over ${ACCOUNTS} accounts (${CONTACTS} contacts), both streams, three years`);
    await generate(db);
  }
  let missed = false;

  // BENCH_REPORTS_EXPORT=off skips the export (a minute at 1M) while the reports are worked on.
  if (process.env.BENCH_REPORTS_EXPORT !== 'off') {
    const memory = peakRss();
    const started = process.hrtime.bigint();
    console.log(`  service RSS before the export: ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`);
    const rows = (await countCsvRecordsElsewhere(`${base}/api/export/responses.csv`, headers)) - 1; // the header row
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peak = memory.stop();
    console.log(`export csv: rows=${rows} seconds=${seconds.toFixed(1)} peak_rss_mb=${peak}`);
    if (rows !== ROWS || peak >= TARGET.peakRssMb) {
      missed = true;
      console.log(`  target missed: rows ${rows} of ${ROWS}, peak RSS < ${TARGET.peakRssMb} MB: ${peak < TARGET.peakRssMb}`);
    }
  }

  /** Calls `path` RUNS times after two warm-up calls and prints `<label>: rows=<n> p50_ms=<x> p95_ms=<x>` (rows of a JSON answer); false on a miss. */
  const measure = async (label: string, path: string, init: RequestInit, targetMs: number, rowsOf: (text: string) => number, showFirst = false): Promise<boolean> => {
    const times: number[] = [];
    let [rows, first] = [0, 0];
    for (let i = 0; i < RUNS + 2; i++) {
      const t0 = process.hrtime.bigint();
      const r = await fetch(`${base}${path}`, init);
      const text = await r.text();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!r.ok) {
        console.log(`${label}: answered ${r.status} ${text.slice(0, 200)}`);
        return false;
      }
      rows = rowsOf(text);
      if (i === 0) first = ms;
      if (i >= 2) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const [p50, p95] = [percentile(times, 50), percentile(times, 95)];
    console.log(`${label}: rows=${rows} p50_ms=${p50.toFixed(1)} p95_ms=${p95.toFixed(1)}${showFirst ? ` first_ms=${first.toFixed(1)}` : ''}`);
    if (p95 < targetMs) return true;
    console.log(`  target missed: p95 ${p95.toFixed(1)} ms ≥ ${targetMs} ms`);
    return false;
  };

  for (const route of await reportRoutes(base, db)) {
    if (!(await measure(`report ${route.name}`, route.path, { headers }, TARGET.p95Ms, (text) => rowsIn(JSON.parse(text))))) missed = true;
  }

  // Console pages over the same data, rendered on the server for a signed-in viewer (rows: the page's table rows;
  // first_ms: the first call, whose charts are all drawn, where later calls over the same numbers reuse them).
  const cookie = await consoleSession(service, base);
  const [{ account, contact }] = await db.query(`SELECT md5('a1')::uuid::text AS account, md5('c1')::uuid::text AS contact`);
  const tableRows = (html: string) => (html.match(/<tr[ >]/g) ?? []).length;
  for (const [name, path] of [
    ['dashboard', '/console'],
    ['dashboard transactional', '/console?stream=transactional'],
    ['account', `/console/accounts/${account}`],
    ['person', `/console/people/${contact}`],
    ['account search', '/console/accounts?q=Account%201'],
  ]) {
    if (!(await measure(`console ${name}`, path, { headers: { cookie }, redirect: 'manual' }, TARGET.consolePageMs, tableRows, true))) missed = true;
  }
  return missed;
});
