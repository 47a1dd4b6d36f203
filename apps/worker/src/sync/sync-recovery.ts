import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../../libs/config/src';
import { StoppedSyncRun, SyncRunRepository } from '../../../../libs/db/src/repositories/sync-run.repository';
import { JobQueue, QUEUE } from '../../../../libs/jobs/src';
import { every } from '../every';
import { SyncRequest } from './crm-sync.service';

/** How often every worker looks for syncs a dead worker left behind. */
export const SYNC_RECOVERY_CHECK_MS = 30_000;

/**
 * Syncs a worker was running when it died (kill -9, a lost host) are resumed within about a
 * minute, by the next worker to start or by any worker already up, in the mode they ran in: a
 * killed full read resumes as a full read. A run counts as its worker's only while that worker
 * lives: its heartbeat (SYNC_RUN_STALE_SECONDS) and its connection's advisory lock, which
 * Postgres releases the moment the dead worker's session ends, must both say it is gone.
 * Runs stopped on purpose (a worker shutting down) are resumed the same way, without waiting for
 * the queue's retry backoff.
 */
@Injectable()
export class SyncRecovery implements OnApplicationBootstrap {
  private readonly logger = new Logger('SyncRecovery');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.resumeStopped().catch((error: Error) => this.logger.error({ error: error.message }, 'could not look for stopped syncs at start; the next check retries'));
    // Runs that still looked alive at start (a worker killed seconds ago) are looked at again the moment they would turn stale.
    const seconds = await new SyncRunRepository(this.dataSource.manager).secondsUntilNextStale().catch(() => null);
    if (seconds !== null) {
      const timer = setTimeout(() => void this.resumeStopped().catch((error: Error) => this.logger.error({ error: error.message }, 'could not look for stopped syncs')), (seconds + 1) * 1000);
      this.scheduler.addTimeout('crm-sync-recovery-after-start', timer);
    }
    if (this.config.schedulesEnabled) every(this.scheduler, this.logger, 'crm-sync-recovery', SYNC_RECOVERY_CHECK_MS, () => this.resumeStopped());
  }

  /** Enqueues a sync for every stopped run this worker claims first; returns those runs. */
  async resumeStopped(): Promise<StoppedSyncRun[]> {
    const resumed: StoppedSyncRun[] = [];
    for (const run of await new SyncRunRepository(this.dataSource.manager).stopped()) {
      if (await this.claim(run)) {
        const request: SyncRequest = { connectionId: run.connectionId, trigger: run.trigger, ...(run.mode === 'full' ? { full: true } : {}) };
        // One queued sync per connection: if one waits already, it inherits the full mode from this run's record.
        await this.jobs.enqueue(QUEUE.crmSync, request, { singletonKey: run.connectionId });
        this.logger.warn({ connectionId: run.connectionId, runId: run.id, mode: run.mode, was: run.status }, 'a stopped sync was handed to a new job');
        resumed.push(run);
      }
    }
    return resumed;
  }

  /** A running run is claimed only while holding its connection's lock, i.e. once no live worker holds it. */
  private async claim(run: StoppedSyncRun): Promise<boolean> {
    if (run.status === 'interrupted') return new SyncRunRepository(this.dataSource.manager).markResumed(run.id);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const locked = new SyncRunRepository(runner.manager);
      if (!(await locked.tryLock(run.connectionId))) {
        // Its worker's session is still open: slow, not dead. Its next page or heartbeat will say.
        this.logger.warn({ connectionId: run.connectionId, runId: run.id }, 'a sync has shown no sign of life for a minute but its worker still holds it');
        return false;
      }
      try {
        return await locked.interruptDead(run.id, 'the worker running this sync stopped (no heartbeat for a minute); a new run resumed it');
      } finally {
        await locked.unlock(run.connectionId);
      }
    } finally {
      await runner.release();
    }
  }
}
