/**
 * rules §7 Account health (relational stream only): sentiment, account NPS overall and per role,
 * role gap, activity axis and the health quadrant.
 */
import { addDays, assertValidInstant } from './calendar';
import { toCents } from './money';
import { compareNpsGap, npsGap, scoreCategory, summariseNps, type NpsSummary } from './score';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import { assertSingleStream, ROLE_PRECEDENCE, type ActivityLevel, type Category, type HealthQuadrant, type MoneyAmount, type Role, type Stream } from './types';

export interface HealthResponse {
  readonly stream: Stream;
  /** The person who answered (CRM contact id). */
  readonly contactId: string;
  /** Role snapshot stored with the response. */
  readonly role: Role;
  readonly score: number;
  readonly respondedAt: Date;
}

/**
 * Each person's latest relational response in the trailing window: respondedAt within
 * [now − 365 d, now], both ends inclusive (exact days). Ties on time keep the later input item.
 * Throws MixedStreamError if any response is not relational.
 */
export function latestResponsePerPerson<R extends HealthResponse>(responses: readonly R[], now: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): R[] {
  assertValidInstant(now, 'now');
  assertSingleStream('relational', responses);
  const from = addDays(now, -settings.sentimentWindowDays).getTime();
  const latest = new Map<string, R>();
  for (const r of responses) {
    const t = r.respondedAt.getTime();
    if (t < from || t > now.getTime()) continue;
    const current = latest.get(r.contactId);
    if (!current || t >= current.respondedAt.getTime()) latest.set(r.contactId, r);
  }
  return [...latest.values()];
}

export interface AccountSentiment {
  readonly category: Category;
  readonly meanScore: number;
  /** Whose scores were averaged. */
  readonly basis: 'decision_makers' | 'all_respondents';
  readonly respondents: number;
}

/** Classes a mean score with the category bands: ≥ 9 promoter, ≥ 7 passive, else detractor
 *  (exact: compares the sum with 9·count and 7·count). */
function classMean(scores: readonly number[]): Category {
  const sum = scores.reduce((a, b) => a + b, 0);
  if (sum >= 9 * scores.length) return 'promoter';
  if (sum >= 7 * scores.length) return 'passive';
  return 'detractor';
}

/**
 * Account sentiment: mean of the decision makers' latest scores if any, else of all
 * respondents' latest scores; null without a response in the window.
 */
export function accountSentiment(responses: readonly HealthResponse[], now: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): AccountSentiment | null {
  const latest = latestResponsePerPerson(responses, now, settings);
  if (latest.length === 0) return null;
  latest.forEach((r) => scoreCategory(r.score)); // validates every score
  const decisionMakers = latest.filter((r) => r.role === 'decision_maker');
  const basis = decisionMakers.length > 0 ? 'decision_makers' : 'all_respondents';
  const scores = (basis === 'decision_makers' ? decisionMakers : latest).map((r) => r.score);
  return {
    category: classMean(scores),
    meanScore: scores.reduce((a, b) => a + b, 0) / scores.length,
    basis,
    respondents: scores.length,
  };
}

export interface AccountNps {
  readonly overall: NpsSummary;
  readonly byRole: Readonly<Record<Role, NpsSummary>>;
}

/** Account NPS of each person's latest relational response in the window, overall and per role. */
export function accountNps(responses: readonly HealthResponse[], now: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): AccountNps {
  const latest = latestResponsePerPerson(responses, now, settings);
  const byRole = Object.fromEntries(
    ROLE_PRECEDENCE.map((role) => [
      role,
      summariseNps(
        'relational',
        latest.filter((r) => r.role === role),
      ),
    ]),
  ) as Record<Role, NpsSummary>;
  return { overall: summariseNps('relational', latest), byRole };
}

export interface RoleGap {
  /** |decision-maker NPS − end-user NPS| (exact, from the counts); null unless both exist.
   *  Displays round it once with displayNpsGap on the same counts. */
  readonly gap: number | null;
  /** True when the gap is strictly greater than 15 points (exact comparison). */
  readonly flagged: boolean;
}

export function roleGap(decisionMakers: NpsSummary, endUsers: NpsSummary, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): RoleGap {
  if (decisionMakers.nps === null || endUsers.nps === null) return { gap: null, flagged: false };
  return {
    gap: npsGap(decisionMakers, endUsers),
    flagged: compareNpsGap(decisionMakers, endUsers, settings.roleGapFlagAbovePoints) > 0,
  };
}

