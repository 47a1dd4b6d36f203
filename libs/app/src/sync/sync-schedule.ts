import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CRM_CONNECTORS } from '@connectors/core/registry';
import { ConnectionsRepository } from '@libs/db/src/repositories/connections.repository';
import { JobQueue, QUEUE } from '@libs/jobs/src';

/**
 * Each tick (every SYNC_INTERVAL_MINUTES, from the worker), enqueues one sync per CRM connection. The queue keeps one queued
 * job per connection however many workers tick, and the run's advisory lock one running. A connection whose credentials failed gets one attempt per tick, no more; one
 * paused for its API budget waits until its pause ends.
 */
@Injectable()
export class SyncSchedule {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  /** Enqueues the scheduled sync of every CRM connection that may sync now; returns how many were queued. */
  async tick(): Promise<number> {
    const due = await new ConnectionsRepository(this.dataSource.manager).dueForSync(Object.keys(CRM_CONNECTORS));
    let enqueued = 0;
    for (const id of due) {
      const job = await this.jobs.enqueue(QUEUE.crmSync, { connectionId: id, trigger: 'schedule' }, { singletonKey: id });
      if (job) enqueued++;
    }
    return enqueued;
  }
}
