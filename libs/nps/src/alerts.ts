/**
 * rules §9 Alerts, always per stream: significant quarter-over-quarter drop, declining quarters,
 * detractor loop closure below 70 %, role-gap accounts, emerging themes, revenue coverage below
 * 80 %. Each alert names its cause (a stable key without the period) and its period (a calendar
 * quarter), so a store raises it once per (cause, period).
 */
import { nextQuarter, quarterOf } from './calendar';
import { loopClosure, type FollowUpStatus } from './loop-closure';
import { decimalFromCents } from './money';
import type { RevenueCoverage } from './report-accounts';
import { compareNpsChange, npsGap, significanceOfChange, type NpsSummary, type SignificanceResult } from './score';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import { emergingThemes, type ThemedResponse } from './themes';
import { MixedStreamError, type QuarterKey, type Stream, type Theme } from './types';

export interface QuarterNps {
  readonly quarter: QuarterKey;
  readonly summary: NpsSummary;
}

/** What makes an alert one alert: raise it once per (cause, period). */
interface AlertIdentity {
  /** Stable key of what fired, without the period: `significant_drop:relational`, `role_gap:relational:<account id>`. */
  readonly cause: string;
  /**
   * The quarter it is about: the quarter that dropped or ended the declines, the theme's quarter,
   * or, for a state judged at `now` (loop closure, role gap, revenue coverage), the quarter of `now`.
   */
  readonly period: QuarterKey;
}

export type Alert = AlertIdentity &
  (
    | {
        readonly kind: 'significant_drop';
        readonly stream: Stream;
        readonly previousQuarter: QuarterKey;
        readonly quarter: QuarterKey;
        /** Exact NPS values and the exact drop (one fraction from both quarters' counts). */
        readonly previousNps: number;
        readonly nps: number;
        readonly drop: number;
        /** The adjusted-Wald test that found the change significant. */
        readonly significance: SignificanceResult;
      }
    | {
        readonly kind: 'declining_quarters';
        readonly stream: Stream;
        /** The quarters that each declined against the quarter before them. */
        readonly quarters: readonly QuarterKey[];
      }
    | {
        readonly kind: 'detractor_loop_closure';
        readonly stream: Stream;
        readonly rate: number;
        readonly closed: number;
        readonly overdue: number;
      }
    | { readonly kind: 'role_gap'; readonly stream: 'relational'; readonly accountId: string; readonly gap: number }
    | {
        readonly kind: 'emerging_theme';
        readonly stream: Stream;
        readonly theme: Theme;
        readonly quarter: QuarterKey;
        readonly detractorComments: number;
      }
    | {
        readonly kind: 'revenue_coverage';
        readonly stream: 'relational';
        /** Covered / active ARR, 0–1. */
        readonly share: number;
        readonly targetPercent: number;
        /** Exact decimal amounts, e.g. "120000.50". */
        readonly coveredArr: string;
        readonly activeArr: string;
      }
  );

function checkStream(stream: Stream, series: readonly QuarterNps[]): void {
  for (const q of series) if (q.summary.stream !== stream) throw new MixedStreamError(stream, q.summary.stream);
}

/**
 * Quarter-over-quarter drop: fires when `current` is the quarter right after `previous`, the
 * exact NPS fell by at least 4 points (inclusive) and the change is significant by rules §1 (adjusted
 * values), the adjusted NPS falling too: a significant adjusted rise is no drop.
 */
export function significantDropAlert(stream: Stream, previous: QuarterNps, current: QuarterNps, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): Alert | null {
  checkStream(stream, [previous, current]);
  if (nextQuarter(previous.quarter) !== current.quarter) return null;
  const significance = significanceOfChange(previous.summary, current.summary);
  if (significance === null || !significance.significant || significance.adjustedChange >= 0) return null;
  // current − previous ≤ −points  ⇔  sign(current − previous + points) ≤ 0
  if (compareNpsChange(previous.summary, current.summary, -settings.significantDropPoints) > 0) return null;
  return {
    kind: 'significant_drop',
    cause: `significant_drop:${stream}`,
    period: current.quarter,
    stream,
    previousQuarter: previous.quarter,
    quarter: current.quarter,
    previousNps: previous.summary.nps as number,
    nps: current.summary.nps as number,
    drop: npsGap(previous.summary, current.summary) as number,
    significance,
  };
}

/**
 * Three declining quarters in a row: the latest 3 quarters each have a lower NPS than the
 * quarter right before them (so 4 consecutive quarters with NPS strictly falling; a gap in
 * the quarters or a quarter without responses breaks the run). The series may be in any order.
 */
