import { EntityManager } from 'typeorm';
import { affectedCount, returnedRows } from '../query-result';

/**
 * Removing a source (rules §4 "Removed sources"), one statement per step, all on the
 * caller's transaction: its people stop being surveyed, its vendor writes stop, its
 * credentials are gone. Responses are never touched: reports keep what was answered.
 */
export class ConnectionRemovalRepository {
  constructor(private readonly db: EntityManager) {}

  /** The live connection, locked until the removal commits (a second DELETE waits, then finds nothing). */
  async lockLive(connectionId: string): Promise<{ id: string; kind: string } | undefined> {
    const [row] = await this.db.query(`SELECT id, kind FROM connections WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, [connectionId]);
    return row;
  }

  /**
   * Scheduled surveys that came from this connection (a ticket of a helpdesk) or are relational
   * surveys of its accounts and contacts (a CRM): cancelled with `reason`. A ticket survey of a
   * live helpdesk keeps going even when its requester was matched to a contact of this CRM.
   */
  async cancelPendingSurveys(connectionId: string, reason: string): Promise<number> {
    const result = await this.db.query(
      `UPDATE surveys s SET status = 'cancelled', skip_reason = $2, updated_at = now()
       WHERE s.status = 'scheduled' AND (
         s.source_connection_id = $1
         OR (s.stream = 'relational' AND (
           s.contact_id IN (SELECT id FROM contacts WHERE connection_id = $1)
           OR s.account_id IN (SELECT id FROM accounts WHERE connection_id = $1))))
       RETURNING s.id`,
      [connectionId, reason],
    );
    return affectedCount(result);
  }

  /** Vendor writes not yet claimed: cancelled with `reason`; returns the follow-ups they would have created. */
  async cancelPendingOutbox(connectionId: string, reason: string): Promise<{ cancelled: number; followUpIds: string[] }> {
    const rows = returnedRows<{ follow_up_id: string | null }>(
      await this.db.query(
        `UPDATE outbox SET status = 'cancelled', last_error = $2, claimed_at = NULL
         WHERE connection_id = $1 AND status = 'pending' RETURNING follow_up_id`,
        [connectionId, reason],
      ),
    );
    return { cancelled: rows.length, followUpIds: rows.flatMap((r) => (r.follow_up_id ? [r.follow_up_id] : [])) };
  }

  /** Follow-ups whose task will never be created now: cancelled (out of loop closure) with `reason`. */
  async cancelUncreatedFollowUps(followUpIds: readonly string[], reason: string): Promise<number> {
    if (followUpIds.length === 0) return 0;
    const result = await this.db.query(
      `UPDATE follow_ups SET status = 'cancelled', skip_reason = $2, updated_at = now()
       WHERE id = ANY($1::uuid[]) AND status = 'pending' AND external_id IS NULL RETURNING id`,
      [followUpIds, reason],
    );
    return affectedCount(result);
  }

  async softDeleteAccounts(connectionId: string): Promise<number> {
    const result = await this.db.query(
      `UPDATE accounts SET deleted_at = now(), updated_at = now() WHERE connection_id = $1 AND deleted_at IS NULL RETURNING id`,
      [connectionId],
    );
    return affectedCount(result);
  }

  async softDeleteContacts(connectionId: string): Promise<number> {
    const result = await this.db.query(
      `UPDATE contacts SET deleted_at = now(), updated_at = now() WHERE connection_id = $1 AND deleted_at IS NULL RETURNING id`,
      [connectionId],
    );
    return affectedCount(result);
  }

  async softDeleteContactRoles(connectionId: string): Promise<void> {
    await this.db.query(`UPDATE contact_roles SET deleted_at = now(), updated_at = now() WHERE connection_id = $1 AND deleted_at IS NULL`, [connectionId]);
  }

  /** Soft-deletes the connection and erases its credentials (the empty string: nothing left to decrypt). */
  async softDeleteAndEraseCredentials(connectionId: string): Promise<void> {
    await this.db.query(
      `UPDATE connections SET credentials_encrypted = '', deleted_at = now(), updated_at = now() WHERE id = $1`,
      [connectionId],
    );
  }
}
