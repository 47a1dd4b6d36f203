import { EntityManager } from 'typeorm';
import { affectedCount } from '../query-result';
import type { SurveyStream, SurveyTrigger } from '../entities/survey.entity';

/** A sent or pending survey of one person, as the suppression rule sees it. */
export interface PersonSurvey {
  id: string;
  trigger: SurveyTrigger;
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

/** Survey queries for planning and sending, on the caller's transaction. */
export class SurveyRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * Serialises planning for one recipient across workers for the rest of the transaction, so
   * two triggers cannot both pass the suppression check.
   */
  async lockRecipient(email: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended(lower($1), 42))`, [email]);
  }

  async surveysOf(email: string, exceptId?: string): Promise<PersonSurvey[]> {
    const rows: Array<{ id: string; trigger: SurveyTrigger; status: string; at: Date }> = await this.db.query(
      `SELECT id, trigger, status, coalesce(sent_at, scheduled_at) AS at FROM surveys
       WHERE lower(email) = lower($1) AND status IN ('scheduled', 'sending', 'sent', 'answered')
         AND ($2::uuid IS NULL OR id <> $2::uuid)`,
      [email, exceptId ?? null],
    );
    return rows.map((r) => ({ id: r.id, trigger: r.trigger, status: r.status === 'scheduled' ? 'pending' : 'sent', at: new Date(r.at) }));
  }

  async isOptedOut(email: string, contactId: string | null): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM opt_outs WHERE email = lower($1))
           OR EXISTS (SELECT 1 FROM contacts WHERE id = $2::uuid AND unsubscribed_at IS NOT NULL) AS out`,
      [email, contactId],
    );
    return Boolean(row.out);
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
}
