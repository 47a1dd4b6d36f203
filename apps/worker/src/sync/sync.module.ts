import { BeforeApplicationShutdown, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CrmSyncService, SyncRequest } from '@libs/app/src/sync/crm-sync.service';
import { SyncRecovery } from '@libs/app/src/sync/sync-recovery';
import { SyncSchedule } from '@libs/app/src/sync/sync-schedule';
import { APP_CONFIG, AppConfig } from '@libs/config/src';
import { JobQueue, QUEUE } from '@libs/jobs/src';
import { every } from '../every';

/** How often every worker looks for syncs a dead worker left behind. */
const SYNC_RECOVERY_CHECK_MS = 30_000;

/** Consumes crm.sync jobs; on shutdown, running syncs stop after their current page. */
@Injectable()
class CrmSyncConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly stopping = new AbortController();

  constructor(
    private readonly jobs: JobQueue,
    private readonly sync: CrmSyncService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work<SyncRequest>(
      QUEUE.crmSync,
      async (job) => {
        await this.sync.run(job.data, this.stopping.signal);
      },
      { concurrency: 2 },
    );
  }

  beforeApplicationShutdown(): void {
    this.stopping.abort(new Error('worker stopping'));
  }
}

/**
 * The sync schedules: every SYNC_INTERVAL_MINUTES a sync per CRM connection; at start and every
 * 30 s, syncs a dead worker left behind are resumed.
 */
@Injectable()
class SyncSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger('SyncSchedules');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly schedule: SyncSchedule,
    private readonly recovery: SyncRecovery,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const resume = () =>
      this.recovery.resumeStopped().catch((error: Error) => this.logger.error({ error: error.message }, 'could not look for stopped syncs; the next check retries'));
    await resume();
    // Runs that still looked alive at start (a worker killed seconds ago) are looked at again the moment they would turn stale.
    const seconds = await this.recovery.secondsUntilNextStale().catch(() => null);
    if (seconds !== null)
      this.scheduler.addTimeout(
        'crm-sync-recovery-after-start',
        setTimeout(() => void resume(), (seconds + 1) * 1000),
      );
    if (!this.config.schedulesEnabled) return;
    every(this.scheduler, this.logger, 'crm-sync-recovery', SYNC_RECOVERY_CHECK_MS, () => this.recovery.resumeStopped());
    every(this.scheduler, this.logger, 'crm-sync', this.config.syncIntervalMinutes * 60_000, () => this.schedule.tick());
  }
}

@Module({ providers: [CrmSyncConsumer, SyncSchedules] })
export class SyncModule {}
