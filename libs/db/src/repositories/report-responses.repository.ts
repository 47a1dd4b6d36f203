import { EntityManager } from 'typeorm';
import type { SurveyStream } from '../row-values';

/**
 * Which settled responses a report counts: a half-open time range on settled_at, a trigger, and
 * segment values (the snapshot stored with the response; the quadrant is the account's current
 * one, `unknown` without a computed health). Null means "any".
 */
export interface ReportResponseFilter {
  from: Date | null;
  /** Exclusive end. */
  until: Date | null;
  trigger: string | null;
  tier: string | null;
  arrBand: string | null;
  tenureBand: string | null;
  role: string | null;
  quadrant: string | null;
  /** One account's responses only (the account view). */
  accountId?: string | null;
}

/** Promoters, passives and detractors of one group, as Postgres counted them. */
export interface CategoryCountRow {
  stream: SurveyStream;
  promoters: number;
  passives: number;
  detractors: number;
}

export interface PeriodCountRow extends CategoryCountRow {
  period: string;
}

export interface SegmentCountRow extends CategoryCountRow {
  segment: 'tier' | 'arrBand' | 'tenureBand' | 'role' | 'quadrant';
  value: string;
}

export interface ThemeCountRow extends CategoryCountRow {
  quarter: string;
  theme: string;
}

/** A person's latest response in a window, as rules §7 counts it. */
export interface LatestAnswerRow {
  account_id: string;
  contact_id: string;
  role: string;
  score: number;
  at: Date;
}

/** Accounts with the same number of responses, summed (cents as exact integer text). */
export interface ArrWeightGroupRow {
  stream: SurveyStream;
  responses: number;
  accounts: number;
  cents: string;
  promoter_cents: string;
  passive_cents: string;
  detractor_cents: string;
  square_cents: string;
}

/** Segment columns by the name reports use: the snapshot stored with the response (rules §3), `unknown` without one. */
const SEGMENT_COLUMNS = {
  tier: `coalesce(r.tier_snapshot, 'unknown')`,
  arrBand: `coalesce(r.arr_band_snapshot, 'unknown')`,
  tenureBand: `coalesce(r.tenure_band_snapshot, 'unknown')`,
  role: `coalesce(r.role_snapshot, 'unknown')`,
  quadrant: `coalesce(r.quadrant_snapshot, 'unknown')`,
} as const;

/** The same segments as response_rollups names its columns. */
const CELL_COLUMNS = { tier: 'tier', arrBand: 'arr_band', tenureBand: 'tenure_band', role: 'role', quadrant: 'quadrant' } as const;
const SEGMENTS = ['tier', 'arrBand', 'tenureBand', 'role', 'quadrant'] as const;

const COUNTS = `count(*) FILTER (WHERE r.category = 'promoter')::int AS promoters,
                count(*) FILTER (WHERE r.category = 'passive')::int AS passives,
                count(*) FILTER (WHERE r.category = 'detractor')::int AS detractors`;

/** The WHERE clause of a filter over `responses r`. */
function where(filter: ReportResponseFilter, params: unknown[]): string {
  const conditions = ['r.settled_at IS NOT NULL'];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.from) add((n) => `r.settled_at >= ${n}`, filter.from);
  if (filter.until) add((n) => `r.settled_at < ${n}`, filter.until);
  if (filter.trigger) add((n) => `r.trigger = ${n}`, filter.trigger);
  if (filter.accountId) add((n) => `r.account_id = ${n}`, filter.accountId);
  for (const segment of SEGMENTS) {
    const value = filter[segment];
    if (value) add((n) => `${SEGMENT_COLUMNS[segment]} = ${n}`, value);
  }
  return conditions.join(' AND ');
}

const FROM = `FROM responses r`;

const startOfMonth = (at: Date, next: boolean) => {
  const month = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return next && month.getTime() !== at.getTime() ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)) : month;
};

/** A marginal of the counts: every response once (`all`), or per value of one segment (as response_marginals names it). */
type Marginal = 'all' | (typeof CELL_COLUMNS)[keyof typeof CELL_COLUMNS];
const SEGMENT_MARGINALS = SEGMENTS.map((s) => CELL_COLUMNS[s]);
const segmentOfMarginal = Object.fromEntries(SEGMENTS.map((s) => [CELL_COLUMNS[s], s])) as Record<Marginal, (typeof SEGMENTS)[number]>;

