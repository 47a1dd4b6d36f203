/**
 * rules §1 Scores, categories, NPS, margin of error, significance.
 * Everything here is fixed by the contract (not configurable per program).
 */
import { assertSingleStream, MixedStreamError, type Category, type Stream } from './types';

const MIN_SCORE = 0;
const MAX_SCORE = 10;
/** Fixed: z for the 95 % interval and for the significance test. */
const Z_95 = 1.96;
/** Fixed: a result with fewer responses than this is marked low sample. */
export const LOW_SAMPLE_BELOW = 30;
/** Fixed (adjusted-Wald, Rocks 2016): responses added to n, and to each of P and D, for the interval. */
const ADJUSTED_WALD_ADDED_RESPONSES = 3;
const ADJUSTED_WALD_ADDED_PER_CATEGORY = 0.75;

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
  /** Exact value 100(P − D)/n (not rounded); null when n = 0. This is the NPS a report shows. */
  readonly nps: number | null;
  /** Adjusted NPS' = 100(p' − d'), the interval's centre (not a value to show as the NPS); null when n = 0. */
  readonly adjustedNps: number | null;
  /** Adjusted-Wald SE in NPS points; null when n = 0. */
  readonly standardError: number | null;
  /** 95 % adjusted-Wald interval NPS' ± 1.96·SE, clipped to [−100, 100]; null when n = 0. */
  readonly interval: NpsInterval | null;
  readonly lowSample: boolean;
}

