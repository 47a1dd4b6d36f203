/**
 * rules §6 Loop closure: closed / (closed + overdue), SLA met when closed by its due time.
 */
import { assertValidInstant } from './calendar';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import { assertSingleStream, type Category, type Stream } from './types';

export interface FollowUpStatus {
  readonly stream: Stream;
  /** Category of the response the follow-up is for. */
  readonly category: Category;
  readonly due: Date;
  /** When the CRM task was completed / the helpdesk task ticket solved; null while open. */
  readonly closedAt: Date | null;
}

export interface LoopClosure {
  readonly stream: Stream;
  readonly closed: number;
  /** Not closed and strictly past due at `now`. */
  readonly overdue: number;
  /** Not closed and not yet due: counts in neither side of the rate. */
  readonly open: number;
  /** Closed at or before their due time. */
  readonly slaMet: number;
  /** closed / (closed + overdue), 0–1; null when both are 0. */
  readonly rate: number | null;
  /** True when the rate is below the alert threshold (70 % by default). */
  readonly belowAlertThreshold: boolean;
}

/** True when the follow-up was closed by its due time (inclusive). */
export function metSla(followUp: Pick<FollowUpStatus, 'due' | 'closedAt'>): boolean {
  return followUp.closedAt !== null && followUp.closedAt.getTime() <= followUp.due.getTime();
}

/**
 * Loop closure of one stream's follow-ups at `now`; optionally only one category (detractors
 * for the alert). Comparison with the threshold is exact: closed·100 < threshold·(closed+overdue).
 */
export function loopClosure(
  stream: Stream,
  followUps: readonly FollowUpStatus[],
  now: Date,
  options: { readonly category?: Category } = {},
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): LoopClosure {
  assertValidInstant(now, 'now');
  assertSingleStream(stream, followUps);
  const counts = { closed: 0, overdue: 0, open: 0, slaMet: 0 };
  for (const f of followUps) {
    if (options.category && f.category !== options.category) continue;
    if (f.closedAt !== null) {
      counts.closed++;
      if (metSla(f)) counts.slaMet++;
    } else if (now.getTime() > f.due.getTime()) counts.overdue++;
    else counts.open++;
  }
  return loopClosureOfCounts(stream, counts, settings);
}

/** Follow-ups already counted at a moment: closed (of which closed by their due time), overdue, not yet due. */
export interface LoopClosureCounts {
  readonly closed: number;
  readonly slaMet: number;
  readonly overdue: number;
  readonly open: number;
}

/** The same from counts (what Postgres hands over for many follow-ups). */
export function loopClosureOfCounts(stream: Stream, counts: LoopClosureCounts, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): LoopClosure {
  const { closed, overdue, open, slaMet } = counts;
  const total = closed + overdue;
  return {
    stream,
    closed,
    overdue,
    open,
    slaMet,
    rate: total === 0 ? null : closed / total,
    belowAlertThreshold: total > 0 && closed * 100 < settings.loopClosureAlertBelowPercent * total,
  };
}
