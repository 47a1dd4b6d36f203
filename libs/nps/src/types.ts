/**
 * Shared vocabulary of the NPS program (rules: libs/nps/README.md).
 * Plain types and a few fixed constants; no behaviour beyond trivial lookups.
 */

/** rules §2: the two streams that never mix. */
export type Stream = 'relational' | 'transactional';

/** rules §2: every survey and response carries its trigger; each trigger belongs to one stream. */
export type Trigger = 'quarterly' | 'pre_renewal' | 'ticket_solved' | 'onboarding';

/** Fixed: which stream each trigger belongs to. */
export const TRIGGER_STREAM: Readonly<Record<Trigger, Stream>> = {
  quarterly: 'relational',
  pre_renewal: 'relational',
  ticket_solved: 'transactional',
  onboarding: 'transactional',
};

/** rules §1: response categories (fixed bands). */
export type Category = 'promoter' | 'passive' | 'detractor';
export const CATEGORIES: readonly Category[] = ['promoter', 'passive', 'detractor'];

/** rules §3: normalised contact roles, listed in precedence order (first wins when several apply). */
export type Role = 'decision_maker' | 'admin' | 'end_user' | 'other';
export const ROLE_PRECEDENCE: readonly Role[] = ['decision_maker', 'admin', 'end_user', 'other'];

/** rules §3: ARR bands (lower bound inclusive). Ids name the default boundaries. */
export type ArrBand = 'under_10k' | '10k_50k' | '50k_100k' | '100k_500k' | '500k_plus';
export const ARR_BANDS: readonly ArrBand[] = ['under_10k', '10k_50k', '50k_100k', '100k_500k', '500k_plus'];

/** rules §3: tenure bands from the customer-since date. Ids name the default boundaries. */
export type TenureBand = '0_90d' | '91_180d' | '181_365d' | '1_2y' | 'over_2y';

/** rules §9: comment themes. */
export type Theme = 'feature_gap' | 'performance' | 'support_quality' | 'pricing' | 'competitor' | 'integration_request';
export const THEMES: readonly Theme[] = ['feature_gap', 'performance', 'support_quality', 'pricing', 'competitor', 'integration_request'];

/** rules §7: activity axis and health quadrant. */
export type ActivityLevel = 'high' | 'low';
export type HealthQuadrant = 'champion' | 'adoption_risk' | 'passive_engaged' | 'passive_drifting' | 'friction' | 'churn_risk' | 'unknown';
export const HEALTH_QUADRANTS: readonly HealthQuadrant[] = ['champion', 'adoption_risk', 'passive_engaged', 'passive_drifting', 'friction', 'churn_risk', 'unknown'];

/** rules §6: follow-up task priority. */
export type Priority = 'high' | 'normal' | 'low';

/**
 * Money: a decimal string in currency units ("100000.00", at most 2 significant decimals)
 * or an exact integer number of cents. Never a float of currency units.
 */
export type MoneyAmount = string | { readonly cents: bigint | number };

/** A calendar date without time, `YYYY-MM-DD` (e.g. a renewal date or customer-since date). */
export type IsoDate = string;

/** A calendar quarter key, e.g. `2025-Q1`. */
export type QuarterKey = `${number}-Q${1 | 2 | 3 | 4}`;

/** Helpdesk ticket statuses (the status categories, whatever custom statuses an account defines). */
export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';

/** Returns the stream a trigger belongs to. */
export function streamOfTrigger(trigger: Trigger): Stream {
  return TRIGGER_STREAM[trigger];
}

/** Thrown when an aggregate is asked to combine responses of different streams (rules §2). */
export class MixedStreamError extends Error {
  constructor(
    readonly expected: Stream,
    readonly found: string,
  ) {
    super(`Streams never mix: expected only "${expected}" responses but found one of stream "${found}"`);
    this.name = 'MixedStreamError';
  }
}

/**
 * Guards an aggregate: every item must belong to `stream`.
 * Throws MixedStreamError naming the offending stream otherwise.
 */
export function assertSingleStream(stream: Stream, items: Iterable<{ readonly stream: string }>): void {
  if (stream !== 'relational' && stream !== 'transactional') {
    throw new MixedStreamError('relational', String(stream));
  }
  for (const item of items) {
    if (item.stream !== stream) throw new MixedStreamError(stream, String(item.stream));
  }
}
