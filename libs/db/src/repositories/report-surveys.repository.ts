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

/** surveys read for the response-rate report (rules §9): counts grouped in Postgres. */
export class ReportSurveysRepository {
  constructor(private readonly db: EntityManager) {}

  /** Surveys sent in the range per stream, and how many of them have a response (at any time). */
  async sentAndAnswered(filter: ReportSurveyFilter): Promise<SentCountRow[]> {
    const params: unknown[] = [];
    return this.db.query(
      `SELECT s.stream, count(*)::int AS sent, count(r.id)::int AS answered
       FROM surveys s LEFT JOIN responses r ON r.survey_id = s.id
       WHERE s.sent_at IS NOT NULL ${where('sent_at', filter, params)}
       GROUP BY 1 ORDER BY 1`,
      params,
    );
  }

  /** Surveys skipped or cancelled per stream and reason, by the time they were planned for. */
  async skipsByReason(filter: ReportSurveyFilter): Promise<SkipCountRow[]> {
    const params: unknown[] = [];
    return this.db.query(
      `SELECT s.stream, s.skip_reason AS reason, count(*)::int AS count
       FROM surveys s
       WHERE s.status IN ('skipped', 'cancelled') AND s.skip_reason IS NOT NULL ${where('scheduled_at', filter, params)}
       GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
  }
}
