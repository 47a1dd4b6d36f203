import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import { ScheduledSurveyRow, SurveysRepository } from '@libs/db/src/repositories/surveys.repository';
import { addDays, earliestSendTime, localDayBounds, MS_PER_DAY, sendWindowOf } from '@libs/nps/src';
import { PlanDecision, RelationalSurveyPlanner } from './relational-survey-planner';
import { ProgramService } from '../program/program.service';
import { PlannedSurveyDto, PlanPreviewDto, PlanRunDto, SkippedPersonDto } from './plan.dto';

/**
 * The daily plan's runs between two instants: now, then the start of each following UTC day
 * (when the daily relational plan job runs).
 */
function planRunTimes(from: Date, to: Date): Date[] {
  const times = [from];
  for (let day = Math.floor(from.getTime() / MS_PER_DAY) + 1; day * MS_PER_DAY < to.getTime(); day++) times.push(new Date(day * MS_PER_DAY));
  return times;
}

/**
 * Plan preview and "plan now" (rules §4). The preview runs the real relational plan —
 * the same code, day by day over the horizon — inside one transaction that is rolled back, so
 * it says exactly what the plan would do and writes nothing.
 */
@Injectable()
export class PlanService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
    private readonly planner: RelationalSurveyPlanner,
  ) {}

  async run(): Promise<PlanRunDto> {
    return this.planner.planAll();
  }

  async preview(days: number): Promise<PlanPreviewDto> {
    const { rules, live } = await this.program.get();
    const window = sendWindowOf(rules);
    const from = this.clock.now();
    const to = addDays(from, days);
    const runner = this.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const db = runner.manager;
      const surveyRows = new SurveysRepository(db);
      const before = await surveyRows.scheduledBefore(to);
      const decisions: Array<PlanDecision & { planDay: string }> = [];
      let cancelled = 0;
      for (const at of planRunTimes(from, to)) {
        const planDay = localDayBounds(at, window.timeZone).date;
        const counts = await this.planner.planAt(at, db, { lockRecipients: false, observe: (d) => decisions.push({ ...d, planDay }) });
        cancelled += counts.cancelled;
      }
      // A pending survey the plan cancels (superseded by pre_renewal) no longer goes out.
      const kept = new Set<string>(await surveyRows.stillScheduled(before.map((s) => s.id)));
      const names = await this.accountNames(db, [...before.map((s) => s.account_id), ...decisions.map((d) => d.accountId)]);
      const dayOf = (at: Date) => localDayBounds(earliestSendTime(at < from ? from : at, window), window.timeZone).date;
      const surveys: PlannedSurveyDto[] = [
        ...before.filter((s) => kept.has(s.id)).map((s) => existing(s, names, dayOf)),
        ...decisions
          .filter((d) => d.status === 'scheduled' && d.scheduledAt! < to)
          .map((d) => ({
            day: dayOf(d.scheduledAt!),
            scheduledAt: d.scheduledAt!,
            trigger: d.trigger,
            stream: 'relational',
            contactId: d.contactId,
            email: d.email,
            accountId: d.accountId,
            accountName: names.get(d.accountId) ?? null,
            why: d.why,
            alreadyScheduled: false,
          })),
      ].sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
      const skipped: SkippedPersonDto[] = decisions
        .filter((d) => d.status === 'skipped')
        .map((d) => ({
          day: d.planDay,
          trigger: d.trigger,
          stream: 'relational',
          contactId: d.contactId,
          email: d.email,
          accountId: d.accountId,
          accountName: names.get(d.accountId) ?? null,
          reason: d.reason!,
          why: d.why,
        }));
      return {
        from,
        to,
        days,
        timeZone: window.timeZone,
        live,
        surveys,
        skipped,
        perDay: tally(surveys.map((s) => s.day)),
        perReason: tally(skipped.map((s) => s.reason)),
        cancelled,
      };
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  private async accountNames(db: EntityManager, ids: Array<string | null>): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    return new AccountsRepository(db).namesOf(unique);
  }
}

function existing(s: ScheduledSurveyRow, names: Map<string, string>, dayOf: (at: Date) => string): PlannedSurveyDto {
  return {
    day: dayOf(new Date(s.scheduled_at)),
    scheduledAt: new Date(s.scheduled_at),
    trigger: s.trigger,
    stream: s.stream,
    contactId: s.contact_id,
    email: s.email,
    accountId: s.account_id,
    accountName: s.account_id ? (names.get(s.account_id) ?? null) : null,
    why: 'already scheduled',
    alreadyScheduled: true,
  };
}

function tally(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}
