import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { crmConnectorFactory } from '@connectors/core/registry';
import { affectedCount } from '@libs/db/src/query-result';
import { ConnectorBuilder } from '../connections/connector-builder';

/** The read cursor of our tasks in a CRM, beside the sync cursors. */
const STREAM = 'nps_tasks';

export interface TaskClosure {
  externalId: string;
  /** null: the task is open (again). */
  completedAt: string | null;
}

/**
 * Applies what the vendor says about the tasks we created: a completed task (or solved task
 * ticket) closes its follow-up, keeping the time it was completed; a task reopened in the CRM
 * opens it again. Returns how many follow-ups changed.
 */
export async function applyTaskClosures(db: EntityManager, connectionId: string, closures: readonly TaskClosure[]): Promise<number> {
  if (closures.length === 0) return 0;
  const result = await db.query(
    `UPDATE follow_ups f SET status = CASE WHEN c.completed_at IS NULL THEN 'open' ELSE 'completed' END,
            completed_at = c.completed_at, updated_at = now()
     FROM unnest($2::text[], $3::timestamptz[]) AS c(external_id, completed_at)
     WHERE f.target_connection_id = $1 AND f.external_id = c.external_id AND f.status IN ('open', 'completed')
       AND f.completed_at IS DISTINCT FROM c.completed_at
     RETURNING f.id`,
    [connectionId, closures.map((c) => c.externalId), closures.map((c) => c.completedAt)],
  );
  return affectedCount(result);
}

/**
 * Loop closure for a CRM: reads our tasks changed since the last read (an incremental cursor
 * on the task's modification time), page by page, each page applied with its cursor in one
 * transaction. Skipped entirely while no follow-up of the connection is in the CRM: no calls.
 */
@Injectable()
export class TaskReadback {
  private readonly logger = new Logger('LoopClosure');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly builder: ConnectorBuilder,
  ) {}

  async readAll(): Promise<number> {
    const rows: Array<{ id: string; kind: string }> = await this.db.query(
      `SELECT id, kind FROM connections WHERE deleted_at IS NULL AND status NOT IN ('disabled', 'auth_failed')`,
    );
    let changed = 0;
    for (const row of rows.filter((r) => crmConnectorFactory(r.kind))) changed += await this.read(row.id);
    return changed;
  }

  async read(connectionId: string): Promise<number> {
    const [pending] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM follow_ups WHERE target_connection_id = $1 AND external_id IS NOT NULL AND status IN ('open', 'completed')) AS any`,
      [connectionId],
    );
    if (!pending.any) return 0;
    const connection = await this.builder.loadWithCredentials(connectionId);
    if (!connection || connection.deletedAt) return 0;
    const connector = this.builder.build(connection).connector;
    // One read at a time per connection, across workers.
    return this.db.transaction(async (lockTx) => {
      const [lock] = await lockTx.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7)) AS got`, [`${STREAM}:${connectionId}`]);
      if (!lock.got) return 0;
      const [saved] = await this.db.query(`SELECT cursor FROM sync_cursors WHERE connection_id = $1 AND stream = $2`, [connectionId, STREAM]);
      let changed = 0;
      for await (const page of connector.readTasks(saved?.cursor ?? null)) {
        if (page.length === 0) continue;
        const cursor = page.reduce((max, t) => (t.modifiedAt > max ? t.modifiedAt : max), page[0].modifiedAt);
        changed += await this.db.transaction(async (tx) => {
          const n = await applyTaskClosures(tx, connectionId, page.map((t) => ({ externalId: t.externalId, completedAt: t.completed ? t.completedAt : null })));
          await tx.query(
            `INSERT INTO sync_cursors (connection_id, stream, cursor) VALUES ($1, $2, $3)
             ON CONFLICT (connection_id, stream) DO UPDATE SET cursor = excluded.cursor, updated_at = now()`,
            [connectionId, STREAM, cursor],
          );
          return n;
        });
      }
      if (changed) this.logger.log({ connectionId, changed }, 'follow-ups closed or reopened from the CRM');
      return changed;
    });
  }
}
