import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, CLOCK, Clock, publicBaseUrl } from '@libs/config/src';
import { ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { AlertEvaluation } from '../alerts/alert-evaluation';
import { ProgramService } from '../program/program.service';
import { FollowUpPlanner } from './follow-up-planner';

/**
 * Called by whatever settles responses (the comment on the survey page, the 30-minute rule), on
 * its transaction: the follow-ups, write-backs and field changes commit with the settle.
 */
@Injectable()
export class SettlementEffects {
  constructor(
    private readonly program: ProgramService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly alerts: AlertEvaluation,
  ) {}

  async afterSettle(tx: EntityManager, responseIds: readonly string[]): Promise<void> {
    if (responseIds.length === 0) return;
    const { rules } = await this.program.get();
    await new FollowUpPlanner(tx, rules, publicBaseUrl(this.config), this.clock.now()).planSettled(responseIds);
    // The quadrant the health refresh just computed is the one the reports file these responses under.
    await new ResponsesRepository(tx).snapshotQuadrant(responseIds);
    // rules §9: the alerts a settle can change cheaply (role gap, emerging theme) commit with it.
    await this.alerts.afterSettle(tx, responseIds);
  }
}
