/**
 * rules §9 reports over time, always per stream: NPS by month and by quarter (each period with its
 * interval, low-sample mark and the significance of the change from the period before), and the
 * response rate with skips by reason.
 */
import { assertValidInstant, nextQuarter, parseQuarter, quarterOf } from './calendar';
import { significanceOfChange, summariseNps, type NpsSummary, type SignificanceResult } from './score';
import { assertSingleStream, type QuarterKey, type Stream } from './types';

export type TrendGranularity = 'month' | 'quarter';

/** A calendar month key (UTC), e.g. `2025-01`. */
type MonthKey = `${number}-${string}`;
/** `YYYY-MM` for months, `YYYY-Qn` for quarters. */
export type PeriodKey = MonthKey | QuarterKey;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The UTC period of an instant: `2025-03` or `2025-Q1`. */
export function periodOf(instant: Date, granularity: TrendGranularity): PeriodKey {
  assertValidInstant(instant, 'instant');
  if (granularity === 'quarter') return quarterOf(instant);
  return `${instant.getUTCFullYear()}-${String(instant.getUTCMonth() + 1).padStart(2, '0')}` as MonthKey;
}

/** The period right after `key`: 2025-12 → 2026-01, 2025-Q4 → 2026-Q1. */
export function nextPeriod(key: PeriodKey, granularity: TrendGranularity): PeriodKey {
  if (granularity === 'quarter') return nextQuarter(key as QuarterKey);
  const match = MONTH.exec(key);
  if (!match) throw new Error(`Invalid month key ${JSON.stringify(key)}: expected "YYYY-MM"`);
  const [year, month] = [Number(match[1]), Number(match[2])];
  return (month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`) as MonthKey;
}

function assertPeriodKey(key: string, granularity: TrendGranularity): void {
  if (granularity === 'quarter') parseQuarter(key as QuarterKey);
  else if (!MONTH.exec(key)) throw new Error(`Invalid month key ${JSON.stringify(key)}: expected "YYYY-MM"`);
}

export interface TrendResponse {
  readonly stream: Stream;
  readonly score: number;
  readonly respondedAt: Date;
}

export interface TrendPeriod {
  readonly period: PeriodKey;
  /** Exact NPS, n, counts, adjusted-Wald interval and low-sample mark of the period. */
  readonly summary: NpsSummary;
  /** Against the period right before (rules §1); null for the first period or when either n = 0. */
  readonly changeFromPrevious: SignificanceResult | null;
}

/**
 * NPS per month or quarter of one stream's responses (every response in the period counts). The
 * periods run from `range.first` (else the earliest response's) to `range.last` (else the latest
 * response's), with no gaps: a period without responses has n = 0 and breaks the change chain.
 * Responses outside the range are left out. Throws MixedStreamError for another stream.
 */
export function npsTrend(
  stream: Stream,
  responses: readonly TrendResponse[],
  granularity: TrendGranularity,
  range: { readonly first: PeriodKey; readonly last: PeriodKey } | null = null,
): TrendPeriod[] {
  assertSingleStream(stream, responses);
  const byPeriod = new Map<PeriodKey, TrendResponse[]>();
  for (const r of responses) {
    const key = periodOf(r.respondedAt, granularity);
    const own = byPeriod.get(key);
    if (own) own.push(r);
    else byPeriod.set(key, [r]);
  }
  const keys = [...byPeriod.keys()].sort();
  if (range) {
    assertPeriodKey(range.first, granularity);
    assertPeriodKey(range.last, granularity);
    if (range.first > range.last) throw new RangeError(`Invalid range: ${range.first} is after ${range.last}`);
  }
  const first = range?.first ?? keys[0];
  const last = range?.last ?? keys[keys.length - 1];
  if (first === undefined || last === undefined) return [];
  const periods: TrendPeriod[] = [];
  let previous: NpsSummary | null = null;
  for (let key = first; key <= last; key = nextPeriod(key, granularity)) {
    const summary = summariseNps(stream, byPeriod.get(key) ?? []);
    periods.push({ period: key, summary, changeFromPrevious: previous ? significanceOfChange(previous, summary) : null });
    previous = summary;
  }
  return periods;
}

/** A survey that went out. */
export interface SentSurvey {
  readonly stream: Stream;
  readonly sentAt: Date;
  /** It has a response (at any time: the rate follows the survey's send period). */
  readonly answered: boolean;
}

/** A survey that was not sent, with its recorded reason and when that was decided. */
export interface SkippedSurvey {
  readonly stream: Stream;
  readonly reason: string;
  readonly decidedAt: Date;
}

export interface ResponseRate {
  readonly stream: Stream;
  readonly from: Date;
  readonly to: Date;
  /** Surveys sent in [from, to). */
  readonly sent: number;
  /** Of those, the ones answered. Imported responses have no survey and never count. */
  readonly responses: number;
  /** responses / sent, 0–1; null when nothing was sent. */
  readonly rate: number | null;
  /** Skips decided in [from, to), by reason, shown beside the rate. */
  readonly skipsByReason: Readonly<Record<string, number>>;
}

/**
 * Response rate of one stream over the period [from, to): responses to surveys sent in the period
 * / surveys sent in the period. Throws MixedStreamError for another stream.
 */
export function responseRate(
  stream: Stream,
  input: { readonly sent: readonly SentSurvey[]; readonly skipped?: readonly SkippedSurvey[] },
  period: { readonly from: Date; readonly to: Date },
): ResponseRate {
  assertValidInstant(period.from, 'from');
  assertValidInstant(period.to, 'to');
  if (period.from.getTime() > period.to.getTime()) throw new RangeError('Invalid period: from is after to');
  const skipped = input.skipped ?? [];
  assertSingleStream(stream, input.sent);
  assertSingleStream(stream, skipped);
  const inside = (at: Date, label: string) => {
    assertValidInstant(at, label);
    return at.getTime() >= period.from.getTime() && at.getTime() < period.to.getTime();
  };
  const sent = input.sent.filter((s) => inside(s.sentAt, 'sentAt'));
  const responses = sent.filter((s) => s.answered).length;
  const skips = new Map<string, number>();
  for (const s of skipped) if (inside(s.decidedAt, 'decidedAt')) skips.set(s.reason, (skips.get(s.reason) ?? 0) + 1);
  const skipsByReason = Object.fromEntries([...skips].sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    stream,
    from: period.from,
    to: period.to,
    sent: sent.length,
    responses,
    rate: sent.length === 0 ? null : responses / sent.length,
    skipsByReason,
  };
}
