import { EntityManager } from 'typeorm';
import { affectedCount } from '../query-result';
import type { ResponseCategory } from '../row-values';
import type { SurveyStream } from '../row-values';

/** A follow-up the rules asked for that was not created, and why (rules §6). */
export interface SkippedFollowUpRow {
  responseId: string;
  kind: string;
  ownerKind: 'account_owner' | 'leadership' | 'helpdesk_group';
  due: Date;
  priority: string;
  subject: string;
  body: string;
  targetConnectionId: string;
  targetSystem: string;
  accountId: string | null;
  reason: string;
}

/** A follow-up to create in the CRM or the helpdesk (its outbox row goes with it). */
export interface PlannedFollowUp {
  responseId: string;
  accountId: string | null;
  kind: string;
  ownerKind: string;
  ownerExternalId: string | null;
  due: Date;
  priority: string;
  subject: string;
  body: string;
  connectionId: string;
  system: string;
}

/** What the vendor says about a task we created: completed (when), or open (again). */
export interface TaskClosure {
  externalId: string;
  /** null: the task is open (again). */
  completedAt: string | null;
}

/** A follow-up with its response's snapshots, as rules §6 loop closure counts it. */
export interface LoopClosureRow {
  stream: SurveyStream;
  category: ResponseCategory;
  due_at: Date;
  completed_at: Date | null;
  tier_snapshot: string | null;
  arr_band_snapshot: string | null;
  tenure_band_snapshot: string | null;
  role_snapshot: string | null;
}

/** follow_ups: planned, created by the outbox, closed by the vendor, or skipped with a reason; one method per statement. */
export class FollowUpsRepository {
  constructor(private readonly db: EntityManager) {}

  /** Records the follow-up as skipped with its reason (once per response and kind); no owner, no vendor write. */
  async recordSkipped(row: SkippedFollowUpRow): Promise<void> {
    await this.db.query(
      `INSERT INTO follow_ups (response_id, kind, owner_kind, owner_external_id, due_at, priority, subject, body,
                               target_connection_id, target_system, account_id, status, skip_reason)
       VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9, $10, 'skipped', $11)
       ON CONFLICT (response_id, kind) DO NOTHING`,
      [row.responseId, row.kind, row.ownerKind, row.due, row.priority, row.subject, row.body, row.targetConnectionId, row.targetSystem, row.accountId, row.reason],
    );
  }

  /** Counts of skipped follow-ups per target connection, kind and reason. */
  async skippedSummary(): Promise<Array<{ connectionId: string | null; connection: string | null; kind: string; reason: string; count: number }>> {
    return this.db.query(
      `SELECT f.target_connection_id AS "connectionId", c.name AS "connection", f.kind, f.skip_reason AS reason, count(*)::int AS count
       FROM follow_ups f LEFT JOIN connections c ON c.id = f.target_connection_id
       WHERE f.status = 'skipped' GROUP BY f.target_connection_id, c.name, f.kind, f.skip_reason ORDER BY c.name, f.kind, f.skip_reason`,
    );
  }

  /** The latest skipped follow-ups with their reason, newest first. */
  async latestSkipped(limit: number): Promise<Array<Record<string, unknown>>> {
    return this.db.query(
      `SELECT f.id, f.response_id AS "responseId", f.kind, f.skip_reason AS reason, f.target_connection_id AS "connectionId",
              f.target_system AS "targetSystem", f.subject, f.due_at AS "dueAt", f.created_at AS "createdAt",
              a.external_id AS "accountExternalId", a.name AS "accountName"
       FROM follow_ups f LEFT JOIN accounts a ON a.id = f.account_id
       WHERE f.status = 'skipped' ORDER BY f.created_at DESC, f.id LIMIT $1`,
      [limit],
    );
  }

  /** Inserts the follow-up unless the response already has one of this kind; returns the new id or null. */
  async recordPlanned(values: PlannedFollowUp): Promise<string | null> {
    const [inserted] = await this.db.query(
      `INSERT INTO follow_ups (response_id, kind, owner_kind, owner_external_id, due_at, priority, subject, body, target_connection_id, target_system, account_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (response_id, kind) DO NOTHING RETURNING id`,
      [
        values.responseId,
        values.kind,
        values.ownerKind,
        values.ownerExternalId,
        values.due,
        values.priority,
        values.subject,
        values.body,
        values.connectionId,
        values.system,
        values.accountId,
      ],
    );
    return inserted?.id ?? null;
  }

  /**
   * A completed task (or solved task ticket) closes its follow-up, keeping the time it was
   * completed; a task reopened opens it again. Returns how many follow-ups changed.
   */
  async applyTaskClosures(connectionId: string, closures: readonly TaskClosure[]): Promise<number> {
    if (closures.length === 0) return 0;
    const result = await this.db.query(
      `UPDATE follow_ups f SET status = CASE WHEN c.completed_at IS NULL THEN 'open' ELSE 'completed' END,
            completed_at = c.completed_at, updated_at = now()
     FROM unnest($2::text[], $3::timestamptz[]) AS c(external_id, completed_at)
     WHERE f.target_connection_id = $1 AND f.external_id = c.external_id AND f.status IN ('open', 'completed')
       AND f.completed_at IS DISTINCT FROM c.completed_at
     RETURNING f.id`,
      [connectionId, closures.map((c) => c.externalId), closures.map((c) => c.completedAt)],
    );
    return affectedCount(result);
  }

