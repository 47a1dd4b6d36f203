/**
 * rules §9 "Beyond the score", per account: the account NPS distribution, revenue coverage and
 * NPS × ARR. Money stays in integer cents; every aggregate takes one stream.
 */
import { addDays, assertValidInstant } from './calendar';
import { accountNps, accountSentiment, type AccountSentiment, type HealthResponse } from './health';
import { toCents } from './money';
import { countCategories, summariseCounts, type CategoryCounts, type NpsSummary } from './score';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import { ARR_BANDS, assertSingleStream, HEALTH_QUADRANTS, type ArrBand, type HealthQuadrant, type MoneyAmount, type Role, type Stream } from './types';

/** A relational response with the account it counts for. */
export interface AccountResponse extends HealthResponse {
  readonly accountId: string;
}

interface AccountDistributionEntry {
  readonly accountId: string;
  /** rules §7 sentiment: the class each account counts as in the distribution. */
  readonly sentiment: AccountSentiment;
  /** rules §7 account NPS (each person's latest response), listed beside the distribution. */
  readonly accountNps: NpsSummary;
}

export interface AccountNpsDistribution {
  readonly stream: 'relational';
  /** NPS over accounts: promoters / passives / detractors are accounts; n = accounts. */
  readonly summary: NpsSummary;
  /** Every account with a response in the trailing window, by account id. */
  readonly accounts: readonly AccountDistributionEntry[];
}

/**
 * Account NPS distribution (relational only): each account with a response in the trailing
 * 365 days is classed by its rules §7 sentiment, and the NPS over accounts carries the rules §1
 * interval, so a large account with many respondents counts once. Throws MixedStreamError for
 * other streams.
 */
export function accountNpsDistribution(responses: readonly AccountResponse[], now: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): AccountNpsDistribution {
  assertValidInstant(now, 'now');
  assertSingleStream('relational', responses);
  const byAccount = new Map<string, AccountResponse[]>();
  for (const r of responses) {
    const own = byAccount.get(r.accountId);
    if (own) own.push(r);
    else byAccount.set(r.accountId, [r]);
  }
  const accounts: AccountDistributionEntry[] = [];
  for (const accountId of [...byAccount.keys()].sort()) {
    const own = byAccount.get(accountId) as AccountResponse[];
    const sentiment = accountSentiment(own, now, settings);
    if (sentiment === null) continue; // no response in the window
    accounts.push({ accountId, sentiment, accountNps: accountNps(own, now, settings).overall });
  }
  const counts = { promoters: 0, passives: 0, detractors: 0 };
  for (const a of accounts) {
    if (a.sentiment.category === 'promoter') counts.promoters++;
    else if (a.sentiment.category === 'passive') counts.passives++;
    else counts.detractors++;
  }
  return { stream: 'relational', summary: summariseCounts('relational', counts), accounts };
}

/** Fixed defaults of rules §9 revenue coverage (passed as options until they become program settings). */
const REVENUE_COVERAGE_WINDOW_DAYS = 90;
const REVENUE_COVERAGE_TARGET_PERCENT = 80;

/** An active account and its ARR (null ARR counts as 0). */
export interface ActiveAccount {
  readonly accountId: string;
  readonly arr: MoneyAmount | null;
}

/** A response as coverage needs it: who answered (role stored with the response), for whom, when. */
export interface CoverageResponse {
  readonly stream: Stream;
  readonly accountId: string | null;
  readonly role: Role | null;
  readonly respondedAt: Date;
}

export interface RevenueCoverage {
  readonly stream: 'relational';
  readonly windowDays: number;
  readonly targetPercent: number;
  readonly activeArrCents: bigint;
  readonly coveredArrCents: bigint;
  /** covered / active ARR, 0–1; null when the active ARR is 0. */
  readonly share: number | null;
  /** covered·100 < target·active, exact; false when the share is undefined. */
  readonly belowTarget: boolean;
  readonly coveredAccountIds: readonly string[];
  readonly uncoveredAccountIds: readonly string[];
}

