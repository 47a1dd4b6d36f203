import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { startTestService, TestService } from './support/service';

/** More responses than one page the exports read (5,000), so every walk crosses page ends. */
const GENERATED = 12_345;
const ACCOUNTS = 40;
const CONTACTS = 120;

/**
 * Responses over three years, both streams, with snapshots, themes, follow-ups in every state and
 * comments a CSV must quote (commas, quotes, new lines) or defuse (a formula). Ids are md5-made
 * uuids (random order, like gen_random_uuid); three responses share each updated_at, so the feed
 * breaks ties by id; every change is an hour or more old (older than the feed's quiet seconds).
 */
async function loadResponses(db: DataSource): Promise<void> {
  const [{ id: connection }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted) VALUES ('hubspot', 'export test', 'x') RETURNING id`);
  await db.query(
    `INSERT INTO accounts (id, connection_id, external_id, name, tier)
     SELECT md5('a' || k)::uuid, $1, 'acct-' || k, CASE WHEN k = 1 THEN '=HYPERLINK("http://x")' ELSE 'Account ' || k END, CASE WHEN k % 3 = 0 THEN 'enterprise' END
     FROM generate_series(1, ${ACCOUNTS}) k`,
    [connection],
  );
  await db.query(
    `INSERT INTO contacts (id, connection_id, external_id, account_id, email, role)
     SELECT md5('c' || k)::uuid, $1, 'cont-' || k, md5('a' || (k % ${ACCOUNTS} + 1))::uuid, 'person' || k || '@example.com',
            (ARRAY['decision_maker', 'admin', 'end_user', 'other'])[k % 4 + 1]
     FROM generate_series(1, ${CONTACTS}) k`,
    [connection],
  );
  await db.query(
    `INSERT INTO surveys (id, stream, trigger, idempotency_key, contact_id, account_id, email, status, scheduled_at, sent_at)
     SELECT md5('s' || n)::uuid, CASE WHEN n % 2 = 0 THEN 'relational' ELSE 'transactional' END,
            CASE WHEN n % 2 = 0 THEN (CASE WHEN n % 4 = 0 THEN 'quarterly' ELSE 'pre_renewal' END) ELSE 'ticket_solved' END,
            'export:' || n, CASE WHEN n % 50 <> 0 THEN md5('c' || (n % ${CONTACTS} + 1))::uuid END,
            CASE WHEN n % 50 <> 0 THEN md5('a' || ((n % ${CONTACTS} + 1) % ${ACCOUNTS} + 1))::uuid END,
            'person' || (n % ${CONTACTS} + 1) || '@example.com', 'answered',
            timestamptz '2024-01-01T00:00:00Z' + n * interval '2 hours', timestamptz '2024-01-01T00:00:00Z' + n * interval '2 hours'
     FROM generate_series(1, ${GENERATED}) n`,
  );
  await db.query(
    `INSERT INTO responses (id, survey_id, stream, trigger, contact_id, account_id, score, category, comment, themes, reference_opt_in,
                            role_snapshot, tier_snapshot, arr_band_snapshot, tenure_band_snapshot, enterprise_snapshot,
                            first_answered_at, last_changed_at, settled_at, updated_at)
     SELECT md5('r' || n)::uuid, s.id, s.stream, s.trigger, s.contact_id, s.account_id, n % 11,
            CASE WHEN n % 11 >= 9 THEN 'promoter' WHEN n % 11 >= 7 THEN 'passive' ELSE 'detractor' END,
            CASE WHEN n = 7 THEN '=SUM(A1:A2)' WHEN n % 5 = 0 THEN 'slow, "really" slow' || chr(10) || 'since May' END,
            CASE WHEN n % 15 = 0 THEN '{performance,pricing}'::text[] WHEN n % 5 = 0 THEN '{performance}'::text[] ELSE '{}'::text[] END,
            n % 11 >= 9 AND n % 3 = 0,
            CASE WHEN n % 50 <> 0 THEN (ARRAY['decision_maker', 'admin', 'end_user', 'other'])[(n % ${CONTACTS} + 1) % 4 + 1] END,
            CASE WHEN n % 6 = 0 THEN 'enterprise' END, (ARRAY['lt_10k', '10k_50k', '50k_100k', '100k_500k', 'gte_500k'])[n % 5 + 1],
            (ARRAY['0_90d', '91_180d', '181_365d', '1_2y', 'gt_2y'])[n % 5 + 1], CASE WHEN n % 50 <> 0 THEN n % 6 = 0 END,
            s.sent_at + interval '1 hour', s.sent_at + interval '1 hour', CASE WHEN n % 10 <> 0 THEN s.sent_at + interval '2 hours' END,
            now() - interval '2 days' + (n / 3) * interval '1 second'
     FROM surveys s JOIN generate_series(1, ${GENERATED}) n ON s.id = md5('s' || n)::uuid`,
  );
  await db.query(
    `INSERT INTO follow_ups (response_id, kind, owner_kind, priority, subject, body, target_system, status, due_at, completed_at, skip_reason, created_at)
     SELECT md5('r' || n)::uuid, k.kind, 'account_owner', 'high', 'Call back', 'Call back', 'crm',
            (ARRAY['pending', 'open', 'completed', 'skipped'])[(n / 9 + k.i) % 4 + 1],
            timestamptz '2024-01-01T00:00:00Z' + n * interval '2 hours' + k.i * interval '1 day',
            CASE WHEN (n / 9 + k.i) % 4 = 2 THEN timestamptz '2024-01-01T00:00:00Z' + n * interval '2 hours' + interval '5 hours' END,
            CASE WHEN (n / 9 + k.i) % 4 = 3 THEN 'no_leadership_owner' END,
            timestamptz '2024-01-01T00:00:00Z' + n * interval '2 hours' + k.i * interval '1 minute'
     FROM generate_series(9, ${GENERATED}, 9) n
     JOIN (VALUES (1, 'detractor_call'), (2, 'enterprise_escalation')) k(i, kind) ON k.i = 1 OR n % 18 = 0`,
  );
}

/** The response rows as Postgres holds them, with what a CSV row is made of. */
async function storedResponses(db: DataSource, where = 'true'): Promise<Array<Record<string, any>>> {
  return db.query(
    `SELECT r.id, r.stream, r.trigger, r.score, r.category, r.comment, r.themes, r.reference_opt_in, r.role_snapshot, r.tier_snapshot,
            r.arr_band_snapshot, r.tenure_band_snapshot, r.enterprise_snapshot, r.first_answered_at, r.settled_at, r.account_id,
            a.external_id AS account_external_id, a.name AS account_name, r.contact_id, c.external_id AS contact_external_id, s.email,
            (SELECT coalesce(json_agg(json_build_object('kind', f.kind, 'status', f.status, 'due', f.due_at, 'completed', f.completed_at)
                                      ORDER BY f.created_at, f.kind), '[]') FROM follow_ups f WHERE f.response_id = r.id) AS follow_ups
     FROM responses r JOIN surveys s ON s.id = r.survey_id LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN contacts c ON c.id = r.contact_id
     WHERE ${where}`,
  );
}

/** Microsecond ISO text, as the export writes instants. */
const instant = (at: Date | string | null) => (at === null ? '' : new Date(at).toISOString().replace('Z', '000Z'));
const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** The CSV record a stored response must come back as (formula-like text behind an apostrophe). */
function expectedRecord(row: Record<string, any>): Record<string, string> {
  const safe = (v: string | null) => (v !== null && /^[=+\-@\t\r]/.test(v) ? `'${v}` : cell(v));
  const followUps = row.follow_ups as Array<{ kind: string; status: string; due: string | null; completed: string | null }>;
  const due = followUps.filter((f) => ['pending', 'open'].includes(f.status)).map((f) => new Date(f.due!).getTime());
  const completed = followUps.filter((f) => f.status === 'completed').map((f) => new Date(f.completed!).getTime());
  return {
    response_id: row.id,
    stream: row.stream,
    trigger: row.trigger,
    score: String(row.score),
    category: row.category,
    comment: safe(row.comment),
    themes: row.themes.join(';'),
    reference_opt_in: String(row.reference_opt_in),
    role: cell(row.role_snapshot),
    tier: cell(row.tier_snapshot),
    arr_band: cell(row.arr_band_snapshot),
    tenure_band: cell(row.tenure_band_snapshot),
    enterprise: cell(row.enterprise_snapshot),
    answered_at: instant(row.first_answered_at),
    settled_at: instant(row.settled_at),
    account_id: cell(row.account_id),
    account_external_id: cell(row.account_external_id),
    account_name: safe(row.account_name),
    contact_id: cell(row.contact_id),
    contact_external_id: cell(row.contact_external_id),
    email: row.email,
    follow_ups: followUps.map((f) => `${f.kind}:${f.status}`).join(';'),
    follow_up_next_due_at: due.length ? instant(new Date(Math.min(...due))) : '',
    follow_up_last_completed_at: completed.length ? instant(new Date(Math.max(...completed))) : '',
  };
}