/** The adjusted-Wald estimate of one set of (possibly effective, non-integer) counts. */
export interface AdjustedWald {
  /** NPS' = 100(p' − d'). */
  readonly adjustedNps: number;
  /** SE = 100·√((p' + d' − (p' − d')²) / n'). */
  readonly standardError: number;
  /** NPS' ± 1.96·SE, clipped to [−100, 100]. */
  readonly interval: NpsInterval;
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
 * rules §1 adjusted-Wald interval from promoters P, detractors D and n (n' = n + 3,
 * p' = (P + 0.75)/n', d' = (D + 0.75)/n'). P, D and n may be effective (non-integer) counts, as for
 * the ARR-weighted NPS (P = promoter share × Kish n). Null when n = 0.
 * The variance is taken from the identity variance·n'² = (a + b)·n' − (a − b)² with a = P + 0.75,
 * b = D + 0.75: for integer counts every term is a multiple of ¼, so it is exact in binary floating
 * point, and it is never negative (p' + d' < 1).
 */
export function adjustedWald(promoters: number, detractors: number, n: number): AdjustedWald | null {
  for (const [label, value] of [
    ['promoters', promoters],
    ['detractors', detractors],
    ['n', n],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`Invalid ${label} ${String(value)}: expected a finite number ≥ 0`);
  }
  if (promoters + detractors > n * (1 + 1e-12)) {
    throw new RangeError(`Invalid counts: promoters ${promoters} + detractors ${detractors} exceed n ${n}`);
  }
  if (n === 0) return null;
  const m = n + ADJUSTED_WALD_ADDED_RESPONSES;
  const a = promoters + ADJUSTED_WALD_ADDED_PER_CATEGORY;
  const b = detractors + ADJUSTED_WALD_ADDED_PER_CATEGORY;
  const adjustedNps = (100 * (a - b)) / m;
  const varianceTimesMSquared = Math.max(0, (a + b) * m - (a - b) * (a - b));
  const standardError = 100 * Math.sqrt(varianceTimesMSquared / (m * m * m));
  const margin = Z_95 * standardError;
  return {
    adjustedNps,
    standardError,
    interval: { low: Math.max(-100, adjustedNps - margin), high: Math.min(100, adjustedNps + margin) },
  };
}

/** Adjusted-Wald SE (rules §1) of a set of counts in NPS points; null when n = 0. */
export function npsStandardError(counts: CategoryCounts): number | null {
  if (npsFromCounts(counts) === null) return null; // validates the counts
  const n = counts.promoters + counts.passives + counts.detractors;
  return adjustedWald(counts.promoters, counts.detractors, n)?.standardError ?? null;
}

/** Summarises category counts of one stream into an NpsSummary (exact NPS, adjusted-Wald interval). */
export function summariseCounts(stream: Stream, counts: CategoryCounts): NpsSummary {
  assertSingleStream(stream, []);
  const nps = npsFromCounts(counts);
  const n = counts.promoters + counts.passives + counts.detractors;
  const wald = nps === null ? null : adjustedWald(counts.promoters, counts.detractors, n);
  return {
    stream,
    n,
    promoters: counts.promoters,
    passives: counts.passives,
    detractors: counts.detractors,
    nps,
    adjustedNps: wald?.adjustedNps ?? null,
    standardError: wald?.standardError ?? null,
    interval: wald?.interval ?? null,
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
export function summariseNps(stream: Stream, responses: readonly { readonly stream: Stream; readonly score: number }[]): NpsSummary {
  assertSingleStream(stream, responses);
  return summariseCounts(stream, countCategories(responses.map((r) => r.score)));
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
  const lhs = BigInt(100) * BigInt(b.promoters - b.detractors) * BigInt(a.n) - BigInt(100) * BigInt(a.promoters - a.detractors) * BigInt(b.n);
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
  /** NPS₂ − NPS₁ of the exact values (what a report shows as the change). */
  readonly change: number;
  /** NPS'₂ − NPS'₁ of the adjusted values: what the test judges. */
  readonly adjustedChange: number;
  /** 1.96 × √(SE₁² + SE₂²) with the adjusted-Wald errors. */
  readonly threshold: number;
  /** |NPS'₂ − NPS'₁| > threshold, decided exactly from the counts. */
  readonly significant: boolean;
}

/** 2·variance·n'² of one period's adjusted counts, an integer: (2P + 2D + 3)·n' − 2(P − D)². */
function twiceAdjustedVarianceTimesMSquared(s: NpsSummary): bigint {
  const m = BigInt(s.n + ADJUSTED_WALD_ADDED_RESPONSES);
  const diff = BigInt(s.promoters - s.detractors);
  return BigInt(2 * s.promoters + 2 * s.detractors + 3) * m - 2n * diff * diff;
}

/**
 * rules §1 significance between two periods of the same stream:
 * significant when |NPS'₂ − NPS'₁| > 1.96 × √(SE₁² + SE₂²) (adjusted values and errors).
 * Decided on integers so a boundary case cannot flip through floating error: with n'ᵢ = nᵢ + 3,
 * X = (P₂ − D₂)·n'₁ − (P₁ − D₁)·n'₂ and Vᵢ = variance·n'ᵢ², the test is
 * X²·n'₁·n'₂ > 1.96²·(V₁·n'₂³ + V₂·n'₁³). Null when either period has n = 0.
 * Throws MixedStreamError across streams.
 */
export function significanceOfChange(before: NpsSummary, after: NpsSummary): SignificanceResult | null {
  if (before.stream !== after.stream) throw new MixedStreamError(before.stream, after.stream);
  if (before.nps === null || after.nps === null) return null;
  if (before.adjustedNps === null || after.adjustedNps === null) return null;
  if (before.standardError === null || after.standardError === null) return null;
  const m1 = BigInt(before.n + ADJUSTED_WALD_ADDED_RESPONSES);
  const m2 = BigInt(after.n + ADJUSTED_WALD_ADDED_RESPONSES);
  const x = BigInt(after.promoters - after.detractors) * m1 - BigInt(before.promoters - before.detractors) * m2;
  const zHundredths = BigInt(Math.round(Z_95 * 100)); // 196: z² = 196² / 100²
  const lhs = 2n * 10_000n * x * x * m1 * m2;
  const rhs = zHundredths * zHundredths * (twiceAdjustedVarianceTimesMSquared(before) * m2 ** 3n + twiceAdjustedVarianceTimesMSquared(after) * m1 ** 3n);
  return {
    change: after.nps - before.nps,
    adjustedChange: after.adjustedNps - before.adjustedNps,
    threshold: Z_95 * Math.sqrt(before.standardError ** 2 + after.standardError ** 2),
    significant: lhs > rhs,
  };
}
