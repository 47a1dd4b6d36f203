import { EntityManager } from 'typeorm';
import { SyncCursor } from '../entities/sync.entity';

/**
 * sync_cursors: where each stream of a connection resumes (the CRM sync's streams, the
 * helpdesk's ticket changes, our tasks in a CRM), committed with the page it follows.
 */
export class SyncCursorsRepository {
  constructor(private readonly db: EntityManager) {}

  /** Whether some of `streams` was never read in full for the connection: a run reads those in full. */
  async neverReadInFull(connectionId: string, streams: readonly string[]): Promise<boolean> {
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM sync_cursors WHERE connection_id = $1 AND stream = ANY($2::text[]) AND full_sync_completed_at IS NOT NULL`,
      [connectionId, streams],
    );
    return n < streams.length;
  }

  async find(connectionId: string, stream: string): Promise<SyncCursor | null> {
    return this.db.getRepository(SyncCursor).findOneBy({ connectionId, stream });
  }

  /** The database's clock: a full read's start is compared with last_seen_at, which the database stamps. */
  async databaseNow(): Promise<Date> {
    const [{ now }] = (await this.db.query('SELECT now() AS now')) as Array<{ now: Date }>;
    return now;
  }

  /** A stream's read begins: `fullSyncStartedAt` set for a full read (null for an incremental one), the cursor kept. */
  async startRead(connectionId: string, stream: string, cursor: string | null, fullSyncStartedAt: Date | null): Promise<void> {
    await this.db.getRepository(SyncCursor).upsert({ connectionId, stream, cursor, fullSyncStartedAt }, ['connectionId', 'stream']);
  }

  /** An incremental read moves its cursor with each page (on the page's transaction). */
  async advance(connectionId: string, stream: string, cursor: string | null): Promise<void> {
    await this.db.update(SyncCursor, { connectionId, stream }, { cursor });
  }

  /** A full read completed: its cursor is kept now, and the stream counts as read in full. */
  async completeFullRead(connectionId: string, stream: string, cursor: string | null, completedAt: Date): Promise<void> {
    await this.db.update(SyncCursor, { connectionId, stream }, { cursor, fullSyncCompletedAt: completedAt, fullSyncStartedAt: null });
  }

  /** Where the helpdesk's ticket changes are read from next. */
  async ticketsCursor(connectionId: string): Promise<string | null> {
    const [saved] = await this.db.query(`SELECT cursor FROM sync_cursors WHERE connection_id = $1 AND stream = 'tickets'`, [connectionId]);
    return saved?.cursor ?? null;
  }

  async saveTicketsCursor(connectionId: string, cursor: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_cursors (connection_id, stream, cursor) VALUES ($1, 'tickets', $2)
           ON CONFLICT (connection_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = now()`,
      [connectionId, cursor],
    );
  }

  /** A stream's cursor outside the CRM sync (our tasks in a CRM). */
  async cursorOf(connectionId: string, stream: string): Promise<string | null> {
    const [saved] = await this.db.query(`SELECT cursor FROM sync_cursors WHERE connection_id = $1 AND stream = $2`, [connectionId, stream]);
    return saved?.cursor ?? null;
  }

  async saveCursor(connectionId: string, stream: string, cursor: string): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_cursors (connection_id, stream, cursor) VALUES ($1, $2, $3)
             ON CONFLICT (connection_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = now()`,
      [connectionId, stream, cursor],
    );
  }
}