/** (segment, value) pairs of one row or cell, `all` first; `value` reads a segment's value by its marginal name. */
const marginalsOf = (value: (marginal: Exclude<Marginal, 'all'>) => string) =>
  `CROSS JOIN LATERAL (VALUES ('all', ''), ${SEGMENT_MARGINALS.map((m) => `('${m}', ${value(m)})`).join(', ')}) AS s(segment, value)`;

/**
 * The filtered responses as counted cells (stream, month, trigger, segment, value, theme, counts)
 * for the `wanted` marginals: whole UTC months from the rollups that triggers keep as responses
 * change (response_marginals without a segment filter, response_rollups with one), the days of a
 * partial month at either end of the range from the rows themselves. `themes`: one cell per theme
 * a response carries instead of one per response. One account's responses come from the rows.
 */
function cells(filter: ReportResponseFilter, themes: boolean, wanted: readonly Marginal[], params: unknown[]): string {
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const marginals = `s.segment IN (${wanted.map((m) => `'${m}'`).join(', ')})`;
  const fromRows = (from: Date | null, until: Date | null) => {
    const conditions = where({ ...filter, from, until }, params);
    const theme = themes ? 't.theme' : `''`;
    const lateral = themes ? 'CROSS JOIN LATERAL unnest(r.themes) AS t(theme)' : '';
    const columnOf = Object.fromEntries(SEGMENTS.map((s) => [CELL_COLUMNS[s], SEGMENT_COLUMNS[s]])) as Record<Exclude<Marginal, 'all'>, string>;
    return `SELECT r.stream, (date_trunc('month', r.settled_at AT TIME ZONE 'UTC'))::date AS month, r.trigger, s.segment, s.value, ${theme} AS theme,
                   (r.category = 'promoter')::int AS promoters, (r.category = 'passive')::int AS passives, (r.category = 'detractor')::int AS detractors
            FROM responses r ${lateral} ${marginalsOf((m) => columnOf[m])} WHERE ${conditions} AND ${marginals}`;
  };
  if (filter.accountId) return fromRows(filter.from, filter.until);
  const first = filter.from ? startOfMonth(filter.from, true) : null;
  const last = filter.until ? startOfMonth(filter.until, false) : null;
  if (first && last && first >= last) return fromRows(filter.from, filter.until);
  const conditions = [themes ? `theme <> ''` : `theme = ''`];
  if (first) conditions.push(`month >= ${bind(first)}`);
  if (last) conditions.push(`month < ${bind(last)}`);
  if (filter.trigger) conditions.push(`trigger = ${bind(filter.trigger)}`);
  const segmentFilters = SEGMENTS.filter((s) => filter[s]);
  for (const segment of segmentFilters) conditions.push(`${CELL_COLUMNS[segment]} = ${bind(filter[segment])}`);
  const parts = [
    segmentFilters.length === 0
      ? `SELECT stream, month, trigger, segment, value, theme, promoters, passives, detractors
         FROM response_marginals s WHERE ${conditions.join(' AND ')} AND ${marginals}`
      : `SELECT c.stream, c.month, c.trigger, s.segment, s.value, c.theme, c.promoters, c.passives, c.detractors
         FROM response_rollups c ${marginalsOf((m) => `c.${m}`)} WHERE ${conditions.map((x) => `c.${x}`).join(' AND ')} AND ${marginals}`,
  ];
  if (filter.from && first && filter.from < first) parts.push(fromRows(filter.from, first));
  if (filter.until && last && filter.until > last) parts.push(fromRows(last, filter.until));
  return parts.join(' UNION ALL ');
}

const CELL_COUNTS = `sum(c.promoters)::int AS promoters, sum(c.passives)::int AS passives, sum(c.detractors)::int AS detractors`;

/** responses read for reports (rules §9): every statement groups in Postgres and returns counts. */
export class ReportResponsesRepository {
  constructor(private readonly db: EntityManager) {}

