import { addDays } from '@libs/nps/src';
import type { ReportResponseFilter } from '@libs/db/src/repositories/report-responses.repository';
import type { ReportSurveyFilter } from '@libs/db/src/repositories/report-surveys.repository';

/** What every report can be narrowed to, as the query string gives it (already validated). */
export interface ReportQuery {
  /** First day counted (YYYY-MM-DD, UTC). */
  from?: string;
  /** Last day counted (YYYY-MM-DD, UTC, inclusive). */
  to?: string;
  trigger?: string;
  tier?: string;
  arrBand?: string;
  tenureBand?: string;
  role?: string;
  quadrant?: string;
}

const startOfDay = (date: string) => new Date(`${date}T00:00:00.000Z`);

/** The responses a report counts: settled from the start of `from` to the end of `to` (UTC days). */
export function responseFilter(query: ReportQuery): ReportResponseFilter {
  return {
    from: query.from ? startOfDay(query.from) : null,
    until: query.to ? addDays(startOfDay(query.to), 1) : null,
    trigger: query.trigger ?? null,
    tier: query.tier ?? null,
    arrBand: query.arrBand ?? null,
    tenureBand: query.tenureBand ?? null,
    role: query.role ?? null,
    quadrant: query.quadrant ?? null,
  };
}

export function surveyFilter(query: ReportQuery): ReportSurveyFilter {
  const { from, until, trigger } = responseFilter(query);
  return { from, until, trigger };
}

/**
 * The moment a trailing-window report (rules §7, §9 coverage) is taken at: the last millisecond of
 * `to` when given (and not after now), else now.
 */
export function asOfMoment(query: ReportQuery, now: Date): Date {
  if (!query.to) return now;
  const end = new Date(addDays(startOfDay(query.to), 1).getTime() - 1);
  return end < now ? end : now;
}