describe('exports: the responses CSV and the warehouse feed round-trip', () => {
  let service: TestService;
  let db: DataSource;
  let auth: { Authorization: string };
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, { headers: { ...auth, ...headers } });

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: false, sandbox: false });
    db = service.app.get(DataSource);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('export', 'test')).key}` };
    await loadResponses(db);
  }, 60_000);
  afterAll(() => service?.close());

  it('streams every response once as a CSV download whose records equal the rows in Postgres', async () => {
    const res = await get('/api/export/responses.csv');
    expect([res.status, res.headers.get('content-type'), res.headers.get('content-disposition')]).toEqual([200, 'text/csv; charset=utf-8', 'attachment; filename="responses.csv"']);
    const records = parse(await res.text(), { columns: true }) as Array<Record<string, string>>;
    const stored = await storedResponses(db);
    expect(records).toHaveLength(GENERATED);
    expect(new Set(records.map((r) => r.response_id)).size).toBe(GENERATED);
    const expected = new Map(stored.map((row) => [row.id as string, expectedRecord(row)]));
    expect(records.filter((r) => JSON.stringify(r) !== JSON.stringify(expected.get(r.response_id)))).toEqual([]);
    // What the file must show, stated plainly for a few known rows.
    const byId = new Map(records.map((r) => [r.response_id, r]));
    const [{ id: seventh }] = await db.query(`SELECT md5('r7')::uuid::text AS id`);
    expect(byId.get(seventh)!.comment).toBe("'=SUM(A1:A2)");
    const [{ id: tenth }] = await db.query(`SELECT md5('r10')::uuid::text AS id`);
    expect(byId.get(tenth)).toMatchObject({ comment: 'slow, "really" slow\nsince May', themes: 'performance', settled_at: '', stream: 'relational' });
    const [{ id: ninetieth }] = await db.query(`SELECT md5('r90')::uuid::text AS id`);
    expect(byId.get(ninetieth)).toMatchObject({
      themes: 'performance;pricing',
      follow_ups: 'detractor_call:skipped;enterprise_escalation:pending',
      follow_up_next_due_at: '2024-01-10T12:00:00.000000Z',
      follow_up_last_completed_at: '',
    });
  });

  it('takes one stream and an answered-date range, and the same rows as JSON on Accept: application/json', async () => {
    const query = 'stream=transactional&from=2024-03-01&to=2025-02-28';
    const records = parse(await (await get(`/api/export/responses.csv?${query}`)).text(), { columns: true }) as Array<Record<string, string>>;
    const stored = await storedResponses(db, `r.stream = 'transactional' AND r.first_answered_at >= '2024-03-01T00:00:00Z' AND r.first_answered_at < '2025-03-01T00:00:00Z'`);
    expect(stored.length).toBeGreaterThan(1000);
    expect(records.map((r) => r.response_id).sort()).toEqual(stored.map((r) => r.id).sort());
    expect(new Set(records.map((r) => r.stream))).toEqual(new Set(['transactional']));

    const json = await get(`/api/export/responses.csv?${query}`, { Accept: 'application/json' });
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const rows = (await json.json()) as Array<Record<string, any>>;
    expect(rows.map((r) => r.id)).toEqual(records.map((r) => r.response_id));
    expect(rows[0]).toEqual(expect.objectContaining({ stream: 'transactional', followUps: expect.any(Array), themes: expect.any(Array) }));
    const empty = await get('/api/export/responses.csv?from=2030-01-01', { Accept: 'application/json' });
    expect(await empty.json()).toEqual([]);
  });

  it('refuses a bad stream or date range with 400 naming the parameter', async () => {
    for (const [query, message] of [
      ['stream=both', 'stream: must be relational or transactional'],
      ['from=2026-02-30', 'from: must be a date (YYYY-MM-DD)'],
      ['from=2026-02-02&to=2026-02-01', 'to: must not be before from'],
    ]) {
      const res = await get(`/api/export/responses.csv?${query}`);
      expect([res.status, ((await res.json()) as { message: string[] }).message]).toEqual([400, [message]]);
    }
  });

  /** Follows the feed from `since` until a short page; every line parsed. */
  async function follow(limit: number, since?: string, extra = ''): Promise<{ pages: number; rows: Array<Record<string, any>>; cursor: string }> {
    const rows: Array<Record<string, any>> = [];
    let cursor = since;
    for (let pages = 1; ; pages++) {
      const res = await get(`/api/export/responses?limit=${limit}${cursor ? `&since=${cursor}` : ''}${extra}`);
      expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/x-ndjson; charset=utf-8']);
      const next = res.headers.get('x-next-cursor')!;
      expect(res.headers.get('link')).toBe(`</api/export/responses?since=${next}&limit=${limit}${extra}>; rel="next"`);
      const lines = (await res.text()).split('\n').filter(Boolean);
      rows.push(...lines.map((l) => JSON.parse(l)));
      cursor = next;
      if (lines.length < limit) return { pages, rows, cursor };
    }
  }

  it('feeds every response exactly once across pages, in (updated_at, id) order, then stays at its cursor', async () => {
    const { pages, rows, cursor } = await follow(1_000);
    expect(pages).toBe(Math.ceil(GENERATED / 1_000));
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(GENERATED);
    const stored = await db.query(`SELECT id FROM responses`);
    expect([...ids].sort()).toEqual(stored.map((r: { id: string }) => r.id).sort());
    const keys = rows.map((r) => `${r.updatedAt}|${r.id}`);
    expect(keys).toEqual([...keys].sort());
    const [{ id: ninetieth }] = await db.query(`SELECT md5('r90')::uuid::text AS id`);
    expect(rows.find((r) => r.id === ninetieth)).toMatchObject({
      stream: 'relational',
      score: 2,
      category: 'detractor',
      themes: ['performance', 'pricing'],
      followUps: [
        { kind: 'detractor_call', status: 'skipped', dueAt: '2024-01-09T12:00:00.000000Z', completedAt: null, skipReason: 'no_leadership_owner' },
        { kind: 'enterprise_escalation', status: 'pending', dueAt: '2024-01-10T12:00:00.000000Z', completedAt: null, skipReason: null },
      ],
    });

    // Caught up: the same cursor, nothing more.
    const again = await get(`/api/export/responses?since=${cursor}`);
    expect([again.headers.get('x-next-cursor'), await again.text()]).toEqual([cursor, '']);

    // A response changed since comes once more, after the cursor; one changed seconds ago waits.
    await db.query(`UPDATE responses SET score = 10, category = 'promoter', updated_at = now() - interval '1 minute' WHERE id = md5('r90')::uuid`);
    // (an updated_at an hour ahead stays younger than the quiet seconds for the rest of this file, whatever the machine's pace)
    await db.query(`UPDATE responses SET updated_at = now() + interval '1 hour' WHERE id = md5('r91')::uuid`);
    const later = await follow(1_000, cursor);
    expect(later.rows.map((r) => [r.id, r.score])).toEqual([[ninetieth, 10]]);
  });

  it('keeps the streams apart on request, and answers one JSON page on Accept: application/json', async () => {
    const relational = await follow(5_000, undefined, '&stream=relational');
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM responses WHERE stream = 'relational' AND updated_at < now() - interval '10 seconds'`);
    expect(relational.rows).toHaveLength(count);
    expect(new Set(relational.rows.map((r) => r.stream))).toEqual(new Set(['relational']));

    const res = await get('/api/export/responses?limit=3', { Accept: 'application/json' });
    const page = (await res.json()) as { nextCursor: string; responses: Array<Record<string, any>> };
    expect(page.nextCursor).toBe(res.headers.get('x-next-cursor'));
    expect(page.responses).toHaveLength(3);
    const next = (await (await get(`/api/export/responses?limit=3&since=${page.nextCursor}`, { Accept: 'application/json' })).json()) as typeof page;
    const firstSix = (await (await get('/api/export/responses?limit=6')).text()).split('\n').filter(Boolean);
    expect([...page.responses, ...next.responses].map((r) => r.id)).toEqual(firstSix.map((l) => JSON.parse(l).id));
  });

  it('refuses a cursor it did not give, and a limit out of 1–100,000, with 400 naming the parameter', async () => {
    const made = (text: string) => Buffer.from(text).toString('base64url');
    for (const since of ['not-a-cursor', made('2026-02-30T00:00:00.000000Z|6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f'), made('yesterday|x'), '']) {
      const res = await get(`/api/export/responses?since=${since}`);
      expect([res.status, ((await res.json()) as { message: string[] }).message]).toEqual([400, [expect.stringMatching(/^since: /)]]);
    }
    for (const limit of ['0', '100001', '1.5', 'ten']) {
      const res = await get(`/api/export/responses?limit=${limit}`);
      expect([res.status, ((await res.json()) as { message: string[] }).message]).toEqual([400, ['limit: must be an integer from 1 to 100000']]);
    }
    const largest = await get('/api/export/responses?limit=100000');
    expect([largest.status, (await largest.text()).split('\n').filter(Boolean).length]).toEqual([200, GENERATED - 1]);
  });
});
