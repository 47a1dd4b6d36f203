import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { affectedCount } from '../query-result';

/** Where the read-only response page lives; outside /api, so no admin key is asked for. */
const RESPONSE_PAGE_PATH = '/r';

export function responsePageUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${RESPONSE_PAGE_PATH}/${token}`;
}

function hashPermalinkToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Response permalinks: unguessable tokens (32 random bytes, base64url) of which only the SHA-256
 * hash is stored, so a database read does not hand out working links.
 */
export class ResponsePermalinksRepository {
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
    const result = await this.db.query(`UPDATE response_permalinks SET revoked_at = $2, revoked_by = $3 WHERE response_id = $1 AND revoked_at IS NULL`, [
      responseId,
      now,
      revokedBy,
    ]);
    return affectedCount(result);
  }

  /** The response a live link points at, or null for an unknown or revoked one. */
  async liveResponseId(token: string): Promise<string | null> {
    const [row] = await this.db.query(`SELECT response_id FROM response_permalinks WHERE token_hash = $1 AND revoked_at IS NULL`, [hashPermalinkToken(token)]);
    return row?.response_id ?? null;
  }
}
