import { EntityManager } from 'typeorm';
import { affectedCount } from '../query-result';

export interface StoredCredentials {
  id: string;
  name: string;
  credentialsEncrypted: string;
}

/**
 * The encrypted credentials as stored, for the start-up key check and the key rotation.
 * A removed connection's credentials are erased to '' (nothing to decrypt), so both skip them.
 */
export class ConnectionCredentialsRepository {
  constructor(private readonly db: EntityManager) {}

  /** Every connection that holds credentials, newest change first (deleted ones too, if any kept theirs). */
  async listStored(): Promise<StoredCredentials[]> {
    return this.db.query(
      `SELECT id, name, credentials_encrypted AS "credentialsEncrypted" FROM connections
       WHERE credentials_encrypted <> '' ORDER BY updated_at DESC, id`,
    );
  }

  /**
   * Replaces one connection's credentials only if they are still `expected`: a token refreshed
   * by a running worker meanwhile wins, and the next rotation run picks it up.
   */
  async replaceIfUnchanged(id: string, expected: string, next: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE connections SET credentials_encrypted = $3 WHERE id = $1 AND credentials_encrypted = $2 RETURNING id`,
      [id, expected, next],
    );
    return affectedCount(result) === 1;
  }

  /**
   * Stores new credentials of a live connection (a refreshed token, a webhook secret from setup).
   * A removed connection stays erased: a refresh finishing after the removal writes nothing.
   */
  async saveForLiveConnection(id: string, encrypted: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE connections SET credentials_encrypted = $2, updated_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id`,
      [id, encrypted],
    );
    return affectedCount(result) === 1;
  }
}