  /** Whether any follow-up of the connection is in the vendor: without one, its tasks are not read at all. */
  async anyInVendor(connectionId: string): Promise<boolean> {
    const [pending] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM follow_ups WHERE target_connection_id = $1 AND external_id IS NOT NULL AND status IN ('open', 'completed')) AS any`,
      [connectionId],
    );
    return Boolean(pending.any);
  }

  /** One task read at a time per connection, across workers: false when another holds it (until its transaction ends). */
  async tryLockTaskReadback(lockName: string): Promise<boolean> {
    const [lock] = await this.db.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7)) AS got`, [lockName]);
    return Boolean(lock.got);
  }

  /** The vendor made them: each one's id kept, a pending follow-up becomes open; one statement, a follow-up named twice keeps the last id. */
  async markAllCreated(created: ReadonlyArray<{ id: string; externalId: string }>): Promise<void> {
    const last = new Map(created.map((c) => [c.id, c.externalId]));
    if (last.size === 0) return;
    await this.db.query(
      `UPDATE follow_ups f SET external_id = c.external_id, status = CASE WHEN f.status = 'pending' THEN 'open' ELSE f.status END, last_error = NULL, updated_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS c(id, external_id) WHERE f.id = c.id`,
      [[...last.keys()], [...last.values()]],
    );
  }

  /** The vendor refused it for good: kept with the vendor's words. */
  async markFailed(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE follow_ups SET status = 'failed', last_error = $2, updated_at = now() WHERE id = $1`, [id, error]);
  }

  /** Its refused write is sent again (a person asked): pending again until the vendor answers. */
  async reopenFailed(id: string): Promise<void> {
    await this.db.query(`UPDATE follow_ups SET status = 'pending', updated_at = now() WHERE id = $1 AND status = 'failed'`, [id]);
  }

  /** Its write was dismissed before the vendor made it: failed, with why (it still counts as not closed). */
  async failUncreated(id: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE follow_ups SET status = 'failed', last_error = $2, updated_at = now() WHERE id = $1 AND status = 'pending' AND external_id IS NULL`, [id, reason]);
  }

  /** Its write will be tried again: why the last attempt failed, for a person to see. */
  async noteRetry(id: string, error: string | undefined): Promise<void> {
    await this.db.query(`UPDATE follow_ups SET last_error = $2, updated_at = now() WHERE id = $1`, [id, error]);
  }

  /** Vendor ids our follow-ups of the connection took since `since`: a task found there is not someone else's. */
  async externalIdsTouchedSince(connectionId: string, since: Date): Promise<string[]> {
    const rows: Array<{ external_id: string }> = await this.db.query(
      `SELECT external_id FROM follow_ups WHERE external_id IS NOT NULL AND target_connection_id = $1 AND updated_at >= $2`,
      [connectionId, since],
    );
    return rows.map((r) => r.external_id);
  }

  /** Follow-ups that count for loop closure (created in the window, inclusive dates, when given). */
  async forLoopClosure(from: string | null, to: string | null): Promise<LoopClosureRow[]> {
    return this.db.query(
      `SELECT r.stream, r.category, f.due_at, CASE WHEN f.status = 'completed' THEN f.completed_at END AS completed_at,
              r.tier_snapshot, r.arr_band_snapshot, r.tenure_band_snapshot, r.role_snapshot
       FROM follow_ups f JOIN responses r ON r.id = f.response_id
       WHERE f.status NOT IN ('cancelled', 'skipped') AND f.due_at IS NOT NULL
         AND ($1::date IS NULL OR f.created_at >= $1::date) AND ($2::date IS NULL OR f.created_at < $2::date + 1)`,
      [from, to],
    );
  }

  /** One response's follow-ups, for the admin's response view. */
  async ofResponse(responseId: string): Promise<Array<Record<string, unknown>>> {
    return this.db.query(
      `SELECT id, kind, status, priority, subject, owner_kind AS "ownerKind", owner_external_id AS "ownerExternalId", due_at AS "dueAt",
              target_system AS "targetSystem", external_id AS "externalId", completed_at AS "completedAt", last_error AS "lastError",
              skip_reason AS "skipReason"
       FROM follow_ups WHERE response_id = $1 ORDER BY created_at, kind`,
      [responseId],
    );
  }

  /** Follow-ups whose task will never be created now (their source was removed): cancelled, out of loop closure. */
  async cancelUncreated(followUpIds: readonly string[], reason: string): Promise<number> {
    if (followUpIds.length === 0) return 0;
    const result = await this.db.query(
      `UPDATE follow_ups SET status = 'cancelled', skip_reason = $2, updated_at = now()
       WHERE id = ANY($1::uuid[]) AND status = 'pending' AND external_id IS NULL RETURNING id`,
      [followUpIds, reason],
    );
    return affectedCount(result);
  }
}
