/**
 * rules §9 "Beyond the score": the weighted NPS with its Kish effective sample size, and the
 * ARR-weighted NPS (each respondent weighs their account's ARR / the account's responses in the
 * period). The interval is rules §1's adjusted-Wald one with the weighted shares and n = Kish n
 * (rules §11).
 */
import { toCents } from './money';
import { adjustedWald, LOW_SAMPLE_BELOW, scoreCategory, type NpsInterval } from './score';
import { assertSingleStream, CATEGORIES, type Category, type MoneyAmount, type Stream } from './types';

export interface WeightedRespondent {
  readonly stream: Stream;
  readonly category: Category;
  /** A finite weight ≥ 0. */
  readonly weight: number;
}

export interface WeightedNps {
  readonly stream: Stream;
  /** Every respondent handed in, weight 0 included. */
  readonly respondents: number;
  /** Respondents with a weight above 0 (the others do not move the result). */
  readonly weightedRespondents: number;
  /** Σw (for the ARR weighting: the ARR of the accounts that responded, in currency units). */
  readonly totalWeight: number;
  /** Σw of each category / Σw; null when Σw = 0. */
  readonly promoterShare: number | null;
  readonly passiveShare: number | null;
  readonly detractorShare: number | null;
  /** 100 × (promoter share − detractor share), exact as far as the weights are; null when Σw = 0. */
  readonly nps: number | null;
  /** Kish effective sample size (Σw)² / Σw²: the n to show; null when Σw = 0. */
  readonly kishN: number | null;
  /** Adjusted-Wald values with P = promoter share × Kish n, D = detractor share × Kish n, n = Kish n. */
  readonly adjustedNps: number | null;
  readonly standardError: number | null;
  readonly interval: NpsInterval | null;
  /** Kish n < 30 (or undefined). */
  readonly lowSample: boolean;
}

function assertWeight(weight: number): void {
  if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`Invalid weight ${String(weight)}: expected a finite number ≥ 0`);
}

function undefinedResult(stream: Stream, respondents: number): WeightedNps {
  return {
    stream,
    respondents,
    weightedRespondents: 0,
    totalWeight: 0,
    promoterShare: null,
    passiveShare: null,
    detractorShare: null,
    nps: null,
    kishN: null,
    adjustedNps: null,
    standardError: null,
    interval: null,
    lowSample: true,
  };
}

function withInterval(base: Omit<WeightedNps, 'adjustedNps' | 'standardError' | 'interval' | 'lowSample'>, lowSample: boolean): WeightedNps {
  const kish = base.kishN as number;
  const wald = adjustedWald(Math.min(kish, (base.promoterShare as number) * kish), Math.min(kish, (base.detractorShare as number) * kish), kish);
  return {
    ...base,
    adjustedNps: wald?.adjustedNps ?? null,
    standardError: wald?.standardError ?? null,
    interval: wald?.interval ?? null,
    lowSample,
  };
}

/**
 * Weighted NPS of one stream's respondents. Undefined (every value null) when no respondent has a
 * weight above 0. Throws MixedStreamError for a respondent of another stream, RangeError for a
 * negative or non-finite weight.
 */
export function weightedNps(stream: Stream, respondents: readonly WeightedRespondent[]): WeightedNps {
  assertSingleStream(stream, respondents);
  const sums: Record<Category, number> = { promoter: 0, passive: 0, detractor: 0 };
  let total = 0;
  let squares = 0;
  let weighted = 0;
  for (const r of respondents) {
    assertWeight(r.weight);
    if (!CATEGORIES.includes(r.category)) throw new RangeError(`Invalid category ${JSON.stringify(r.category)}`);
    if (r.weight === 0) continue;
    weighted++;
    sums[r.category] += r.weight;
    total += r.weight;
    squares += r.weight * r.weight;
  }
  if (total === 0) return undefinedResult(stream, respondents.length);
  const kishN = (total * total) / squares;
  return withInterval(
    {
      stream,
      respondents: respondents.length,
      weightedRespondents: weighted,
      totalWeight: total,
      promoterShare: sums.promoter / total,
      passiveShare: sums.passive / total,
      detractorShare: sums.detractor / total,
      nps: (100 * (sums.promoter - sums.detractor)) / total,
      kishN,
    },
    kishN < LOW_SAMPLE_BELOW,
  );
}

/** One response of the period, for the ARR weighting. */
export interface ArrWeightedResponse {
  readonly stream: Stream;
  readonly score: number;
  /** The account the response counts for; null when it has none (weight 0). */
  readonly accountId: string | null;
}

/** The accounts' ARR by account id; an account missing, or with a null ARR, weighs 0. */
export type ArrByAccount = ReadonlyMap<string, MoneyAmount | null>;

function arrCentsOf(arrByAccount: ArrByAccount, accountId: string | null): bigint {
  if (accountId === null) return 0n;
  const arr = arrByAccount.get(accountId);
  if (arr === undefined || arr === null) return 0n;
  const cents = toCents(arr);
  if (cents < 0n) throw new RangeError(`Invalid ARR ${String(arr)} of account ${accountId}: ARR cannot be negative`);
  return cents;
}

function responsesPerAccount(responses: readonly ArrWeightedResponse[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of responses) if (r.accountId !== null) counts.set(r.accountId, (counts.get(r.accountId) ?? 0) + 1);
  return counts;
}

/**
 * Each response's weight: its account's ARR / the account's responses among `responses` (pass
 * exactly one period's responses of one stream), in currency units. Money stays in integer cents
 * until this one division.
 */
