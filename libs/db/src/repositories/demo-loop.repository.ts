import { EntityManager } from 'typeorm';
import { affectedCount } from '../query-result';

/**
 * The statements of the all-in-one demo's "solve a ticket and send its survey now" control.
 * Nothing in the product's own flow uses them: a survey normally waits for its send time.
 */
export class DemoLoopRepository {
  constructor(private readonly db: EntityManager) {}

  /** Which of these addresses (lower case) belong to a live CRM contact, so a survey to them is attributed. */
  async crmContactEmails(emails: string[]): Promise<Set<string>> {
    if (!emails.length) return new Set();
    const rows: Array<{ email: string }> = await this.db.query(
      `SELECT DISTINCT lower(email) AS email FROM contacts WHERE lower(email) = ANY($1::text[]) AND deleted_at IS NULL`,
      [emails.map((e) => e.toLowerCase())],
    );
    return new Set(rows.map((r) => r.email));
  }

  /**
   * A scheduled survey becomes due now and first in line: its send time moves to `at`, or just
   * before the earliest other due survey, since the dispatcher sends the oldest due first (its
   * retry wait is cleared too). False when it is not scheduled.
   */
  async makeDue(surveyId: string, at: Date): Promise<boolean> {
    const rows: unknown = await this.db.query(
      `UPDATE surveys SET next_attempt_at = NULL, updated_at = now(),
              scheduled_at = least($2::timestamptz, (SELECT min(scheduled_at) - interval '1 millisecond' FROM surveys WHERE status = 'scheduled' AND id <> $1))
       WHERE id = $1 AND status = 'scheduled' RETURNING id`,
      [surveyId, at],
    );
    return affectedCount(rows) > 0;
  }

  /** The survey's status after the send attempt, with why it was skipped or failed. */
  async outcome(surveyId: string): Promise<{ status: string; skipReason: string | null; lastError: string | null }> {
    const [row] = await this.db.query(`SELECT status, skip_reason, last_error FROM surveys WHERE id = $1`, [surveyId]);
    return { status: row.status, skipReason: row.skip_reason, lastError: row.last_error };
  }
}
