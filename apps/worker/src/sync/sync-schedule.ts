import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CRM_CONNECTORS } from '../../../../connectors/core/registry';
import { APP_CONFIG, AppConfig } from '../../../../libs/config/src';
import { JobQueue, QUEUE } from '../../../../libs/jobs/src';

/**
 * Every SYNC_INTERVAL_MINUTES, enqueues one sync per CRM connection. The queue keeps one queued
 * job per connection however many workers tick, and the run's advisory lock one running. A connection whose credentials failed gets one attempt per tick, no more; one
 * paused for its API budget waits until its pause ends.
 */
@Injectable()
export class SyncSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger('SyncSchedule');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.schedulesEnabled) return;
    const timer = setInterval(() => void this.tick().catch((e: Error) => this.logger.error(`sync tick failed: ${e.message}`)), this.config.syncIntervalMinutes * 60_000);
    this.scheduler.addInterval('crm-sync', timer);
  }

  async tick(): Promise<number> {
    const due: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM connections
       WHERE deleted_at IS NULL AND kind = ANY($1::text[]) AND status <> 'disabled'
         AND (paused_until IS NULL OR paused_until <= now())`,
      [Object.keys(CRM_CONNECTORS)],
    );
    let enqueued = 0;
    for (const { id } of due) {
      const job = await this.jobs.enqueue(QUEUE.crmSync, { connectionId: id, trigger: 'schedule' }, { singletonKey: id });
      if (job) enqueued++;
    }
    return enqueued;
  }
}
