import { EntityManager } from 'typeorm';
import { affectedCount, returnedRows } from '../query-result';
import type { ResponseCategory } from '../row-values';
import type { SurveyStream, SurveyTrigger } from '../row-values';

/**
 * A sent or pending survey of one person, as the suppression rule sees it; `imported` is the
 * last send an imported source knew of (rules §10), which counts for suppression only.
 */
export interface PersonSurvey {
  id: string;
  trigger: SurveyTrigger | 'imported';
  status: 'pending' | 'sent';
  at: Date;
}

export interface NewSurvey {
  stream: SurveyStream;
  trigger: SurveyTrigger;
  idempotencyKey: string;
  sourceConnectionId: string | null;
  sourceRef: string | null;
  contactId: string | null;
  accountId: string | null;
  email: string;
  recipientName: string | null;
  context: Record<string, unknown>;
  /** scheduled, or skipped with a reason */
  status: 'scheduled' | 'skipped';
  skipReason: string | null;
  scheduledAt: Date;
  sendDeadlineAt: Date | null;
}

/** A scheduled survey as the plan preview lists it. */
export interface ScheduledSurveyRow {
  id: string;
  trigger: string;
  stream: string;
  contact_id: string | null;
  email: string;
  account_id: string | null;
  scheduled_at: Date;
}

/** A survey the dispatcher claimed for sending. */
export interface DueSurvey {
  id: string;
  trigger: 'quarterly' | 'pre_renewal' | 'ticket_solved' | 'onboarding';
  email: string;
  recipient_name: string | null;
  contact_id: string | null;
  account_id: string | null;
  context: Record<string, unknown>;
  send_deadline_at: Date | null;
  send_attempts: number;
}

/** A sent survey found by its link's token hash, with its response's columns (all null while unanswered). */
export type SurveyByToken = {
  id: string;
  trigger: SurveyTrigger;
  stream: SurveyStream;
  email: string;
  contact_id: string | null;
  account_id: string | null;
  context: Record<string, unknown> | null;
  expires_at: Date | null;
} & (
  | { score: null; category: null; comment: null; reference_opt_in: null; settled_at: null }
  | { score: number; category: ResponseCategory; comment: string | null; reference_opt_in: boolean; settled_at: Date | null }
);

/** Arbitrary but fixed key: one relational plan at a time across every process. */
const PLAN_LOCK = 7_311_004_211;
/** Arbitrary but fixed key: claims are counted against the daily cap one worker at a time. */
const DISPATCH_LOCK = 7_311_004_212;

/** surveys: planned, claimed, sent, answered or cancelled; one method per statement, on the caller's transaction. */
export class SurveysRepository {
  constructor(private readonly db: EntityManager) {}

  /** Held by the session (not a transaction) for a whole plan run: one relational plan at a time. */
  async lockPlanning(): Promise<void> {
    await this.db.query(`SELECT pg_advisory_lock($1)`, [PLAN_LOCK]);
  }

  async unlockPlanning(): Promise<void> {
    await this.db.query(`SELECT pg_advisory_unlock($1)`, [PLAN_LOCK]);
  }