export function decliningQuartersAlert(stream: Stream, series: readonly QuarterNps[], settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): Alert | null {
  checkStream(stream, series);
  const ordered = [...series].sort((a, b) => (a.quarter < b.quarter ? -1 : a.quarter > b.quarter ? 1 : 0));
  const needed = settings.decliningQuartersInARow;
  if (needed < 1 || ordered.length < needed + 1) return null;
  const tail = ordered.slice(-(needed + 1));
  for (let i = 1; i < tail.length; i++) {
    const [before, after] = [tail[i - 1], tail[i]];
    if (nextQuarter(before.quarter) !== after.quarter) return null;
    if (before.summary.nps === null || after.summary.nps === null) return null;
    if (compareNpsChange(before.summary, after.summary, 0) >= 0) return null;
  }
  const quarters = tail.slice(1).map((q) => q.quarter);
  return { kind: 'declining_quarters', cause: `declining_quarters:${stream}`, period: quarters[quarters.length - 1], stream, quarters };
}

/** Detractor loop closure below 70 % (exact); no alert when nothing is closed or overdue. */
export function detractorLoopClosureAlert(stream: Stream, followUps: readonly FollowUpStatus[], now: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): Alert | null {
  const result = loopClosure(stream, followUps, now, { category: 'detractor' }, settings);
  if (!result.belowAlertThreshold || result.rate === null) return null;
  return {
    kind: 'detractor_loop_closure',
    cause: `detractor_loop_closure:${stream}`,
    period: quarterOf(now),
    stream,
    rate: result.rate,
    closed: result.closed,
    overdue: result.overdue,
  };
}

/** One alert per flagged role-gap account (relational stream only), for the quarter of `now`. */
export function roleGapAlerts(
  accounts: readonly { readonly accountId: string; readonly roleGap: { readonly gap: number | null; readonly flagged: boolean } }[],
  now: Date,
): Alert[] {
  const period = quarterOf(now);
  return accounts
    .filter((a) => a.roleGap.flagged && a.roleGap.gap !== null)
    .map((a) => ({
      kind: 'role_gap',
      cause: `role_gap:relational:${a.accountId}`,
      period,
      stream: 'relational',
      accountId: a.accountId,
      gap: a.roleGap.gap as number,
    }));
}

/** One alert per emerging (quarter, theme) of one stream. */
export function emergingThemeAlerts(stream: Stream, responses: readonly ThemedResponse[], settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): Alert[] {
  return emergingThemes(stream, responses, settings).map((t) => ({
    kind: 'emerging_theme',
    cause: `emerging_theme:${stream}:${t.theme}`,
    period: t.quarter,
    stream,
    theme: t.theme,
    quarter: t.quarter,
    detractorComments: t.detractorComments,
  }));
}

/** Revenue coverage below its target (relational), for the quarter of `now`; none when active ARR is 0. */
export function revenueCoverageAlert(coverage: RevenueCoverage, now: Date): Alert | null {
  if (coverage.stream !== 'relational') throw new MixedStreamError('relational', coverage.stream);
  if (!coverage.belowTarget || coverage.share === null) return null;
  return {
    kind: 'revenue_coverage',
    cause: 'revenue_coverage:relational',
    period: quarterOf(now),
    stream: 'relational',
    share: coverage.share,
    targetPercent: coverage.targetPercent,
    coveredArr: decimalFromCents(coverage.coveredArrCents),
    activeArr: decimalFromCents(coverage.activeArrCents),
  };
}

/**
 * All alerts of one stream. Role-gap accounts and revenue coverage only apply to the relational
 * stream.
 */
export function collectAlerts(
  input: {
    readonly stream: Stream;
    /** Quarterly NPS of the stream (any order); the latest two feed the drop rule. */
    readonly quarters: readonly QuarterNps[];
    readonly followUps: readonly FollowUpStatus[];
    readonly accounts?: readonly { readonly accountId: string; readonly roleGap: { readonly gap: number | null; readonly flagged: boolean } }[];
    readonly responses: readonly ThemedResponse[];
    /** Revenue coverage at `now` (relational). */
    readonly coverage?: RevenueCoverage;
    readonly now: Date;
  },
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): Alert[] {
  const { stream } = input;
  const ordered = [...input.quarters].sort((a, b) => (a.quarter < b.quarter ? -1 : a.quarter > b.quarter ? 1 : 0));
  const alerts: Alert[] = [];
  if (ordered.length >= 2) {
    const drop = significantDropAlert(stream, ordered[ordered.length - 2], ordered[ordered.length - 1], settings);
    if (drop) alerts.push(drop);
  } else {
    checkStream(stream, ordered);
  }
  const declining = decliningQuartersAlert(stream, ordered, settings);
  if (declining) alerts.push(declining);
  const closure = detractorLoopClosureAlert(stream, input.followUps, input.now, settings);
  if (closure) alerts.push(closure);
  if (stream === 'relational') alerts.push(...roleGapAlerts(input.accounts ?? [], input.now));
  alerts.push(...emergingThemeAlerts(stream, input.responses, settings));
  if (stream === 'relational' && input.coverage) {
    const coverage = revenueCoverageAlert(input.coverage, input.now);
    if (coverage) alerts.push(coverage);
  }
  return alerts;
}
