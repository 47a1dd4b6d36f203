import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AlertEvaluation } from '@libs/app/src/alerts/alert-evaluation';
import { HealthNightly } from '@libs/app/src/follow-ups/health-nightly';
import { ImportCounting } from '@libs/app/src/import/import-counting';
import { TaskReadback } from '@libs/app/src/follow-ups/task-readback';
import { OutboxDispatcher } from '@libs/app/src/outbox/outbox-dispatcher';
import { APP_CONFIG, AppConfig, CLOCK, Clock } from '@libs/config/src';
import { JobQueue, QUEUE } from '@libs/jobs/src';
import { every } from '../every';

const LOOP_TIMERS = {
  outboxMs: 2_000,
  readbackMs: 5 * 60_000,
  healthTickMs: 60 * 60_000,
  importCountsMs: 60_000,
};

/** The loop's schedules: outbox delivery, task read-back, the nightly health refresh, the counts of imports whose process stopped. */
@Injectable()
class LoopSchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger('LoopSchedules');

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly jobs: JobQueue,
    private readonly outbox: OutboxDispatcher,
    private readonly readback: TaskReadback,
    private readonly health: HealthNightly,
    private readonly alerts: AlertEvaluation,
    private readonly importCounts: ImportCounting,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private every(name: string, ms: number, work: () => Promise<unknown>): void {
    every(this.scheduler, this.logger, `loop:${name}`, ms, work);
  }

  async onApplicationBootstrap(): Promise<void> {
    // The daily run also judges the rules §9 alerts not judged at each settle (once per day across workers).
    await this.jobs.work<{ day: string }>(QUEUE.refreshHealth, async () => {
      await this.health.refreshAll();
      await this.alerts.evaluateDaily();
    });
    if (!this.config.schedulesEnabled) return;
    this.every('outbox', LOOP_TIMERS.outboxMs, () => this.outbox.deliverDue());
    this.every('readback', LOOP_TIMERS.readbackMs, () => this.readback.readAll());
    this.every('health', LOOP_TIMERS.healthTickMs, () => this.enqueueNightly());
    // An import whose process stopped before it counted its answers (they stay out of the reports until then).
    this.every('import-counts', LOOP_TIMERS.importCountsMs, () => this.importCounts.countAbandoned());
    await this.enqueueNightly();
  }

  /** Once per UTC day however many workers tick; the refresh itself only queues changes. */
  async enqueueNightly(): Promise<void> {
    const day = this.clock.now().toISOString().slice(0, 10);
    await this.jobs.enqueue(QUEUE.refreshHealth, { day }, { singletonKey: `health:${day}`, singletonSeconds: 12 * 3600 });
  }
}

@Module({ providers: [LoopSchedules] })
export class LoopModule {}