export function arrWeights<R extends ArrWeightedResponse>(stream: Stream, responses: readonly R[], arrByAccount: ArrByAccount): (R & { readonly weight: number })[] {
  assertSingleStream(stream, responses);
  const perAccount = responsesPerAccount(responses);
  return responses.map((r) => {
    const cents = arrCentsOf(arrByAccount, r.accountId);
    const weight = cents === 0n ? 0 : Number(cents) / (100 * (perAccount.get(r.accountId as string) as number));
    return { ...r, weight };
  });
}

/** A non-negative fraction of integers. */
interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

function add(x: Fraction, num: bigint, den: bigint): Fraction {
  const n = x.num * den + num * x.den;
  const d = x.den * den;
  const g = gcd(n, d) || 1n;
  return { num: n / g, den: d / g };
}

const SCALE_BITS = 96n;

/** num/den as a number from one division (exact integers until here; values here are ≤ 10⁹ or so). */
function toNumber(num: bigint, den: bigint): number {
  return Number((num << SCALE_BITS) / den) / 2 ** Number(SCALE_BITS);
}

/**
 * Accounts with the same number of responses r, summed: what the ARR-weighted NPS needs of them
 * (each account's weight per response is Cₐ / r, so one r's accounts add up before dividing).
 * Cents and their products are exact integers.
 */
export interface ArrWeightGroup {
  /** Responses per account in this group (≥ 1). */
  readonly responses: number;
  /** Accounts in the group with ARR > 0. */
  readonly accounts: number;
  /** ΣCₐ. */
  readonly cents: bigint;
  /** ΣCₐ·Pₐ, ΣCₐ·(passives)ₐ, ΣCₐ·Dₐ. */
  readonly promoterCents: bigint;
  readonly passiveCents: bigint;
  readonly detractorCents: bigint;
  /** ΣCₐ². */
  readonly squareCents: bigint;
}

/**
 * ARR-weighted NPS of one stream's responses in one period (rules §9). Computed from integer cents
 * and counts: per account a with ARR Cₐ, rₐ responses, Pₐ promoters and Dₐ detractors,
 * Σw = ΣCₐ, Σw·[promoter] = ΣCₐ·Pₐ/rₐ and Σw² = ΣCₐ²/rₐ are exact fractions, divided once at the
 * end; the low-sample mark compares the Kish n with 30 exactly. Responses without an account or
 * ARR weigh 0; every weight 0 → undefined.
 */
export function arrWeightedNps(stream: Stream, responses: readonly ArrWeightedResponse[], arrByAccount: ArrByAccount): WeightedNps {
  assertSingleStream(stream, responses);
  const perAccount = new Map<string, { cents: bigint; responses: number } & Record<Category, number>>();
  for (const r of responses) {
    const category = scoreCategory(r.score);
    const cents = arrCentsOf(arrByAccount, r.accountId);
    if (cents === 0n) continue;
    const id = r.accountId as string;
    const entry = perAccount.get(id) ?? { cents, responses: 0, promoter: 0, passive: 0, detractor: 0 };
    entry.responses++;
    entry[category]++;
    perAccount.set(id, entry);
  }
  const groups = new Map<number, { -readonly [K in keyof ArrWeightGroup]: ArrWeightGroup[K] }>();
  for (const a of perAccount.values()) {
    const g = groups.get(a.responses) ?? { responses: a.responses, accounts: 0, cents: 0n, promoterCents: 0n, passiveCents: 0n, detractorCents: 0n, squareCents: 0n };
    g.accounts++;
    g.cents += a.cents;
    g.promoterCents += a.cents * BigInt(a.promoter);
    g.passiveCents += a.cents * BigInt(a.passive);
    g.detractorCents += a.cents * BigInt(a.detractor);
    g.squareCents += a.cents * a.cents;
    groups.set(a.responses, g);
  }
  return arrWeightedNpsOfGroups(stream, [...groups.values()], responses.length);
}

/** The same, from accounts already summed per response count (what Postgres hands over for a million responses); `respondents` counts every response of the period. */
export function arrWeightedNpsOfGroups(stream: Stream, groups: readonly ArrWeightGroup[], respondents: number): WeightedNps {
  const weighted = groups.filter((g) => g.accounts > 0 && g.cents > 0n);
  if (weighted.length === 0) return undefinedResult(stream, respondents);
  let total = 0n;
  let weightedRespondents = 0;
  let promoters: Fraction = { num: 0n, den: 1n };
  let passives: Fraction = { num: 0n, den: 1n };
  let detractors: Fraction = { num: 0n, den: 1n };
  let squares: Fraction = { num: 0n, den: 1n };
  for (const g of weighted) {
    if (!Number.isInteger(g.responses) || g.responses < 1) throw new RangeError(`Invalid responses per account ${g.responses}`);
    const r = BigInt(g.responses);
    total += g.cents;
    weightedRespondents += g.accounts * g.responses;
    promoters = add(promoters, g.promoterCents, r);
    passives = add(passives, g.passiveCents, r);
    detractors = add(detractors, g.detractorCents, r);
    squares = add(squares, g.squareCents, r);
  }
  // share = fraction / total; Kish n = total² / squares = total²·squares.den / squares.num
  const share = (f: Fraction) => toNumber(f.num, f.den * total);
  const kishNum = total * total * squares.den;
  return withInterval(
    {
      stream,
      respondents,
      weightedRespondents,
      totalWeight: toNumber(total, 100n),
      promoterShare: share(promoters),
      passiveShare: share(passives),
      detractorShare: share(detractors),
      nps: toNumber(100n * (promoters.num * detractors.den - detractors.num * promoters.den), promoters.den * detractors.den * total),
      kishN: toNumber(kishNum, squares.num),
    },
    kishNum < BigInt(LOW_SAMPLE_BELOW) * squares.num,
  );
}
