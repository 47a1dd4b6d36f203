import { EntityManager } from 'typeorm';
import { returnedRows } from '../query-result';

/** console_setup_tokens: one-time links that create the first console admin; only hashes are kept. */
export class ConsoleSetupTokensRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * Serialises the making of the first admin across api processes until the transaction ends,
   * so two setup links used at the same moment cannot both make one.
   */
  async lockFirstAdmin(): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended('console_first_admin', 0))`);
  }

  /** Links not used yet are withdrawn: only the newest printed link works. */
  async withdrawUnused(): Promise<void> {
    await this.db.query(`DELETE FROM console_setup_tokens WHERE used_at IS NULL`);
  }

  async create(tokenHash: string, createdAt: Date, expiresAt: Date): Promise<void> {
    await this.db.query(`INSERT INTO console_setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)`, [tokenHash, createdAt, expiresAt]);
  }

  /** Whether this token is unused and unexpired at `now`. */
  async isUsable(tokenHash: string, now: Date): Promise<boolean> {
    const [row] = await this.db.query(`SELECT EXISTS (SELECT 1 FROM console_setup_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2) AS usable`, [
      tokenHash,
      now,
    ]);
    return row.usable === true;
  }

  /** Uses the token up; false when it was unknown, used or expired. */
  async use(tokenHash: string, now: Date): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.db.query(`UPDATE console_setup_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING id`, [tokenHash, now]),
    );
    return rows.length > 0;
  }
}
