import { EntityManager } from 'typeorm';

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

/** Skipped follow-ups: recorded beside the created ones, listed beside refused writes. */
export class FollowUpRepository {
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
}