  /** Counts per stream and UTC calendar month (`2026-01`) or quarter (`2026-Q1`). */
  async countsByPeriod(filter: ReportResponseFilter, granularity: 'month' | 'quarter'): Promise<PeriodCountRow[]> {
    const params: unknown[] = [];
    const format = granularity === 'month' ? 'YYYY-MM' : 'YYYY-"Q"Q';
    return this.db.query(
      `SELECT c.stream, to_char(c.month, '${format}') AS period, ${CELL_COUNTS}
       FROM (${cells(filter, false, ['all'], params)}) c
       GROUP BY 1, 2 HAVING sum(c.promoters) + sum(c.passives) + sum(c.detractors) > 0 ORDER BY 1, 2`,
      params,
    );
  }

  /** Counts per stream and value of each segment. */
  async countsBySegment(filter: ReportResponseFilter): Promise<SegmentCountRow[]> {
    const params: unknown[] = [];
    const rows: Array<CategoryCountRow & { segment: Marginal; value: string }> = await this.db.query(
      `SELECT c.stream, c.segment, c.value, ${CELL_COUNTS}
       FROM (${cells(filter, false, SEGMENT_MARGINALS, params)}) c
       GROUP BY 1, 2, 3 HAVING sum(c.promoters) + sum(c.passives) + sum(c.detractors) > 0 ORDER BY 1, 2, 3`,
      params,
    );
    return rows.map((r) => ({ ...r, segment: segmentOfMarginal[r.segment] }));
  }

  /** Counts per stream, UTC quarter and theme (a response counts once under each of its themes). */
  async themeCountsByQuarter(filter: ReportResponseFilter): Promise<ThemeCountRow[]> {
    const params: unknown[] = [];
    return this.db.query(
      `SELECT c.stream, to_char(c.month, 'YYYY-"Q"Q') AS quarter, c.theme, ${CELL_COUNTS}
       FROM (${cells(filter, true, ['all'], params)}) c
       GROUP BY 1, 2, 3 HAVING sum(c.promoters) + sum(c.passives) + sum(c.detractors) > 0 ORDER BY 1, 2, 3`,
      params,
    );
  }

