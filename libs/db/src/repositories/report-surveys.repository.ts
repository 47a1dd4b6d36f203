import { EntityManager } from 'typeorm';
import type { SurveyStream } from '../row-values';

/** Surveys a response-rate report counts: sent (or planned, for skips) in [from, until), of a trigger. */
export interface ReportSurveyFilter {
  from: Date | null;
  /** Exclusive end. */
  until: Date | null;
  trigger: string | null;
}

export interface SentCountRow {
  stream: SurveyStream;
  sent: number;
  answered: number;
}

export interface SkipCountRow {
  stream: SurveyStream;
  reason: string;
  count: number;
}

function where(column: string, filter: ReportSurveyFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.from) add((n) => `s.${column} >= ${n}`, filter.from);
  if (filter.until) add((n) => `s.${column} < ${n}`, filter.until);
  if (filter.trigger) add((n) => `s.trigger = ${n}`, filter.trigger);
  return conditions.length ? `AND ${conditions.join(' AND ')}` : '';
}

const startOfMonth = (at: Date, next: boolean) => {
  const month = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return next && month.getTime() !== at.getTime() ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)) : month;
};

/**
 * survey_rollups rows of `kind` for the whole UTC months of the range, and beside them (UNION ALL)
 * `rows(from, until)` for the days of a partial month at either end.
 */
function rollupsAndRows(kind: 'sent' | 'skip', filter: ReportSurveyFilter, params: unknown[], rows: (from: Date | null, until: Date | null) => string): string {
  const first = filter.from ? startOfMonth(filter.from, true) : null;
  const last = filter.until ? startOfMonth(filter.until, false) : null;
  if (first && last && first >= last) return rows(filter.from, filter.until);
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions = [`kind = '${kind}'`];
  if (first) conditions.push(`month >= ${bind(first)}`);
  if (last) conditions.push(`month < ${bind(last)}`);
  if (filter.trigger) conditions.push(`trigger = ${bind(filter.trigger)}`);
  const parts = [`SELECT stream, reason, surveys, answered FROM survey_rollups WHERE ${conditions.join(' AND ')}`];
  if (filter.from && first && filter.from < first) parts.push(rows(filter.from, first));
  if (filter.until && last && filter.until > last) parts.push(rows(last, filter.until));
  return parts.join(' UNION ALL ');
}

/** surveys read for the response-rate report (rules §9): whole months from survey_rollups (kept by triggers), partial months counted from the rows. */
export class ReportSurveysRepository {
  constructor(private readonly db: EntityManager) {}

  /** Surveys sent in the range per stream, and how many of them have a response (at any time). */
  async sentAndAnswered(filter: ReportSurveyFilter): Promise<SentCountRow[]> {
    const params: unknown[] = [];
    const rows = (from: Date | null, until: Date | null) =>
      `SELECT s.stream, '' AS reason, 1 AS surveys, (r.id IS NOT NULL)::int AS answered FROM surveys s LEFT JOIN responses r ON r.survey_id = s.id
       WHERE s.sent_at IS NOT NULL ${where('sent_at', { ...filter, from, until }, params)}`;
    return this.db.query(
      `SELECT c.stream, sum(c.surveys)::int AS sent, sum(c.answered)::int AS answered FROM (${rollupsAndRows('sent', filter, params, rows)}) c
       GROUP BY 1 HAVING sum(c.surveys) > 0 ORDER BY 1`,
      params,
    );
  }

  /** Surveys skipped or cancelled per stream and reason, by the time they were planned for. */
  async skipsByReason(filter: ReportSurveyFilter): Promise<SkipCountRow[]> {
    const params: unknown[] = [];
    const rows = (from: Date | null, until: Date | null) =>
      `SELECT s.stream, s.skip_reason AS reason, 1 AS surveys, 0 AS answered FROM surveys s
       WHERE s.status IN ('skipped', 'cancelled') AND s.skip_reason IS NOT NULL ${where('scheduled_at', { ...filter, from, until }, params)}`;
    return this.db.query(
      `SELECT c.stream, c.reason, sum(c.surveys)::int AS count FROM (${rollupsAndRows('skip', filter, params, rows)}) c
       GROUP BY 1, 2 HAVING sum(c.surveys) > 0 ORDER BY 1, 2`,
      params,
    );
  }
}
