import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ConnectionsService } from '@libs/app/src/connections/connections.service';
import { SurveyDispatcher } from '@libs/app/src/delivery/survey-dispatcher';
import { RelationalSurveyPlanner } from '@libs/app/src/planning/relational-survey-planner';
import { TicketEvents } from '@libs/app/src/planning/ticket-events';
import { ResponseSettler } from '@libs/app/src/responses/settle-responses';
import { APP_CONFIG, AppConfig, CLOCK, Clock } from '@libs/config/src';
import { JobQueue, QUEUE } from '@libs/jobs/src';
import { every } from '../every';

const SURVEY_TIMERS = {
  deliveriesMs: 500,
  dispatchMs: 30_000,
  settleMs: 60_000,
  plannerTickMs: 60 * 60_000,
  reconcileMs: 10 * 60_000,
};

/** The survey schedules: each tick does a bounded amount of work and is safe on many workers. */
@Injectable()
class SurveySchedules implements OnApplicationBootstrap {
  private readonly logger = new Logger('SurveySchedules');

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly jobs: JobQueue,
    private readonly events: TicketEvents,
    private readonly dispatcher: SurveyDispatcher,
    private readonly settler: ResponseSettler,
    private readonly relational: RelationalSurveyPlanner,
    private readonly connections: ConnectionsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private every(name: string, ms: number, work: () => Promise<unknown>): void {
    every(this.scheduler, this.logger, `surveys:${name}`, ms, work);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work<{ day: string }>(QUEUE.planRelational, async () => void (await this.relational.planAll()));
    await this.jobs.work<{ connectionId: string }>(QUEUE.reconcileTickets, async (job) => void (await this.events.reconcile(job.data.connectionId)));
    if (!this.config.schedulesEnabled) return;
    this.every('deliveries', SURVEY_TIMERS.deliveriesMs, async () => {
      while ((await this.events.processDeliveries()) > 0);
    });
    this.every('dispatch', SURVEY_TIMERS.dispatchMs, () => this.dispatcher.dispatchDue());
    this.every('settle', SURVEY_TIMERS.settleMs, () => this.settler.settleDue());
    this.every('plan', SURVEY_TIMERS.plannerTickMs, () => this.enqueueDailyPlan());
    this.every('reconcile', SURVEY_TIMERS.reconcileMs, () => this.enqueueReconciliation());
    await this.enqueueDailyPlan();
  }

  /**
   * The relational plan, once per 12-hour slot of each UTC day however many workers tick (pg-boss
   * caps a throttle slot at its 12 h archive interval); the plan itself is idempotent.
   */
  async enqueueDailyPlan(): Promise<void> {
    const day = this.clock.now().toISOString().slice(0, 10);
    await this.jobs.enqueue(QUEUE.planRelational, { day }, { singletonKey: `plan:${day}`, singletonSeconds: 12 * 3600 });
  }

  async enqueueReconciliation(): Promise<void> {
    for (const id of await this.connections.activeHelpdeskIds()) await this.jobs.enqueue(QUEUE.reconcileTickets, { connectionId: id }, { singletonKey: id });
  }
}

@Module({ providers: [SurveySchedules] })
export class SurveysWorkerModule {}
