import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import { ContactsRepository } from '@libs/db/src/repositories/contacts.repository';
import { SurveysRepository } from '@libs/db/src/repositories/surveys.repository';
import { calendarDaysUntil, decidePreRenewalRecipient, earliestSendTime, isoDateToDayNumber, MS_PER_DAY, planPreRenewalSurveys, sendWindowOf } from '@libs/nps/src';
import { ProgramService } from '../program/program.service';
import { planQuarterlyWaves } from './quarterly-wave-plan';
import { ContactRow, PlanOutcome, PlanRun, RelationalPlanCounts } from './relational-plan-run';

export type { PlanDecision, RelationalPlanCounts } from './relational-plan-run';

/**
 * The daily relational plan (rules §4): pre_renewal for accounts renewing in 60–90
 * calendar days (decision makers, else admins, else up to 5 contacts; once per renewal date)
 * at the first send window, then the quarterly wave spread over the business days of its month.
 * Every skip of a person is recorded with its reason. The same code runs read-only for the plan
 * preview (inside a transaction that is rolled back), so the preview and the plan agree.
 */
@Injectable()
export class RelationalSurveyPlanner {
  private readonly logger = new Logger('RelationalSurveys');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
  ) {}

  /** The plan, now, for real; runs one at a time across workers and the API's "plan now". */
  async planAll(): Promise<RelationalPlanCounts> {
    const session = this.db.createQueryRunner();
    await session.connect();
    try {
      const planning = new SurveysRepository(session.manager);
      await planning.lockPlanning();
      try {
        const counts = await this.planAt(this.clock.now(), this.db.manager, { lockRecipients: true });
        this.logger.log(counts, 'relational surveys planned');
        return counts;
      } finally {
        await planning.unlockPlanning();
      }
    } finally {
      await session.release();
    }
  }

  /** One plan run at `now` on `db` (the data source's manager, or a preview's transaction). */
  async planAt(now: Date, db: EntityManager, options: { lockRecipients: boolean; observe?: PlanRun['observe'] }): Promise<RelationalPlanCounts> {
    const { rules } = await this.program.get();
    const run: PlanRun = { now, db, rules, counts: { scheduled: 0, skipped: 0, cancelled: 0 }, ...options };
    await this.planPreRenewal(run);
    await planQuarterlyWaves(run, (surveys, contact, key, sourceRef, outcome, why, deadline) =>
      this.record(run, surveys, contact, 'quarterly', sourceRef, key, outcome, why, deadline),
    );
    return run.counts;
  }

  private async planPreRenewal(run: PlanRun): Promise<void> {
    const { now, rules } = run;
    const accounts = await new AccountsRepository(run.db).renewingBetween(now, rules.preRenewalMinDaysAhead, rules.preRenewalMaxDaysAhead);
    // The first window at or after now: the account is inside 60–90 days already.
    const sendAt = earliestSendTime(now, sendWindowOf(rules));
    for (const account of accounts) {
      await run.db.transaction(async (tx) => {
        const surveys = new SurveysRepository(tx);
        const contacts: ContactRow[] = await new ContactsRepository(tx).ofAccountForPlanning(account.id);
        const byId = new Map(contacts.map((c) => [c.id, c]));
        if (run.lockRecipients) for (const c of contacts) if (c.email) await surveys.lockRecipient(c.email);
        // One after another: a transaction is one connection, which runs one query at a time.
        const surveysByContact: Record<string, Awaited<ReturnType<SurveysRepository['surveysOf']>>> = {};
        for (const c of contacts) surveysByContact[c.id] = c.email ? await surveys.surveysOf(c.email) : [];
        const plan = planPreRenewalSurveys(
          {
            account: { id: account.id, renewalDate: account.renewal_date, surveyedRenewalDates: account.surveyed ?? [] },
            contacts: contacts.map((c) => ({ id: c.id, email: c.email, optedOut: c.opted_out, role: c.role })),
            surveysByContact,
            now,
          },
          rules,
        );
        // Sendable while the renewal is still at least 60 calendar days (UTC dates) ahead.
        const deadline = new Date((isoDateToDayNumber(account.renewal_date) - rules.preRenewalMinDaysAhead + 1) * MS_PER_DAY - 1);
        const why = `renews ${account.renewal_date} (${calendarDaysUntil(account.renewal_date, now)} days ahead)`;
        for (const { contactId } of plan.surveys) {
          const contact = byId.get(contactId)!;
          const outcome: PlanOutcome =
            sendAt > deadline ? { send: false, reason: 'capacity' } : decidePreRenewalRecipient({ contactSurveys: surveysByContact[contactId] ?? [], now: sendAt }, rules);
          if (outcome.send && outcome.cancelSurveyIds.length) {
            run.counts.cancelled += await surveys.cancelPending({ ids: [...outcome.cancelSurveyIds] }, 'superseded_by_pre_renewal');
          }
          const key = `pre_renewal:${account.id}:${account.renewal_date}:${contactId}`;
          await this.record(run, surveys, contact, 'pre_renewal', account.renewal_date, key, outcome, why, deadline);
        }
      });
    }
  }

  private async record(
    run: PlanRun,
    surveys: SurveysRepository,
    contact: ContactRow,
    trigger: 'pre_renewal' | 'quarterly',
    sourceRef: string,
    key: string,
    outcome: PlanOutcome,
    why: string,
    deadline: Date,
  ): Promise<void> {
    const id = await surveys.insert({
      stream: 'relational',
      trigger,
      idempotencyKey: key,
      sourceConnectionId: contact.connection_id,
      sourceRef,
      contactId: contact.id,
      accountId: contact.account_id,
      email: contact.email ?? '',
      recipientName: contact.first_name,
      context: {},
      status: outcome.send ? 'scheduled' : 'skipped',
      skipReason: outcome.send ? null : outcome.reason,
      scheduledAt: outcome.send ? outcome.sendAt : run.now,
      sendDeadlineAt: outcome.send ? deadline : null,
    });
    if (!id) return;
    run.counts[outcome.send ? 'scheduled' : 'skipped']++;
    run.observe?.({
      trigger,
      contactId: contact.id,
      email: contact.email,
      accountId: contact.account_id,
      status: outcome.send ? 'scheduled' : 'skipped',
      reason: outcome.send ? null : outcome.reason,
      scheduledAt: outcome.send ? outcome.sendAt : null,
      why,
    });
  }
}
