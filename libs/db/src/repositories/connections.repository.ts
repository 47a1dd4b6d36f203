import { EntityManager, In, IsNull, Not, Repository } from 'typeorm';
import { Connection, ConnectionTestRecord } from '../entities/connection.entity';
import { affectedCount } from '../query-result';

/** Encrypted credentials as stored, for the start-up key check and the key rotation. */
export interface StoredCredentials {
  id: string;
  name: string;
  credentialsEncrypted: string;
}

/** What an admin may change on a connection (new credentials reset its status). */
export type ConnectionChanges = Partial<Pick<Connection, 'name' | 'settings' | 'credentialsEncrypted' | 'status' | 'statusReason' | 'pausedUntil'>>;

/** A connection's state as its last use with the vendor left it. */
export type ConnectionStatusChange = Pick<Connection, 'status' | 'statusReason'> & Partial<Pick<Connection, 'statusChangedAt' | 'pausedUntil' | 'lastApiUsage' | 'settings'>>;

/**
 * connections: the vendor accounts the program reads and writes. A removed connection is
 * soft-deleted with its credentials erased to '' (nothing to decrypt).
 */
export class ConnectionsRepository {
  constructor(private readonly db: EntityManager) {}

  private get rows() {
    return this.db.getRepository(Connection);
  }

  /** The live connection (credentials not loaded). */
  async findLive(id: string): Promise<Connection | null> {
    return this.rows.findOneBy({ id, deletedAt: IsNull() });
  }

  /** The live connection with its encrypted credentials (TypeORM leaves soft-deleted rows out). */
  async loadWithCredentials(id: string): Promise<Connection | null> {
    return this.rows.createQueryBuilder('c').addSelect('c.credentialsEncrypted').where('c.id = :id', { id }).getOne();
  }

  async create(connection: Pick<Connection, 'kind' | 'name' | 'credentialsEncrypted' | 'settings' | 'status'>): Promise<Connection> {
    return this.rows.save(this.rows.create(connection));
  }

  /** Live connections, oldest first. */
  async listLive(): Promise<Connection[]> {
    return this.rows.find({ where: { deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  /** Ids of live, enabled connections of these kinds (the helpdesks whose tickets are reconciled). */
  async enabledIdsOfKinds(kinds: string[]): Promise<string[]> {
    const rows = await this.rows.find({ select: { id: true }, where: { deletedAt: IsNull(), status: Not('disabled'), kind: In(kinds) } });
    return rows.map((r) => r.id);
  }

  async countLive(): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM connections WHERE deleted_at IS NULL`);
    return n;
  }

  /** Connections of these kinds the sync schedule may sync now: live, enabled, not paused for their API budget. */
  async dueForSync(kinds: string[]): Promise<string[]> {
    const due: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM connections
       WHERE deleted_at IS NULL AND kind = ANY($1::text[]) AND status <> 'disabled'
         AND (paused_until IS NULL OR paused_until <= now())`,
      [kinds],
    );
    return due.map((r) => r.id);
  }

  /** Live connections whose credentials still work (neither disabled nor refused): whose tasks can be read back. */
  async usable(): Promise<Array<{ id: string; kind: string }>> {
    return this.db.query(`SELECT id, kind FROM connections WHERE deleted_at IS NULL AND status NOT IN ('disabled', 'auth_failed')`);
  }

  /** A live, enabled connection's kind and credentials, as a webhook call is verified with. */
  async webhookCredentials(id: string): Promise<{ kind: string; credentials_encrypted: string } | undefined> {
    const [row] = await this.db.query(`SELECT kind, credentials_encrypted FROM connections WHERE id = $1 AND deleted_at IS NULL AND status <> 'disabled'`, [id]);
    return row;
  }

  async applyChanges(id: string, changes: ConnectionChanges): Promise<void> {
    await this.rows.update(id, changes as Parameters<Repository<Connection>['update']>[1]);
  }

  async recordStatus(id: string, change: ConnectionStatusChange): Promise<void> {
    await this.rows.update(id, change as Parameters<Repository<Connection>['update']>[1]);
  }

  /** The latest connection test's answer and when it ran. */
  async recordTest(id: string, test: ConnectionTestRecord, testedAt: Date): Promise<void> {
    await this.rows.update(id, { lastTest: test, lastTestedAt: testedAt } as Parameters<Repository<Connection>['update']>[1]);
  }

  /** Locks the connection row FOR SHARE when it is live (a sync page holds it until it commits); false when it was deleted meanwhile. */
  async holdLive(connectionId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT id FROM connections WHERE id = $1 AND deleted_at IS NULL FOR SHARE`, [connectionId]);
    return rows.length === 1;
  }

  /** The live connection, locked until its removal commits (a second removal waits, then finds nothing). */
  async lockLive(connectionId: string): Promise<{ id: string; kind: string } | undefined> {
    const [row] = await this.db.query(`SELECT id, kind FROM connections WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, [connectionId]);
    return row;
  }

  /** Soft-deletes the connection and erases its credentials (the empty string: nothing left to decrypt). */
  async softDeleteAndEraseCredentials(connectionId: string): Promise<void> {
    await this.db.query(`UPDATE connections SET credentials_encrypted = '', deleted_at = now(), updated_at = now() WHERE id = $1`, [connectionId]);
  }

  /** Every connection that holds credentials, newest change first (deleted ones too, if any kept theirs). */
  async listStoredCredentials(): Promise<StoredCredentials[]> {
    return this.db.query(
      `SELECT id, name, credentials_encrypted AS "credentialsEncrypted" FROM connections
       WHERE credentials_encrypted <> '' ORDER BY updated_at DESC, id`,
    );
  }

  /**
   * Replaces one connection's credentials only if they are still `expected`: a token refreshed
   * by a running worker meanwhile wins, and the next rotation run picks it up.
   */
  async replaceCredentialsIfUnchanged(id: string, expected: string, next: string): Promise<boolean> {
    const result = await this.db.query(`UPDATE connections SET credentials_encrypted = $3 WHERE id = $1 AND credentials_encrypted = $2 RETURNING id`, [id, expected, next]);
    return affectedCount(result) === 1;
  }

  /**
   * Takes the connection's credential lock until the transaction ends: renewing OAuth tokens and
   * storing a webhook secret run one at a time per connection, across every process, so a
   * refresh token used once (rotating vendors) is never used twice and no change is lost.
   */
  async lockCredentialChanges(id: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended('connection-credentials:' || $1::text, 0))`, [id]);
  }

  /** A live connection's encrypted credentials as stored now; undefined when it was removed. */
  async storedCredentialsOfLive(id: string): Promise<string | undefined> {
    const [row] = await this.db.query(`SELECT credentials_encrypted FROM connections WHERE id = $1 AND deleted_at IS NULL`, [id]);
    return row?.credentials_encrypted || undefined;
  }

  /**
   * Stores new credentials of a live connection (a refreshed token, a webhook secret from setup).
   * A removed connection stays erased: a refresh finishing after the removal writes nothing.
   */
  async saveCredentialsOfLive(id: string, encrypted: string): Promise<boolean> {
    const result = await this.db.query(`UPDATE connections SET credentials_encrypted = $2, updated_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id`, [id, encrypted]);
    return affectedCount(result) === 1;
  }
}
