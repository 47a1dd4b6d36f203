import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { returnedRows } from '../query-result';

/** The SHA-256 of a state: what is stored and looked up, never the state itself. */
export function hashOAuthState(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex');
}

export type OAuthAuthorizationStatus = 'pending' | 'connected' | 'failed';

/** A flow an admin started, as the callback and the outcome page need it. */
export interface OAuthAuthorizationRow {
  id: string;
  kind: string;
  connectionId: string | null;
  connectionName: string | null;
  settings: Record<string, unknown> | null;
  /** '' once the callback used them. */
  secretsEncrypted: string;
  redirectUri: string;
  returnTo: string;
  startedBy: string;
  status: OAuthAuthorizationStatus;
  errorCode: string | null;
  errorMessage: string | null;
  resultConnectionId: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  completedAt: Date | null;
}

export interface NewOAuthAuthorization {
  stateHash: string;
  kind: string;
  connectionId: string | null;
  connectionName: string | null;
  settings: Record<string, unknown> | null;
  secretsEncrypted: string;
  redirectUri: string;
  returnTo: string;
  startedBy: string;
  expiresAt: Date;
}

const COLUMNS = `id, kind, connection_id AS "connectionId", connection_name AS "connectionName", settings,
  secrets_encrypted AS "secretsEncrypted", redirect_uri AS "redirectUri", return_to AS "returnTo", started_by AS "startedBy",
  status, error_code AS "errorCode", error_message AS "errorMessage", result_connection_id AS "resultConnectionId",
  created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt", completed_at AS "completedAt"`;

/**
 * oauth_authorizations: the OAuth authorization code flows admins started. A state is used once:
 * claiming it marks it used in the same statement, so two callbacks with one state never both
 * proceed.
 */
export class OAuthAuthorizationsRepository {
  constructor(private readonly db: EntityManager) {}

  async insert(flow: NewOAuthAuthorization): Promise<OAuthAuthorizationRow> {
    const [row] = await this.db.query(
      `INSERT INTO oauth_authorizations (state_hash, kind, connection_id, connection_name, settings, secrets_encrypted, redirect_uri, return_to, started_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [
        flow.stateHash,
        flow.kind,
        flow.connectionId,
        flow.connectionName,
        flow.settings === null ? null : JSON.stringify(flow.settings),
        flow.secretsEncrypted,
        flow.redirectUri,
        flow.returnTo,
        flow.startedBy,
        flow.expiresAt,
      ],
    );
    return row;
  }

  /**
   * Marks the flow with this state used, if it was not: the row, with `fresh` false when it had
   * expired. Undefined when no unused flow has this state (unknown, or used before).
   */
  async claim(stateHash: string, now: Date): Promise<(OAuthAuthorizationRow & { fresh: boolean }) | undefined> {
    const result = await this.db.query(
      `UPDATE oauth_authorizations SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL
       RETURNING ${COLUMNS}, expires_at > $2 AS fresh`,
      [stateHash, now],
    );
    return returnedRows<OAuthAuthorizationRow & { fresh: boolean }>(result)[0];
  }

  /** The flow with this state whatever its state of use (to tell a used state from an unknown one). */
  async findByStateHash(stateHash: string): Promise<OAuthAuthorizationRow | undefined> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM oauth_authorizations WHERE state_hash = $1`, [stateHash]);
    return row;
  }

  async findById(id: string): Promise<OAuthAuthorizationRow | undefined> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM oauth_authorizations WHERE id = $1`, [id]);
    return row;
  }

  /** Records how the flow ended and erases its secrets (the connection keeps what it needs, encrypted). */
  async finish(
    id: string,
    outcome: { status: Exclude<OAuthAuthorizationStatus, 'pending'>; errorCode: string | null; errorMessage: string | null; resultConnectionId: string | null },
    now: Date,
  ): Promise<void> {
    await this.db.query(
      `UPDATE oauth_authorizations SET status = $2, error_code = $3, error_message = $4, result_connection_id = $5, completed_at = $6, secrets_encrypted = ''
       WHERE id = $1`,
      [id, outcome.status, outcome.errorCode, outcome.errorMessage, outcome.resultConnectionId, now],
    );
  }

  /** Forgets flows that expired before `cutoff` (their outcome has been read or never will be). */
  async deleteExpiredBefore(cutoff: Date): Promise<void> {
    await this.db.query(`DELETE FROM oauth_authorizations WHERE expires_at < $1`, [cutoff]);
  }
}