/**
 * Revenue coverage (relational): the share of active ARR whose account had a decision maker
 * respond within [now − 90 d, now] (a response exactly 90 days old is inside), judged by the role
 * stored with the response. Throws MixedStreamError for other streams, RangeError for a negative
 * ARR or an account listed twice.
 */
export function revenueCoverage(
  input: { readonly activeAccounts: readonly ActiveAccount[]; readonly responses: readonly CoverageResponse[]; readonly now: Date },
  options: { readonly windowDays?: number; readonly targetPercent?: number } = {},
): RevenueCoverage {
  const { now } = input;
  assertValidInstant(now, 'now');
  assertSingleStream('relational', input.responses);
  const from = addDays(now, -(options.windowDays ?? REVENUE_COVERAGE_WINDOW_DAYS)).getTime();
  const heard = new Set<string>();
  for (const r of input.responses) {
    assertValidInstant(r.respondedAt, 'respondedAt');
    const t = r.respondedAt.getTime();
    if (r.role === 'decision_maker' && r.accountId !== null && t >= from && t <= now.getTime()) heard.add(r.accountId);
  }
  let active = 0n;
  let covered = 0n;
  const seen = new Set<string>();
  const coveredAccountIds: string[] = [];
  const uncoveredAccountIds: string[] = [];
  for (const account of input.activeAccounts) {
    if (seen.has(account.accountId)) throw new RangeError(`Account ${account.accountId} is listed twice`);
    seen.add(account.accountId);
    const cents = account.arr === null ? 0n : toCents(account.arr);
    if (cents < 0n) throw new RangeError(`Invalid ARR ${String(account.arr)} of account ${account.accountId}: ARR cannot be negative`);
    active += cents;
    if (heard.has(account.accountId)) {
      covered += cents;
      coveredAccountIds.push(account.accountId);
    } else uncoveredAccountIds.push(account.accountId);
  }
  return { ...revenueCoverageOfSums(active, covered, options), coveredAccountIds: coveredAccountIds.sort(), uncoveredAccountIds: uncoveredAccountIds.sort() };
}

/** The same from the two sums (active and covered ARR in cents), without the account lists. */
export function revenueCoverageOfSums(
  active: bigint,
  covered: bigint,
  options: { readonly windowDays?: number; readonly targetPercent?: number } = {},
): Omit<RevenueCoverage, 'coveredAccountIds' | 'uncoveredAccountIds'> {
  const windowDays = options.windowDays ?? REVENUE_COVERAGE_WINDOW_DAYS;
  const targetPercent = options.targetPercent ?? REVENUE_COVERAGE_TARGET_PERCENT;
  if (active < 0n || covered < 0n || covered > active) throw new RangeError(`Invalid ARR sums: covered ${covered} of active ${active} cents`);
  const targetThousandths = BigInt(Math.round(targetPercent * 1000));
  return {
    stream: 'relational',
    windowDays,
    targetPercent,
    activeArrCents: active,
    coveredArrCents: covered,
    share: active === 0n ? null : Number((covered * 1_000_000_000n) / active) / 1e9,
    belowTarget: active > 0n && covered * 100_000n < targetThousandths * active,
  };
}

/** A response with the ARR band stored with it (rules §3 snapshot) and its account. */
export interface ArrBandResponse {
  readonly stream: Stream;
  readonly score: number;
  readonly arrBand: ArrBand | null;
  readonly accountId: string | null;
}

/** An account's current health quadrant and ARR. */
export interface QuadrantAccount {
  readonly accountId: string;
  readonly quadrant: HealthQuadrant;
  readonly arr: MoneyAmount | null;
}