export interface ArrSnapshot {
  readonly at: Date;
  readonly arr: MoneyAmount;
}

/** rules §7 activity axis: high or low, or unknown when there is nothing to judge it by. */
export type ActivityAxis = ActivityLevel | 'unknown';

export interface Activity {
  readonly level: ActivityAxis;
  /** `no_data`: neither a usage value nor ARR history reaching the trend window back (level unknown). */
  readonly basis: 'usage' | 'arr_trend' | 'no_data';
  /** ARR growth over the trend window in percent (informative; the decision is exact). */
  readonly arrGrowthPercent: number | null;
}

/**
 * Activity axis: the mapped usage field when it has a value (high when ≥ threshold); else the
 * ARR trend over 180 days from the ARR history (the CRM's field history or our snapshots):
 * base = latest snapshot at or before now − 180 d, current = latest snapshot at or before now;
 * high when current ≥ base × 1.05 (exact, in cents; from 0 any growth counts), low otherwise.
 * History that does not reach now − 180 d (no snapshot at or before it) says nothing about the
 * trend: activity is `unknown`, basis `no_data`, never a guessed `low`.
 */
export function activityLevel(
  input: { readonly usage: number | null; readonly arrSnapshots: readonly ArrSnapshot[]; readonly now: Date },
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): Activity {
  assertValidInstant(input.now, 'now');
  if (input.usage !== null) {
    if (!Number.isFinite(input.usage)) throw new RangeError(`Invalid usage value ${String(input.usage)}`);
    return { level: input.usage >= settings.usageHighThreshold ? 'high' : 'low', basis: 'usage', arrGrowthPercent: null };
  }
  const nowMs = input.now.getTime();
  const past = [...input.arrSnapshots].filter((s) => s.at.getTime() <= nowMs).sort((a, b) => a.at.getTime() - b.at.getTime());
  const windowStart = addDays(input.now, -settings.arrTrendWindowDays).getTime();
  const beforeWindow = past.filter((s) => s.at.getTime() <= windowStart);
  if (beforeWindow.length === 0) return { level: 'unknown', basis: 'no_data', arrGrowthPercent: null };
  const base = toCents(beforeWindow[beforeWindow.length - 1].arr);
  const current = toCents(past[past.length - 1].arr);
  const growthScaled = BigInt(Math.round(settings.arrTrendHighGrowthPercent * 1000));
  const high = base > 0n ? (current - base) * 100_000n >= growthScaled * base : current > base;
  const arrGrowthPercent = base > 0n ? (Number(current - base) / Number(base)) * 100 : null;
  return { level: high ? 'high' : 'low', basis: 'arr_trend', arrGrowthPercent };
}

const QUADRANTS: Readonly<Record<Category, Readonly<Record<ActivityLevel, HealthQuadrant>>>> = {
  promoter: { high: 'champion', low: 'adoption_risk' },
  passive: { high: 'passive_engaged', low: 'passive_drifting' },
  detractor: { high: 'friction', low: 'churn_risk' },
};

/** Health quadrant = sentiment × activity; `unknown` without a response (sentiment null) or with
 *  unknown activity (missing data never makes a `churn_risk`). */
export function healthQuadrant(sentiment: Category | null, activity: ActivityAxis): HealthQuadrant {
  return sentiment === null || activity === 'unknown' ? 'unknown' : QUADRANTS[sentiment][activity];
}

export interface AccountHealth {
  readonly sentiment: AccountSentiment | null;
  readonly nps: AccountNps;
  readonly roleGap: RoleGap;
  readonly activity: Activity;
  readonly quadrant: HealthQuadrant;
}

/** Everything rules §7 computes for one account from its relational responses. */
export function accountHealth(
  input: {
    readonly responses: readonly HealthResponse[];
    readonly usage: number | null;
    readonly arrSnapshots: readonly ArrSnapshot[];
    readonly now: Date;
  },
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): AccountHealth {
  const sentiment = accountSentiment(input.responses, input.now, settings);
  const nps = accountNps(input.responses, input.now, settings);
  const activity = activityLevel(input, settings);
  return {
    sentiment,
    nps,
    roleGap: roleGap(nps.byRole.decision_maker, nps.byRole.end_user, settings),
    activity,
    quadrant: healthQuadrant(sentiment?.category ?? null, activity.level),
  };
}
