import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StoppedSyncRun, SyncRunsRepository } from '@libs/db/src/repositories/sync-runs.repository';
import { JobQueue, QUEUE } from '@libs/jobs/src';
import { SyncRequest } from './crm-sync.service';

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
export class SyncRecovery {
  private readonly logger = new Logger('SyncRecovery');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  /** Seconds until the next run that still looks alive would turn stale; null when none runs. */
  secondsUntilNextStale(): Promise<number | null> {
    return new SyncRunsRepository(this.dataSource.manager).secondsUntilNextStale();
  }

  /** Enqueues a sync for every stopped run this worker claims first; returns those runs. */
  async resumeStopped(): Promise<StoppedSyncRun[]> {
    const resumed: StoppedSyncRun[] = [];
    for (const run of await new SyncRunsRepository(this.dataSource.manager).stopped()) {
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
    if (run.status === 'interrupted') return new SyncRunsRepository(this.dataSource.manager).markResumed(run.id);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const locked = new SyncRunsRepository(runner.manager);
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