  /** Counts per stream and ARR band, and per stream and quadrant (the snapshots stored with the responses). */
  async countsByArrBandAndQuadrant(filter: ReportResponseFilter): Promise<Array<CategoryCountRow & { arr_band: string | null; quadrant: string | null }>> {
    const params: unknown[] = [];
    const rows: Array<CategoryCountRow & { segment: Marginal; value: string }> = await this.db.query(
      `SELECT c.stream, c.segment, c.value, ${CELL_COUNTS}
       FROM (${cells(filter, false, ['arr_band', 'quadrant'], params)}) c
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      params,
    );
    return rows.map(({ segment, value, ...r }) => ({ ...r, arr_band: segment === 'arr_band' ? value : null, quadrant: segment === 'quadrant' ? value : null }));
  }

  /**
   * For the ARR-weighted NPS: the filtered responses' accounts with ARR > 0, summed per number of
   * responses the account has among them (exact cents as text), per stream. Unfiltered, the
   * sums kept by triggers per stream and count (arr_weight_groups); filtered, counted from the rows.
   */
  async arrWeightGroups(filter: ReportResponseFilter): Promise<ArrWeightGroupRow[]> {
    const params: unknown[] = [];
    const unfiltered = !filter.from && !filter.until && !filter.trigger && !filter.accountId && SEGMENTS.every((s) => !filter[s]);
    if (unfiltered) {
      return this.db.query(
        `SELECT stream, responses, accounts, cents::text AS cents, promoter_cents::text AS promoter_cents, passive_cents::text AS passive_cents,
                detractor_cents::text AS detractor_cents, square_cents::text AS square_cents
         FROM arr_weight_groups WHERE accounts <> 0 ORDER BY 1, 2`,
      );
    }
    return this.db.query(
      `SELECT c.stream, c.n AS responses, count(*)::int AS accounts, sum(c.cents)::text AS cents, sum(c.cents * c.promoters)::text AS promoter_cents,
              sum(c.cents * c.passives)::text AS passive_cents, sum(c.cents * c.detractors)::text AS detractor_cents, sum(c.cents::numeric * c.cents)::text AS square_cents
       FROM (SELECT t.stream, t.promoters + t.passives + t.detractors AS n, t.promoters, t.passives, t.detractors, (a.arr * 100)::bigint AS cents
             FROM (SELECT r.stream, r.account_id, ${COUNTS} FROM responses r WHERE ${where(filter, params)} AND r.account_id IS NOT NULL GROUP BY 1, 2) t
             JOIN accounts a ON a.id = t.account_id WHERE a.arr > 0) c
       WHERE c.n > 0
       GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
  }

  /** Counts per stream of the filtered responses. */
  async countsByStream(filter: ReportResponseFilter): Promise<CategoryCountRow[]> {
    const params: unknown[] = [];
    return this.db.query(`SELECT c.stream, ${CELL_COUNTS} FROM (${cells(filter, false, ['all'], params)}) c GROUP BY 1 ORDER BY 1`, params);
  }

  /** Active accounts (not removed) per current health quadrant: how many, and their ARR (exact, as text), as the triggers keep them (quadrant_totals). */
  async activeAccountsByQuadrant(): Promise<Array<{ quadrant: string; accounts: number; arr_cents: string }>> {
    return this.db.query(`SELECT quadrant, accounts, cents::text AS arr_cents FROM quadrant_totals WHERE accounts <> 0 ORDER BY 1`);
  }

  /**
   * Each person's latest relational response with an account in [asOf − windowDays, asOf] (both
   * ends inside), of the filtered responses: what rules §7 counts per account.
   */
  async latestRelationalAnswers(filter: ReportResponseFilter, asOf: Date, windowDays: number): Promise<LatestAnswerRow[]> {
    const params: unknown[] = [asOf, windowDays];
    return this.db.query(
      `SELECT DISTINCT ON (r.contact_id) r.account_id, r.contact_id, coalesce(r.role_snapshot, 'other') AS role, r.score, r.settled_at AS at
       ${FROM}
       WHERE ${where(filter, params)} AND r.stream = 'relational' AND r.account_id IS NOT NULL AND r.contact_id IS NOT NULL
         AND r.settled_at <= $1 AND r.settled_at >= $1::timestamptz - make_interval(days => $2)
       ORDER BY r.contact_id, r.settled_at DESC, r.id DESC`,
      params,
    );
  }

  /**
   * Revenue coverage in Postgres: active accounts (not removed) and their ARR in exact cents,
   * and of them those whose decision maker answered (relational, the role stored with the
   * response) in [asOf − windowDays, asOf]; `page` lists one page of covered or uncovered ids.
   * The whole comes from the kept quadrant totals, each account's part from its weight row.
   */
  async coverage(
    filter: ReportResponseFilter,
    asOf: Date,
    windowDays: number,
    page: { limit: number; offset: number },
  ): Promise<{ accounts: number; covered_accounts: number; active_cents: string; covered_cents: string; covered_ids: string[]; uncovered_ids: string[] }> {
    const params: unknown[] = [asOf, windowDays, page.limit, page.offset];
    const [row] = await this.db.query(
      `WITH heard AS (
         SELECT DISTINCT r.account_id FROM responses r
         WHERE ${where(filter, params)} AND r.stream = 'relational' AND r.role_snapshot = 'decision_maker' AND r.account_id IS NOT NULL
           AND r.settled_at <= $1 AND r.settled_at >= $1::timestamptz - make_interval(days => $2)),
       covered AS (SELECT w.account_id, w.cents FROM heard h JOIN account_quadrant_weights w ON w.account_id = h.account_id WHERE w.counted)
       SELECT coalesce((SELECT sum(accounts) FROM quadrant_totals), 0)::int AS accounts, (SELECT count(*) FROM covered)::int AS covered_accounts,
              coalesce((SELECT sum(cents) FROM quadrant_totals), 0)::text AS active_cents, coalesce((SELECT sum(cents) FROM covered), 0)::text AS covered_cents,
              coalesce((SELECT array_agg(id::text) FROM (SELECT account_id AS id FROM covered ORDER BY 1 LIMIT $3 OFFSET $4) p), '{}') AS covered_ids,
              coalesce((SELECT array_agg(id::text) FROM (SELECT w.account_id AS id FROM account_quadrant_weights w
                                                         WHERE w.counted AND NOT EXISTS (SELECT 1 FROM heard h WHERE h.account_id = w.account_id)
                                                         ORDER BY 1 LIMIT $3 OFFSET $4) p), '{}') AS uncovered_ids`,
      params,
    );
    return row;
  }
}
