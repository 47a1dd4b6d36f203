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

export interface AccountCountRow {
  stream: SurveyStream;
  account_id: string;
  arr: string | null;
  promoters: number;
  passives: number;
  detractors: number;
}

export interface BandAccountCountRow extends AccountCountRow {
  arr_band: string | null;
}

/** Segment columns by the name reports use; the quadrant comes from account_health. */
const SEGMENT_COLUMNS = {
  tier: `coalesce(r.tier_snapshot, 'unknown')`,
  arrBand: `coalesce(r.arr_band_snapshot, 'unknown')`,
  tenureBand: `coalesce(r.tenure_band_snapshot, 'unknown')`,
  role: `coalesce(r.role_snapshot, 'unknown')`,
  quadrant: `coalesce(h.quadrant, 'unknown')`,
} as const;

const COUNTS = `count(*) FILTER (WHERE r.category = 'promoter')::int AS promoters,
                count(*) FILTER (WHERE r.category = 'passive')::int AS passives,
                count(*) FILTER (WHERE r.category = 'detractor')::int AS detractors`;

/** The WHERE clause of a filter over `responses r LEFT JOIN account_health h`, params from $start. */
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
  for (const segment of ['tier', 'arrBand', 'tenureBand', 'role', 'quadrant'] as const) {
    const value = filter[segment];
    if (value) add((n) => `${SEGMENT_COLUMNS[segment]} = ${n}`, value);
  }
  return conditions.join(' AND ');
}

const FROM = `FROM responses r LEFT JOIN account_health h ON h.account_id = r.account_id`;

/** responses read for reports (rules §9): every statement groups in Postgres and returns counts. */
export class ReportResponsesRepository {
  constructor(private readonly db: EntityManager) {}

  /** Counts per stream and UTC calendar month (`2026-01`) or quarter (`2026-Q1`). */
  async countsByPeriod(filter: ReportResponseFilter, granularity: 'month' | 'quarter'): Promise<PeriodCountRow[]> {
    const params: unknown[] = [];
    const format = granularity === 'month' ? 'YYYY-MM' : 'YYYY-"Q"Q';
    return this.db.query(
      `SELECT r.stream, to_char(r.settled_at AT TIME ZONE 'UTC', '${format}') AS period, ${COUNTS}
       ${FROM} WHERE ${where(filter, params)}
       GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
  }

  /** Counts per stream and value of each segment (one pass, grouping sets). */
  async countsBySegment(filter: ReportResponseFilter): Promise<SegmentCountRow[]> {
    const params: unknown[] = [];
    const { tier, arrBand, tenureBand, role, quadrant } = SEGMENT_COLUMNS;
    return this.db.query(
      `SELECT r.stream,
              CASE WHEN grouping(${tier}) = 0 THEN 'tier' WHEN grouping(${arrBand}) = 0 THEN 'arrBand'
                   WHEN grouping(${tenureBand}) = 0 THEN 'tenureBand' WHEN grouping(${role}) = 0 THEN 'role' ELSE 'quadrant' END AS segment,
              coalesce(CASE WHEN grouping(${tier}) = 0 THEN ${tier} END, CASE WHEN grouping(${arrBand}) = 0 THEN ${arrBand} END,
                       CASE WHEN grouping(${tenureBand}) = 0 THEN ${tenureBand} END, CASE WHEN grouping(${role}) = 0 THEN ${role} END,
                       ${quadrant}) AS value,
              ${COUNTS}
       ${FROM} WHERE ${where(filter, params)}
       GROUP BY GROUPING SETS ((r.stream, ${tier}), (r.stream, ${arrBand}), (r.stream, ${tenureBand}), (r.stream, ${role}), (r.stream, ${quadrant}))
       ORDER BY 1, 2, 3`,
      params,
    );
  }

  /** Counts per stream, UTC quarter and theme (a response counts once under each of its themes). */
  async themeCountsByQuarter(filter: ReportResponseFilter): Promise<ThemeCountRow[]> {
    const params: unknown[] = [];
    return this.db.query(
      `SELECT r.stream, to_char(r.settled_at AT TIME ZONE 'UTC', 'YYYY-"Q"Q') AS quarter, t.theme, ${COUNTS}
       ${FROM} CROSS JOIN LATERAL unnest(r.themes) AS t(theme)
       WHERE ${where(filter, params)}
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      params,
    );
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

  /** Counts per stream and account with the account's current ARR (responses without an account: account_id null). */
  async countsByAccount(filter: ReportResponseFilter): Promise<AccountCountRow[]> {
    const params: unknown[] = [];
    return this.db.query(
      `SELECT r.stream, r.account_id, a.arr::text AS arr, ${COUNTS}
       ${FROM} LEFT JOIN accounts a ON a.id = r.account_id
       WHERE ${where(filter, params)}
       GROUP BY 1, 2, 3 ORDER BY 1, 2`,
      params,
    );
  }

  /** Counts per stream, ARR band stored with the response and account. */
  async countsByArrBandAndAccount(filter: ReportResponseFilter): Promise<BandAccountCountRow[]> {
    const params: unknown[] = [];
    return this.db.query(
      `SELECT r.stream, r.arr_band_snapshot AS arr_band, r.account_id, a.arr::text AS arr, ${COUNTS}
       ${FROM} LEFT JOIN accounts a ON a.id = r.account_id
       WHERE ${where(filter, params)}
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3`,
      params,
    );
  }

  /** Accounts with a decision maker's relational response in [asOf − windowDays, asOf], with that latest time. */
  async decisionMakerHeard(filter: ReportResponseFilter, asOf: Date, windowDays: number): Promise<Array<{ account_id: string; at: Date }>> {
    const params: unknown[] = [asOf, windowDays];
    return this.db.query(
      `SELECT r.account_id, max(r.settled_at) AS at
       ${FROM}
       WHERE ${where(filter, params)} AND r.stream = 'relational' AND r.role_snapshot = 'decision_maker' AND r.account_id IS NOT NULL
         AND r.settled_at <= $1 AND r.settled_at >= $1::timestamptz - make_interval(days => $2)
       GROUP BY 1`,
      params,
    );
  }

  /** Active accounts (not removed) with their ARR and current health quadrant. */
  async activeAccounts(): Promise<Array<{ account_id: string; arr: string | null; quadrant: string }>> {
    return this.db.query(
      `SELECT a.id AS account_id, a.arr::text AS arr, coalesce(h.quadrant, 'unknown') AS quadrant
       FROM accounts a LEFT JOIN account_health h ON h.account_id = a.id
       WHERE a.active AND a.deleted_at IS NULL ORDER BY a.id`,
    );
  }
}
