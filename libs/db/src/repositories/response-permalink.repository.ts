import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { affectedCount } from '../query-result';

/** Where the read-only response page lives; outside /api, so no admin key is asked for. */
export const RESPONSE_PAGE_PATH = '/r';

export function responsePageUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${RESPONSE_PAGE_PATH}/${token}`;
}

function hashPermalinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The answer a permalink shows (rules §6), as stored. */
export interface PermalinkAnswer {
  responseId: string;
  score: number;
  category: 'promoter' | 'passive' | 'detractor';
  comment: string | null;
  referenceOptIn: boolean;
  stream: 'relational' | 'transactional';
  trigger: string;
  role: string | null;
  answeredAt: Date;
  settledAt: Date | null;
  email: string;
  respondentName: string | null;
  contactId: string | null;
  accountId: string | null;
  accountName: string | null;
  ticketId: string | null;
}

export interface EarlierAnswer {
  score: number;
  category: 'promoter' | 'passive' | 'detractor';
  comment: string | null;
  stream: 'relational' | 'transactional';
  trigger: string;
  answeredAt: Date;
}

export interface PermalinkAccountHealth {
  quadrant: string;
  sentiment: string | null;
  relationalNps: string | null;
  responses12m: number;
  computedAt: Date;
}

/**
 * Response permalinks: unguessable tokens (32 random bytes, base64url) of which only the SHA-256
 * hash is stored, so a database read does not hand out working links. Also the reads the page
 * makes, so the page's SQL lives in one place.
 */
export class ResponsePermalinkRepository {
  constructor(private readonly db: EntityManager) {}

  /** Stores a new link for the response and returns its token (the only time it is known). */
  async issue(responseId: string, createdBy: string, now: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.db.query(`INSERT INTO response_permalinks (response_id, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4)`, [
      responseId,
      hashPermalinkToken(token),
      createdBy,
      now,
    ]);
    return token;
  }

  /** Ends every live link of the response; returns how many were live. */
  async revokeAll(responseId: string, revokedBy: string, now: Date): Promise<number> {
    const result = await this.db.query(
      `UPDATE response_permalinks SET revoked_at = $2, revoked_by = $3 WHERE response_id = $1 AND revoked_at IS NULL`,
      [responseId, now, revokedBy],
    );
    return affectedCount(result);
  }

  async responseExists(responseId: string): Promise<boolean> {
    const [row] = await this.db.query(`SELECT 1 FROM responses WHERE id = $1`, [responseId]);
    return Boolean(row);
  }

  /** The response a live link points at, or null for an unknown or revoked one. */
  async liveResponseId(token: string): Promise<string | null> {
    const [row] = await this.db.query(`SELECT response_id FROM response_permalinks WHERE token_hash = $1 AND revoked_at IS NULL`, [
      hashPermalinkToken(token),
    ]);
    return row?.response_id ?? null;
  }

  async answer(responseId: string): Promise<PermalinkAnswer | null> {
    const [row] = await this.db.query(
      `SELECT r.id AS "responseId", r.score, r.category, r.comment, r.reference_opt_in AS "referenceOptIn", r.stream, r.trigger,
              r.role_snapshot AS role, r.first_answered_at AS "answeredAt", r.settled_at AS "settledAt", s.email,
              coalesce(s.recipient_name, nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '')) AS "respondentName",
              r.contact_id AS "contactId", r.account_id AS "accountId", a.name AS "accountName", s.context->>'ticketId' AS "ticketId"
       FROM responses r JOIN surveys s ON s.id = r.survey_id
       LEFT JOIN contacts c ON c.id = r.contact_id LEFT JOIN accounts a ON a.id = r.account_id
       WHERE r.id = $1`,
      [responseId],
    );
    return row ?? null;
  }

  /** The same person's answers before this one (by contact, else by email), newest first. */
  async earlierAnswers(answer: PermalinkAnswer, limit = 20): Promise<EarlierAnswer[]> {
    return this.db.query(
      `SELECT r.score, r.category, r.comment, r.stream, r.trigger, r.first_answered_at AS "answeredAt"
       FROM responses r JOIN surveys s ON s.id = r.survey_id
       WHERE r.id <> $1 AND r.first_answered_at < $2
         AND (r.contact_id = $3::uuid OR ($3::uuid IS NULL AND lower(s.email) = lower($4)))
       ORDER BY r.first_answered_at DESC, r.id LIMIT $5`,
      [answer.responseId, answer.answeredAt, answer.contactId, answer.email, limit],
    );
  }

  async accountHealth(accountId: string): Promise<PermalinkAccountHealth | null> {
    const [row] = await this.db.query(
      `SELECT quadrant, sentiment, relational_nps::text AS "relationalNps", responses_12m AS "responses12m", computed_at AS "computedAt"
       FROM account_health WHERE account_id = $1`,
      [accountId],
    );
    return row ?? null;
  }
}