  /**
   * Serialises planning for one recipient across workers for the rest of the transaction, so
   * two triggers cannot both pass the suppression check.
   */
  async lockRecipient(email: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended(lower($1), 42))`, [email]);
  }

  async surveysOf(email: string, exceptId?: string): Promise<PersonSurvey[]> {
    const rows: Array<{ id: string; trigger: SurveyTrigger | 'imported'; status: string; at: Date }> = await this.db.query(
      `SELECT id::text, trigger, status, coalesce(sent_at, scheduled_at) AS at FROM surveys
       WHERE lower(email) = lower($1) AND status IN ('scheduled', 'sending', 'sent', 'answered')
         AND ($2::uuid IS NULL OR id <> $2::uuid)
       UNION ALL
       SELECT 'imported:' || source || ':' || original_id, 'imported', 'sent', last_sent_at FROM imported_people
       WHERE email = lower($1) AND last_sent_at IS NOT NULL`,
      [email, exceptId ?? null],
    );
    return rows.map((r) => ({ id: r.id, trigger: r.trigger, status: r.status === 'scheduled' ? 'pending' : 'sent', at: new Date(r.at) }));
  }

  /** Inserts unless a survey with the same idempotency key exists; returns the new id or null. */
  async insert(survey: NewSurvey): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, source_connection_id, source_ref, contact_id, account_id, email,
                            recipient_name, context, status, skip_reason, scheduled_at, send_deadline_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [
        survey.stream,
        survey.trigger,
        survey.idempotencyKey,
        survey.sourceConnectionId,
        survey.sourceRef,
        survey.contactId,
        survey.accountId,
        survey.email,
        survey.recipientName,
        survey.context,
        survey.status,
        survey.skipReason,
        survey.scheduledAt,
        survey.sendDeadlineAt,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async findByKey(key: string): Promise<{ id: string; status: string; skipReason: string | null } | undefined> {
    const [row] = await this.db.query(`SELECT id, status, skip_reason FROM surveys WHERE idempotency_key = $1`, [key]);
    return row ? { id: row.id, status: row.status, skipReason: row.skip_reason } : undefined;
  }

  /** Cancels surveys not yet sent; returns how many. */
  async cancelPending(where: { key?: string; ids?: string[] }, reason: string): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `UPDATE surveys SET status = 'cancelled', skip_reason = $3, updated_at = now()
       WHERE status = 'scheduled' AND (idempotency_key = $1 OR id = ANY($2::uuid[])) RETURNING id`,
      [where.key ?? null, where.ids ?? [], reason],
    );
    return affectedCount(rows);
  }

  /** A ticket solved again after a reopen gets its one survey back, rescheduled. */
  async reschedule(id: string, scheduledAt: Date, deadline: Date | null, status: 'scheduled' | 'skipped', reason: string | null): Promise<void> {
    await this.db.query(
      `UPDATE surveys SET status = $2, skip_reason = $3, scheduled_at = $4, send_deadline_at = $5, updated_at = now()
       WHERE id = $1 AND status = 'cancelled'`,
      [id, status, reason, scheduledAt, deadline],
    );
  }

  /** A closed ticket cannot be updated: the write-back will go on a follow-up ticket instead. */
  async markTicketClosed(key: string): Promise<void> {
    await this.db.query(`UPDATE surveys SET context = context || '{"ticketStatus": "closed"}'::jsonb WHERE idempotency_key = $1`, [key]);
  }

  /** Scheduled surveys due before `to`, in sending order (the plan preview's "already scheduled"). */
  async scheduledBefore(to: Date): Promise<ScheduledSurveyRow[]> {
    return this.db.query(
      `SELECT id, trigger, stream, contact_id, email, account_id, scheduled_at FROM surveys
         WHERE status = 'scheduled' AND scheduled_at < $1 ORDER BY scheduled_at, id`,
      [to],
    );
  }

  /** Which of these surveys are still scheduled (the preview's plan may have cancelled some). */
  async stillScheduled(ids: string[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT id FROM surveys WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`, [ids]);
    return rows.map((r) => r.id);
  }

  /** Held until the transaction ends: one claimer at a time, so workers together stay within the day's cap. */
  async lockDispatch(): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock($1)`, [DISPATCH_LOCK]);
  }

  /** Surveys sent, or being sent, in [start, end): what counts against the daily cap. */
  async countSentOrSending(start: Date, end: Date): Promise<number> {
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM surveys
         WHERE (sent_at >= $1 AND sent_at < $2) OR (status = 'sending' AND claimed_at >= $1 AND claimed_at < $2)`,
      [start, end],
    );
    return n;
  }

  /** Claims up to `limit` due surveys, oldest due first, across workers (SKIP LOCKED): status `sending`. */
  async claimDue(now: Date, limit: number): Promise<DueSurvey[]> {
    return returnedRows<DueSurvey>(
      await this.db.query(
        `UPDATE surveys SET status = 'sending', claimed_at = $1, updated_at = now()
           WHERE id IN (SELECT id FROM surveys WHERE status = 'scheduled' AND scheduled_at <= $1
                          AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
                        ORDER BY scheduled_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING id, trigger, email, recipient_name, contact_id, account_id, context, send_deadline_at, send_attempts`,
        [now, limit],
      ),
    );
  }

  /** Past their last sendable moment unsent: `capacity` (relational) or `too_late` (ticket); returns how many. */
  async skipPastDeadline(now: Date): Promise<number> {
    const rows = await this.db.query(
      `UPDATE surveys SET status = 'skipped', skip_reason = CASE WHEN stream = 'relational' THEN 'capacity' ELSE 'too_late' END, updated_at = now()
       WHERE status = 'scheduled' AND send_deadline_at < $1 RETURNING id`,
      [now],
    );
    return affectedCount(rows);
  }

  /** A claim older than `staleMinutes` may have reached SMTP: taken as sent rather than risk a second email. */
  async assumeStaleClaimsSent(now: Date, linkValidDays: number, staleMinutes: number): Promise<void> {
    await this.db.query(
      `UPDATE surveys SET status = 'sent', sent_at = claimed_at, expires_at = claimed_at + make_interval(days => $2),
              last_error = 'worker stopped while sending; assumed sent to avoid a second email', updated_at = now()
       WHERE status = 'sending' AND claimed_at < $1::timestamptz - make_interval(mins => $3)`,
      [now, linkValidDays, staleMinutes],
    );
  }

  async markSkipped(id: string, reason: string): Promise<void> {
    await this.db.query(`UPDATE surveys SET status = 'skipped', skip_reason = $2, updated_at = now() WHERE id = $1`, [id, reason]);
  }

  /** Stored before the email goes out, so the link works the moment it arrives. */
  async storeTokenHash(id: string, tokenHash: string): Promise<void> {
    await this.db.query(`UPDATE surveys SET token_hash = $2 WHERE id = $1`, [id, tokenHash]);
  }

  async markSent(id: string, sentAt: Date, expiresAt: Date, messageId: string): Promise<void> {
    await this.db.query(
      `UPDATE surveys SET status = 'sent', sent_at = $2, expires_at = $3, message_id = $4, send_attempts = send_attempts + 1,
                last_error = NULL, updated_at = now() WHERE id = $1`,
      [id, sentAt, expiresAt, messageId],
    );
  }

  /** SMTP refused it: back to `scheduled` after the backoff (or `failed` after the last attempt), its token dropped. */
  async releaseAfterSendFailure(id: string, status: 'scheduled' | 'failed', attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
    await this.db.query(
      `UPDATE surveys SET status = $2, send_attempts = $3, next_attempt_at = $4, last_error = $5, token_hash = NULL,
                claimed_at = NULL, updated_at = now() WHERE id = $1`,
      [id, status, attempts, nextAttemptAt, error],
    );
  }

  /** The sent (or answered) survey a link's token belongs to, with its response. */
  async findSentByTokenHash(tokenHash: string): Promise<SurveyByToken | undefined> {
    const [row] = await this.db.query(
      `SELECT s.id, s.trigger, s.stream, s.email, s.contact_id, s.account_id, s.context, s.expires_at,
              r.score, r.category, r.comment, r.reference_opt_in, r.settled_at
       FROM surveys s LEFT JOIN responses r ON r.survey_id = s.id
       WHERE s.token_hash = $1 AND s.status IN ('sent', 'answered')`,
      [tokenHash],
    );
    return row;
  }

  async markAnswered(id: string): Promise<void> {
    await this.db.query(`UPDATE surveys SET status = 'answered', updated_at = now() WHERE id = $1`, [id]);
  }

  /** Imported unsubscribes and bounces (rules §10) cancel every survey still waiting for those addresses (lower case). */
  async cancelScheduledForOptOuts(emails: readonly string[]): Promise<number> {
    if (!emails.length) return 0;
    const rows = await this.db.query(
      `UPDATE surveys SET status = 'cancelled', skip_reason = 'opted_out', updated_at = now()
       WHERE lower(email) = ANY($1::text[]) AND status = 'scheduled' RETURNING id`,
      [emails],
    );
    return affectedCount(rows);
  }

  /** An opt-out cancels every survey still waiting for the address. */
  async cancelScheduledForOptOut(email: string): Promise<void> {
    await this.db.query(`UPDATE surveys SET status = 'cancelled', skip_reason = 'opted_out' WHERE lower(email) = lower($1) AND status = 'scheduled'`, [email]);
  }

  /**
   * Scheduled surveys that came from this connection (a ticket of a helpdesk) or are relational
   * surveys of its accounts and contacts (a CRM): cancelled with `reason`. A ticket survey of a
   * live helpdesk keeps going even when its requester was matched to a contact of this CRM.
   */
  async cancelPendingForConnection(connectionId: string, reason: string): Promise<number> {
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

  /**
   * The demo's "send now": a scheduled survey becomes due now and first in line: its send time
   * moves to `at`, or just before the earliest other due survey, since the dispatcher sends the
   * oldest due first (its retry wait is cleared too). False when it is not scheduled.
   */
  async makeDueNow(surveyId: string, at: Date): Promise<boolean> {
    const rows: unknown = await this.db.query(
      `UPDATE surveys SET next_attempt_at = NULL, updated_at = now(),
              scheduled_at = least($2::timestamptz, (SELECT min(scheduled_at) - interval '1 millisecond' FROM surveys WHERE status = 'scheduled' AND id <> $1))
       WHERE id = $1 AND status = 'scheduled' RETURNING id`,
      [surveyId, at],
    );
    return affectedCount(rows) > 0;
  }

  /** The survey's status after a send attempt, with why it was skipped or failed. */
  async sendOutcome(surveyId: string): Promise<{ status: string; skipReason: string | null; lastError: string | null }> {
    const [row] = await this.db.query(`SELECT status, skip_reason, last_error FROM surveys WHERE id = $1`, [surveyId]);
    return { status: row.status, skipReason: row.skip_reason, lastError: row.last_error };
  }
}
