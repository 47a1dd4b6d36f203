import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';

export interface SentSurvey {
  trigger: 'quarterly' | 'pre_renewal' | 'ticket_solved';
  email: string;
  contactId: string | null;
  accountId: string | null;
  sentAt: Date;
  /** The helpdesk connection and ticket of a ticket_solved survey. */
  sourceConnectionId?: string;
  ticketId?: string;
  groupId?: string;
}

/**
 * Marks a planned survey as the dispatcher leaves it once the SMTP server took it (status sent,
 * a hashed token), without the mail round trip the delivery tests cover; returns the token.
 */
export async function markSent(db: DataSource, surveyId: string, at: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(`UPDATE surveys SET status = 'sent', sent_at = $2, expires_at = $2::timestamptz + interval '30 days', token_hash = $3 WHERE id = $1`, [
    surveyId,
    at,
    createHash('sha256').update(token, 'utf8').digest('hex'),
  ]);
  return token;
}

/** A survey as the planner and dispatcher leave it: sent, with a token for the real survey pages. */
export async function sentSurvey(db: DataSource, survey: SentSurvey): Promise<string> {
  const stream = survey.trigger === 'ticket_solved' ? 'transactional' : 'relational';
  const context = survey.ticketId ? { ticketId: survey.ticketId, groupId: survey.groupId ?? null, ticketSubject: 'Export fails' } : {};
  const [row] = await db.query(
    `INSERT INTO surveys (stream, trigger, idempotency_key, source_connection_id, source_ref, contact_id, account_id, email, status, scheduled_at, context)
     VALUES ($1, $2, gen_random_uuid()::text, $3, $4, $5, $6, $7, 'scheduled', $8, $9) RETURNING id`,
    [stream, survey.trigger, survey.sourceConnectionId ?? null, survey.ticketId ?? null, survey.contactId, survey.accountId, survey.email, survey.sentAt, JSON.stringify(context)],
  );
  return markSent(db, row.id, survey.sentAt);
}

/**
 * Opens a score link from the email and answers as a person on that page does (rules §5: opening the
 * link alone records nothing): without a comment, the page's script records the score once the
 * page was visible for 2 s (unsettled); with one, the form sends score and comment and settles.
 */
export async function answer(baseUrl: string, token: string, score: number, comment?: string): Promise<void> {
  const click = await request(baseUrl).get(`/s/${token}/${score}`);
  if (click.status !== 200) throw new Error(`score link answered ${click.status}: ${click.text.slice(0, 200)}`);
  const form = comment === undefined ? { score: String(score), via: 'visible' } : { score: String(score), comment };
  const sent = await request(baseUrl).post(`/s/${token}/score`).type('form').send(form);
  if (sent.status >= 400) throw new Error(`answer answered ${sent.status}: ${sent.text.slice(0, 200)}`);
}