export interface NpsByArr {
  readonly stream: Stream;
  /** Every ARR band in order (counts per category in each summary), then `null` for responses without a band, if any. */
  readonly byBand: readonly { readonly arrBand: ArrBand | null; readonly summary: NpsSummary }[];
  /** Every quadrant in order: its accounts, their ARR, and the NPS of their responses. */
  readonly byQuadrant: readonly {
    readonly quadrant: HealthQuadrant;
    readonly accounts: number;
    readonly arrCents: bigint;
    readonly summary: NpsSummary;
  }[];
}

/**
 * NPS × ARR of one stream: counts and NPS per ARR band (from the response's snapshot) × category,
 * and per health quadrant with the ARR of the accounts in it. A response whose account is not
 * listed counts in its band only.
 */
export function npsByArr(stream: Stream, responses: readonly ArrBandResponse[], accounts: readonly QuadrantAccount[]): NpsByArr {
  assertSingleStream(stream, responses);
  const quadrantOf = new Map<string, HealthQuadrant>();
  const quadrantAccounts = new Map<HealthQuadrant, { accounts: number; arrCents: bigint }>();
  for (const a of accounts) {
    if (quadrantOf.has(a.accountId)) throw new RangeError(`Account ${a.accountId} is listed twice`);
    if (!HEALTH_QUADRANTS.includes(a.quadrant)) throw new RangeError(`Invalid quadrant ${JSON.stringify(a.quadrant)}`);
    quadrantOf.set(a.accountId, a.quadrant);
    const own = quadrantAccounts.get(a.quadrant) ?? { accounts: 0, arrCents: 0n };
    quadrantAccounts.set(a.quadrant, { accounts: own.accounts + 1, arrCents: own.arrCents + (a.arr === null ? 0n : toCents(a.arr)) });
  }
  const bandScores = new Map<ArrBand | null, number[]>();
  const quadrantScores = new Map<HealthQuadrant, number[]>();
  for (const r of responses) {
    bandScores.set(r.arrBand, [...(bandScores.get(r.arrBand) ?? []), r.score]);
    const quadrant = r.accountId === null ? undefined : quadrantOf.get(r.accountId);
    if (quadrant) quadrantScores.set(quadrant, [...(quadrantScores.get(quadrant) ?? []), r.score]);
  }
  const counted = <K>(scores: Map<K, number[]>) => new Map([...scores].map(([k, v]) => [k, countCategories(v)]));
  return npsByArrOfCounts(stream, counted(bandScores), counted(quadrantScores), quadrantAccounts);
}

/**
 * The same from counts: per ARR band (`null`: responses without one), per quadrant, and each
 * quadrant's accounts with their ARR in cents. A band or quadrant missing from a map has none.
 */
export function npsByArrOfCounts(
  stream: Stream,
  bandCounts: ReadonlyMap<ArrBand | null, CategoryCounts>,
  quadrantCounts: ReadonlyMap<HealthQuadrant, CategoryCounts>,
  quadrantAccounts: ReadonlyMap<HealthQuadrant, { accounts: number; arrCents: bigint }>,
): NpsByArr {
  const none: CategoryCounts = { promoters: 0, passives: 0, detractors: 0 };
  const bands: (ArrBand | null)[] = [...ARR_BANDS];
  const withoutBand = bandCounts.get(null);
  if (withoutBand && withoutBand.promoters + withoutBand.passives + withoutBand.detractors > 0) bands.push(null);
  const byBand = bands.map((arrBand) => ({ arrBand, summary: summariseCounts(stream, bandCounts.get(arrBand) ?? none) }));
  const byQuadrant = HEALTH_QUADRANTS.map((quadrant) => {
    const own = quadrantAccounts.get(quadrant) ?? { accounts: 0, arrCents: 0n };
    return { quadrant, accounts: own.accounts, arrCents: own.arrCents, summary: summariseCounts(stream, quadrantCounts.get(quadrant) ?? none) };
  });
  return { stream, byBand, byQuadrant };
}
