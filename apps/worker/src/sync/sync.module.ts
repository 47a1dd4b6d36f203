import { BeforeApplicationShutdown, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConnectorRegistryModule } from '../../../api/src/connections/connector-registry.module';
import { Connection, SyncCursor, SyncRun } from '../../../../libs/db/src';
import { JobQueue, QUEUE } from '../../../../libs/jobs/src';
import { CrmSyncService, SyncRequest } from './crm-sync.service';
import { SyncRecovery } from './sync-recovery';
import { SyncSchedule } from './sync-schedule';

/** Consumes crm.sync jobs; on shutdown, running syncs stop after their current page. */
@Injectable()
class CrmSyncConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly stopping = new AbortController();

  constructor(
    private readonly jobs: JobQueue,
    private readonly sync: CrmSyncService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work<SyncRequest>(QUEUE.crmSync, async (job) => {
      await this.sync.run(job.data, this.stopping.signal);
    }, { concurrency: 2 });
  }

  beforeApplicationShutdown(): void {
    this.stopping.abort(new Error('worker stopping'));
  }
}

@Module({
  imports: [ConnectorRegistryModule, TypeOrmModule.forFeature([Connection, SyncRun, SyncCursor])],
  providers: [CrmSyncService, CrmSyncConsumer, SyncSchedule, SyncRecovery],
  exports: [CrmSyncService, SyncSchedule, SyncRecovery],
})
export class SyncModule {}
