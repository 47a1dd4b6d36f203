import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { every } from '../every';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, CLOCK, Clock } from '../../../../libs/config/src';
import { Connection } from '../../../../libs/db/src';
import { JobQueue, QUEUE } from '../../../../libs/jobs/src';
import { ConnectorRegistryModule } from '../../../api/src/connections/connector-registry.module';
import { ProgramModule } from '../../../api/src/program/program.module';
import { ProgramService } from '../../../api/src/program/program.service';
import { HealthRefresh } from './health-refresh';
import { OutboxDispatcher } from './outbox-dispatcher';
import { TaskReadback } from './task-readback';

export const LOOP_TIMERS = {
  outboxMs: 2_000,
  readbackMs: 5 * 60_000,
  healthTickMs: 60 * 60_000,
};

/** Accounts per transaction in the nightly refresh. */
const HEALTH_CHUNK = 500;

/** rules §7, nightly for all: every account's health, and the CRM fields that changed, queued. */
@Injectable()
export class HealthNightly {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
  ) {}

  async refreshAll(): Promise<{ accounts: number; queued: number }> {
    const { rules } = await this.program.get();
    let after = '00000000-0000-0000-0000-000000000000';
    let accounts = 0;
    let queued = 0;
    for (;;) {
      const ids: string[] = (
        await this.db.query(`SELECT id FROM accounts WHERE deleted_at IS NULL AND id > $1 ORDER BY id LIMIT $2`, [after, HEALTH_CHUNK])
      ).map((r: { id: string }) => r.id);
      if (ids.length === 0) return { accounts, queued };
      queued += await this.db.transaction((tx) => new HealthRefresh(tx, rules, this.clock.now()).accounts(ids));
      accounts += ids.length;
      after = ids[ids.length - 1];
    }
  }
}

/** The loop's schedules: outbox delivery, task read-back, the nightly health refresh. */
@Injectable()
class LoopSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger('LoopSchedules');

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly jobs: JobQueue,
    private readonly outbox: OutboxDispatcher,
    private readonly readback: TaskReadback,
    private readonly health: HealthNightly,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private every(name: string, ms: number, work: () => Promise<unknown>): void {
    every(this.scheduler, this.logger, `loop:${name}`, ms, work);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work<{ day: string }>(QUEUE.refreshHealth, async () => void (await this.health.refreshAll()));
    if (!this.config.schedulesEnabled) return;
    this.every('outbox', LOOP_TIMERS.outboxMs, () => this.outbox.deliverDue());
    this.every('readback', LOOP_TIMERS.readbackMs, () => this.readback.readAll());
    this.every('health', LOOP_TIMERS.healthTickMs, () => this.enqueueNightly());
    await this.enqueueNightly();
  }

  /** Once per UTC day however many workers tick; the refresh itself only queues changes. */
  async enqueueNightly(): Promise<void> {
    const day = this.clock.now().toISOString().slice(0, 10);
    await this.jobs.enqueue(QUEUE.refreshHealth, { day }, { singletonKey: `health:${day}`, singletonSeconds: 12 * 3600 });
  }
}

@Module({
  imports: [ProgramModule, ConnectorRegistryModule, TypeOrmModule.forFeature([Connection])],
  providers: [OutboxDispatcher, TaskReadback, HealthNightly, LoopSchedules],
  exports: [OutboxDispatcher, TaskReadback, HealthNightly],
})
export class LoopModule {}
