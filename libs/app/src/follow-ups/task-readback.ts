import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { crmConnectorFactory } from '@connectors/core/registry';
import { ConnectionsRepository } from '@libs/db/src/repositories/connections.repository';
import { FollowUpsRepository } from '@libs/db/src/repositories/follow-ups.repository';
import { SyncCursorsRepository } from '@libs/db/src/repositories/sync-cursors.repository';
import { ConnectorBuilder } from '../connections/connector-builder';

/** The read cursor of our tasks in a CRM, beside the sync cursors. */
const STREAM = 'nps_tasks';

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
    const rows = await new ConnectionsRepository(this.db.manager).usable();
    let changed = 0;
    for (const row of rows.filter((r) => crmConnectorFactory(r.kind))) changed += await this.read(row.id);
    return changed;
  }

  async read(connectionId: string): Promise<number> {
    if (!(await new FollowUpsRepository(this.db.manager).anyInVendor(connectionId))) return 0;
    const connection = await this.builder.loadWithCredentials(connectionId);
    if (!connection || connection.deletedAt) return 0;
    const connector = this.builder.build(connection).connector;
    // One read at a time per connection, across workers.
    return this.db.transaction(async (lockTx) => {
      if (!(await new FollowUpsRepository(lockTx).tryLockTaskReadback(`${STREAM}:${connectionId}`))) return 0;
      const saved = await new SyncCursorsRepository(this.db.manager).cursorOf(connectionId, STREAM);
      let changed = 0;
      for await (const page of connector.readTasks(saved)) {
        if (page.length === 0) continue;
        const cursor = page.reduce((max, t) => (t.modifiedAt > max ? t.modifiedAt : max), page[0].modifiedAt);
        changed += await this.db.transaction(async (tx) => {
          const n = await new FollowUpsRepository(tx).applyTaskClosures(
            connectionId,
            page.map((t) => ({ externalId: t.externalId, completedAt: t.completed ? t.completedAt : null })),
          );
          await new SyncCursorsRepository(tx).saveCursor(connectionId, STREAM, cursor);
          return n;
        });
      }
      if (changed) this.logger.log({ connectionId, changed }, 'follow-ups closed or reopened from the CRM');
      return changed;
    });
  }
}
