import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReportPeopleRepository } from '@libs/db/src/repositories/report-people.repository';
import { ReportResponsesRepository } from '@libs/db/src/repositories/report-responses.repository';
import { PeriodKey } from '@libs/nps/src';
import { countsOf, PerStream, STREAMS, TrendPoint, trendPoints } from './nps-reports.service';
import { responseFilter } from './report-filter';

/** How many rows a view lists (newest first); the reports hold the totals. */
const VIEW_LIMIT = 200;
const PENDING = new Set(['scheduled', 'sending']);

/** The account and person views: one account's or one person's whole story in the program. */
@Injectable()
export class ReportViewsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** An account: its people and roles, responses, NPS per quarter and stream, health and follow-ups. */
  async account(accountId: string) {
    const people = new ReportPeopleRepository(this.db.manager);
    const account = await people.account(accountId);
    if (!account) throw new NotFoundException(`no account with id ${accountId}`);
    const rows = await new ReportResponsesRepository(this.db.manager).countsByPeriod({ ...responseFilter({}), accountId }, 'quarter');
    const npsByQuarter = {} as PerStream<TrendPoint[]>;
    for (const stream of STREAMS) {
      const mine = new Map(rows.filter((r) => r.stream === stream).map((r) => [r.period as PeriodKey, countsOf(r)]));
      const keys = [...mine.keys()].sort();
      npsByQuarter[stream] = keys.length ? trendPoints(stream, mine, 'quarter', keys[0], keys[keys.length - 1]) : [];
    }
    const [health, roles, responses, followUps] = await Promise.all([
      people.accountHealth(accountId),
      people.accountPeople(accountId),
      people.accountAnswers(accountId, VIEW_LIMIT),
      people.accountFollowUps(accountId, VIEW_LIMIT),
    ]);
    return { account, health: health ?? null, people: roles, npsByQuarter, responses, followUps };
  }

  /** A person: answers, surveys sent and skipped (with reasons), the next planned survey, unsubscribe state. */
  async person(contactId: string) {
    const people = new ReportPeopleRepository(this.db.manager);
    const person = await people.person(contactId);
    if (!person) throw new NotFoundException(`no person with id ${contactId}`);
    const [answers, surveys] = await Promise.all([people.personAnswers(contactId, VIEW_LIMIT), people.personSurveys(contactId, person.email, VIEW_LIMIT)]);
    const pending = surveys.filter((s) => PENDING.has(s.status as string));
    return {
      person,
      unsubscribed: person.unsubscribedAt !== null,
      answers,
      sent: surveys.filter((s) => s.sentAt !== null),
      skipped: surveys.filter((s) => s.status === 'skipped' || s.status === 'cancelled'),
      nextPlanned: pending.length ? pending[pending.length - 1] : null,
    };
  }
}
