import { EntityManager } from 'typeorm';
import type { SurveyStream } from '../row-values';

/** Follow-ups counted for loop closure at one moment, per stream, category and single segment value (`all`: every one). */
export interface LoopClosureCountRow {
  stream: SurveyStream;
  category: 'promoter' | 'passive' | 'detractor';
  segment: 'all' | 'tier' | 'arr_band' | 'tenure_band' | 'role';
  value: string;
  closed: number;
  sla_met: number;
  overdue: number;
  open: number;
}

const monthOf = (at: Date, next: boolean) => {
  const month = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return next && month.getTime() !== at.getTime() ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)) : month;
};

/** A follow-up row's state as loop closure reads it (rules §6): closed by its due time, after it, or still pending. */
const STATE = `CASE WHEN x.status = 'completed' AND x.completed_at IS NOT NULL THEN CASE WHEN x.completed_at <= x.due_at THEN 'met' ELSE 'late' END ELSE 'pending' END`;
const MARGINALS = `CROSS JOIN LATERAL (VALUES ('all', ''), ('tier', coalesce(x.tier_snapshot, 'unknown')), ('arr_band', coalesce(x.arr_band_snapshot, 'unknown')),
  ('tenure_band', coalesce(x.tenure_band_snapshot, 'unknown')), ('role', coalesce(x.role_snapshot, 'unknown'))) AS s(segment, value)`;
const COUNTED = `x.status NOT IN ('cancelled', 'skipped') AND x.due_at IS NOT NULL AND x.stream IS NOT NULL AND x.category IS NOT NULL`;

/**
 * loop_closure_rollups (kept by triggers on follow_ups) with the follow-up rows it cannot answer
 * alone: whole UTC months of creation from the rollups, pending ones due in the current month and
 * the days of a partial month of creation from the rows.
 */
export class LoopClosureRollupsRepository {
  constructor(private readonly db: EntityManager) {}

  /** Counts at `now` of the follow-ups created in [from, until) (either end open when null). */
  async countsAt(now: Date, from: Date | null, until: Date | null): Promise<LoopClosureCountRow[]> {
    const params: unknown[] = [now];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const fromRows = (conditions: string[]) =>
      `SELECT x.stream, x.category, s.segment, s.value, (st.state <> 'pending')::int AS closed, (st.state = 'met')::int AS sla_met,
              (st.state = 'pending' AND x.due_at < $1)::int AS overdue, (st.state = 'pending' AND x.due_at >= $1)::int AS open
       FROM follow_ups x CROSS JOIN LATERAL (SELECT ${STATE} AS state) st ${MARGINALS}
       WHERE ${[COUNTED, ...conditions].join(' AND ')}`;
    const created = (a: Date | null, b: Date | null) => [a && `x.created_at >= ${bind(a)}`, b && `x.created_at < ${bind(b)}`].filter((c): c is string => !!c);
    const first = from ? monthOf(from, true) : null;
    const last = until ? monthOf(until, false) : null;
    const parts: string[] = [];
    if (first && last && first >= last) parts.push(fromRows(created(from, until)));
    else {
      const current = monthOf(now, false);
      const next = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() + 1, 1));
      const months = [first && `created_month >= ${bind(first)}`, last && `created_month < ${bind(last)}`].filter(Boolean);
      const currentMonth = bind(current);
      parts.push(
        `SELECT stream, category, segment, value, CASE WHEN state <> 'pending' THEN follow_ups ELSE 0 END AS closed,
                CASE WHEN state = 'met' THEN follow_ups ELSE 0 END AS sla_met,
                CASE WHEN state = 'pending' AND due_month < ${currentMonth} THEN follow_ups ELSE 0 END AS overdue,
                CASE WHEN state = 'pending' AND due_month > ${currentMonth} THEN follow_ups ELSE 0 END AS open
         FROM loop_closure_rollups WHERE ${['true', ...months].join(' AND ')}`,
      );
      // Pending and due this month: overdue or not depends on the moment, so from the rows.
      // (The clause as follow_ups_pending_due_idx states it, so the index serves it.)
      parts.push(fromRows([`(x.completed_at IS NULL OR x.status <> 'completed')`, `x.due_at >= ${currentMonth}`, `x.due_at < ${bind(next)}`, ...created(first, last)]));
      if (from && first && from < first) parts.push(fromRows(created(from, first)));
      if (until && last && until > last) parts.push(fromRows(created(last, until)));
    }
    return this.db.query(
      `SELECT c.stream, c.category, c.segment, c.value, sum(c.closed)::int AS closed, sum(c.sla_met)::int AS sla_met,
              sum(c.overdue)::int AS overdue, sum(c.open)::int AS open
       FROM (${parts.join(' UNION ALL ')}) c
       GROUP BY 1, 2, 3, 4 HAVING sum(c.closed) + sum(c.overdue) + sum(c.open) > 0 ORDER BY 1, 2, 3, 4`,
      params,
    );
  }
}
