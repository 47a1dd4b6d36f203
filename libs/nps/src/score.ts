/**
 * rules §1 Scores, categories, NPS, margin of error, significance.
 * Everything here is fixed by the contract (not configurable per program).
 */
import { assertSingleStream, MixedStreamError, type Category, type Stream } from './types';

export const MIN_SCORE = 0;
export const MAX_SCORE = 10;
/** Fixed: z for the 95 % interval and for the significance test. */
export const Z_95 = 1.96;
/** Fixed: a result with fewer responses than this is marked low sample. */
export const LOW_SAMPLE_BELOW = 30;
/** Fixed: the interval needs at least this many responses. */
export const MIN_N_FOR_INTERVAL = 2;

/** Thrown for anything that is not an integer score 0–10. The message names the value. */
export class InvalidScoreError extends Error {
  constructor(readonly value: unknown) {
    super(`Invalid NPS score ${describe(value)}: a score must be an integer from 0 to 10`);
    this.name = 'InvalidScoreError';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

/** True for an integer 0–10 of type number. */
export function isValidScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= MIN_SCORE && value <= MAX_SCORE;
}

/** Throws InvalidScoreError unless `value` is an integer 0–10. */
export function assertScore(value: unknown): asserts value is number {
  if (!isValidScore(value)) throw new InvalidScoreError(value);
}

/** Category of a score: promoter 9–10, passive 7–8, detractor 0–6. */
export function scoreCategory(score: number): Category {
  assertScore(score);
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

export interface CategoryCounts {
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
}

export interface NpsInterval {
  readonly low: number;
  readonly high: number;
}

/** The NPS of one stream's set of responses, with everything a report must show. */
export interface NpsSummary extends CategoryCounts {
  readonly stream: Stream;
  readonly n: number;
  /** Exact value (not rounded); null when n = 0. */
  readonly nps: number | null;
  /** SE in NPS points; null when n < 2. */
  readonly standardError: number | null;
  /** 95 % interval NPS ± 1.96·SE, not clamped to ±100; null when n < 2. */
  readonly interval: NpsInterval | null;
  readonly lowSample: boolean;
}

function assertCount(label: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Invalid ${label} count ${String(value)}: expected a non-negative integer`);
  }
}

/** NPS = 100 × (P − D) / n, or null when n = 0. */
export function npsFromCounts(counts: CategoryCounts): number | null {
  assertCount('promoters', counts.promoters);
  assertCount('passives', counts.passives);
  assertCount('detractors', counts.detractors);
  const n = counts.promoters + counts.passives + counts.detractors;
  if (n === 0) return null;
  return (100 * (counts.promoters - counts.detractors)) / n;
}

/**
 * SE = 100 × √(variance / n) with variance = p + d − (p − d)². Computed from the integer
 * identity variance·n² = (P + D)·n − (P − D)² so it is never negative through rounding.
 * Null when n < 2.
 */
export function npsStandardError(counts: CategoryCounts): number | null {
  const n = counts.promoters + counts.passives + counts.detractors;
  if (npsFromCounts(counts) === null || n < MIN_N_FOR_INTERVAL) return null;
  const p = counts.promoters;
  const d = counts.detractors;
  const varianceTimesNSquared = (p + d) * n - (p - d) * (p - d);
  return 100 * Math.sqrt(varianceTimesNSquared / (n * n * n));
}

/** Summarises category counts of one stream into an NpsSummary. */
export function summariseCounts(stream: Stream, counts: CategoryCounts): NpsSummary {
  assertSingleStream(stream, []);
  const nps = npsFromCounts(counts);
  const n = counts.promoters + counts.passives + counts.detractors;
  const standardError = npsStandardError(counts);
  const interval =
    nps === null || standardError === null
      ? null
      : { low: nps - Z_95 * standardError, high: nps + Z_95 * standardError };
  return {
    stream,
    n,
    promoters: counts.promoters,
    passives: counts.passives,
    detractors: counts.detractors,
    nps,
    standardError,
    interval,
    lowSample: n < LOW_SAMPLE_BELOW,
  };
}

/** Counts categories of valid scores (throws InvalidScoreError on the first invalid one). */
export function countCategories(scores: Iterable<number>): CategoryCounts {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const score of scores) {
    const category = scoreCategory(score);
    if (category === 'promoter') promoters++;
    else if (category === 'passive') passives++;
    else detractors++;
  }
  return { promoters, passives, detractors };
}

/**
 * NPS summary of responses of ONE stream. Throws MixedStreamError if any response belongs to
 * another stream, InvalidScoreError on an invalid score.
 */
export function summariseNps(
  stream: Stream,
  responses: readonly { readonly stream: Stream; readonly score: number }[],
): NpsSummary {
  assertSingleStream(stream, responses);
  return summariseCounts(
    stream,
    countCategories(responses.map((r) => r.score)),
  );
}

/** Display rounding: half away from zero (12.5 → 13, −12.5 → −13). Null stays null. */
export function roundNpsForDisplay(value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isFinite(value)) throw new RangeError(`Cannot round non-finite NPS ${String(value)}`);
  const rounded = Math.sign(value) * Math.round(Math.abs(value));
  return rounded === 0 ? 0 : rounded; // never -0
}

/**
 * Rounds the exact fraction numerator / denominator once, half away from zero, to an integer
 * (|x| + ½ floored, computed on integers: floor((2|num| + den) / 2den)). Never −0.
 */
export function roundFractionHalfAwayFromZero(numerator: bigint, denominator: bigint): number {
  if (denominator === 0n) throw new RangeError('Cannot round a fraction with denominator 0');
  const negative = numerator < 0n !== denominator < 0n;
  const num = numerator < 0n ? -numerator : numerator;
  const den = denominator < 0n ? -denominator : denominator;
  const magnitude = (2n * num + den) / (2n * den);
  return magnitude === 0n ? 0 : Number(negative ? -magnitude : magnitude);
}

/** 100·(P − D) and n as integers: the exact NPS fraction of a set of counts. */
function npsFraction(counts: CategoryCounts): { numerator: bigint; n: bigint } | null {
  if (npsFromCounts(counts) === null) return null; // validates the counts
  const n = counts.promoters + counts.passives + counts.detractors;
  return { numerator: 100n * BigInt(counts.promoters - counts.detractors), n: BigInt(n) };
}

/**
 * The NPS for display (a CRM field, a page): 100·(P − D)/n from the counts, rounded once half
 * away from zero (−12.5 → −13); null when n = 0.
 */
export function displayNps(counts: CategoryCounts): number | null {
  const f = npsFraction(counts);
  return f === null ? null : roundFractionHalfAwayFromZero(f.numerator, f.n);
}

/**
 * |NPS_a − NPS_b| for display: one exact fraction from both sets of counts,
 * |100(Pa − Da)·nb − 100(Pb − Db)·na| / (na·nb), rounded once half away from zero (37.5 → 38);
 * null unless both NPS values exist.
 */
export function displayNpsGap(a: CategoryCounts, b: CategoryCounts): number | null {
  const fa = npsFraction(a);
  const fb = npsFraction(b);
  if (fa === null || fb === null) return null;
  const difference = fa.numerator * fb.n - fb.numerator * fa.n;
  return roundFractionHalfAwayFromZero(difference < 0n ? -difference : difference, fa.n * fb.n);
}

/**
 * The exact |NPS_a − NPS_b| as a number, divided once from the integer fraction (no difference of
 * two floating values); null unless both NPS values exist.
 */
export function npsGap(a: CategoryCounts, b: CategoryCounts): number | null {
  const fa = npsFraction(a);
  const fb = npsFraction(b);
  if (fa === null || fb === null) return null;
  const difference = fa.numerator * fb.n - fb.numerator * fa.n;
  return Number(difference < 0n ? -difference : difference) / Number(fa.n * fb.n);
}

/**
 * Exact comparison of (b.nps − a.nps) with `points`, using integer arithmetic on the counts:
 * returns the sign of (NPS_b − NPS_a − points). Both NPS values must exist.
 */
export function compareNpsChange(a: NpsSummary, b: NpsSummary, points: number): -1 | 0 | 1 {
  if (a.nps === null || b.nps === null) throw new RangeError('Cannot compare an undefined NPS (n = 0)');
  // NPS_b − NPS_a − points = [100(Pb−Db)·na − 100(Pa−Da)·nb − points·na·nb] / (na·nb)
  const lhs =
    BigInt(100) * BigInt(b.promoters - b.detractors) * BigInt(a.n) -
    BigInt(100) * BigInt(a.promoters - a.detractors) * BigInt(b.n);
  const scaledPoints = Math.round(points * 1_000_000);
  const diff = lhs * 1_000_000n - BigInt(scaledPoints) * BigInt(a.n) * BigInt(b.n);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** Exact |NPS_a − NPS_b| compared with `points`: sign of (|gap| − points). */
export function compareNpsGap(a: NpsSummary, b: NpsSummary, points: number): -1 | 0 | 1 {
  const up = compareNpsChange(a, b, points); // sign of (b − a − points)
  const down = compareNpsChange(b, a, points); // sign of (a − b − points)
  return up > 0 || down > 0 ? 1 : up === 0 || down === 0 ? 0 : -1;
}

export interface SignificanceResult {
  /** NPS₂ − NPS₁ (exact values). */
  readonly change: number;
  /** 1.96 × √(SE₁² + SE₂²). */
  readonly threshold: number;
  readonly significant: boolean;
}

/**
 * rules §1 significance between two periods of the same stream:
 * significant when |NPS₂ − NPS₁| > 1.96 × √(SE₁² + SE₂²).
 * Null when either period has n < 2 (its SE is undefined). Throws MixedStreamError across streams.
 */
export function significanceOfChange(before: NpsSummary, after: NpsSummary): SignificanceResult | null {
  if (before.stream !== after.stream) throw new MixedStreamError(before.stream, after.stream);
  if (before.nps === null || after.nps === null) return null;
  if (before.standardError === null || after.standardError === null) return null;
  const change = after.nps - before.nps;
  const threshold = Z_95 * Math.sqrt(before.standardError ** 2 + after.standardError ** 2);
  return { change, threshold, significant: Math.abs(change) > threshold };
}
