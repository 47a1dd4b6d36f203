import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '../../../../libs/config/src';
import { SurveyRepository } from '../../../../libs/db/src/repositories/survey.repository';
import {
  addDays,
  decideQuarterlySurvey,
  planPreRenewalSurveys,
  ProgramSettings,
  quarterOf,
  Role,
  SurveyDecision,
} from '../../../../libs/nps/src';
import { ProgramService } from '../../../api/src/program/program.service';

interface ContactRow {
  id: string;
  email: string | null;
  first_name: string | null;
  role: Role;
  opted_out: boolean;
  account_id: string;
  connection_id: string;
}

const BATCH = 500;

/** Surveys are created when due within this horizon; later ones wait for a later daily run. */
const HORIZON_DAYS = 1;

export interface RelationalPlanCounts {
  scheduled: number;
  skipped: number;
  cancelled: number;
}

/**
 * The daily relational plan (nps-program.md §4): pre_renewal for accounts renewing in 60–90
 * calendar days (decision makers, else admins, else up to 5 contacts; once per renewal date),
 * then the quarterly wave. Every skip of a person is recorded with its reason.
 */
@Injectable()
export class RelationalSurveyPlanner {
  private readonly logger = new Logger('RelationalSurveys');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
  ) {}

  async planAll(): Promise<RelationalPlanCounts> {
    const { rules } = await this.program.get();
    const counts = { scheduled: 0, skipped: 0, cancelled: 0 };
    await this.planPreRenewal(rules, counts);
    await this.planQuarterly(rules, counts);
    this.logger.log(counts, 'relational surveys planned');
    return counts;
  }

  private contactsSql(where: string): string {
    return `SELECT c.id, c.email, c.first_name, c.role, c.account_id, c.connection_id,
                   (c.unsubscribed_at IS NOT NULL OR EXISTS (SELECT 1 FROM opt_outs o WHERE o.email = lower(c.email))) AS opted_out
            FROM contacts c WHERE c.deleted_at IS NULL AND ${where}`;
  }

  private async planPreRenewal(rules: ProgramSettings, counts: RelationalPlanCounts): Promise<void> {
    const now = this.clock.now();
    const accounts: Array<{ id: string; renewal_date: string; surveyed: string[] | null }> = await this.db.query(
      `SELECT a.id, to_char(a.renewal_date, 'YYYY-MM-DD') AS renewal_date,
              (SELECT array_agg(DISTINCT s.source_ref) FROM surveys s
                WHERE s.account_id = a.id AND s.trigger = 'pre_renewal' AND s.status <> 'cancelled') AS surveyed
       FROM accounts a
       WHERE a.deleted_at IS NULL AND a.active
         AND a.renewal_date BETWEEN ($1::timestamptz AT TIME ZONE 'UTC')::date + $2::int AND ($1::timestamptz AT TIME ZONE 'UTC')::date + $3::int`,
      [now, rules.preRenewalMinDaysAhead, rules.preRenewalMaxDaysAhead],
    );
    for (const account of accounts) {
      await this.db.transaction(async (tx) => {
        const surveys = new SurveyRepository(tx);
        const contacts: ContactRow[] = await tx.query(this.contactsSql('c.account_id = $1'), [account.id]);
        const byId = new Map(contacts.map((c) => [c.id, c]));
        for (const c of contacts) if (c.email) await surveys.lockRecipient(c.email);
        const surveysByContact = Object.fromEntries(
          await Promise.all(contacts.map(async (c) => [c.id, c.email ? await surveys.surveysOf(c.email) : []] as const)),
        );
        const plan = planPreRenewalSurveys(
          {
            account: { id: account.id, renewalDate: account.renewal_date, surveyedRenewalDates: account.surveyed ?? [] },
            contacts: contacts.map((c) => ({ id: c.id, email: c.email, optedOut: c.opted_out, role: c.role })),
            surveysByContact,
            now,
          },
          rules,
        );
        for (const { contactId, decision } of plan.surveys) {
          const contact = byId.get(contactId)!;
          if (decision.send && decision.cancelSurveyIds.length) {
            counts.cancelled += await surveys.cancelPending({ ids: [...decision.cancelSurveyIds] }, 'superseded_by_pre_renewal');
          }
          await this.record(surveys, counts, contact, 'pre_renewal', account.renewal_date, `pre_renewal:${account.id}:${account.renewal_date}:${contactId}`, decision);
        }
      });
    }
  }

  private async planQuarterly(rules: ProgramSettings, counts: RelationalPlanCounts): Promise<void> {
    const now = this.clock.now();
    const quarter = quarterOf(now);
    const horizon = addDays(now, HORIZON_DAYS);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const contacts: Array<ContactRow & { account_active: boolean; planned: boolean }> = await this.db.query(
        `SELECT * FROM (${this.contactsSql('c.id > $1 AND c.account_id IS NOT NULL')}) c
           CROSS JOIN LATERAL (SELECT a.active AND a.deleted_at IS NULL AS account_active FROM accounts a WHERE a.id = c.account_id) a
           CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM surveys s WHERE s.idempotency_key = 'quarterly:' || $2 || ':' || c.id::text) AS planned) p
         ORDER BY c.id LIMIT ${BATCH}`,
        [after, quarter],
      );
      if (!contacts.length) return;
      after = contacts[contacts.length - 1].id;
      for (const contact of contacts.filter((c) => !c.planned)) {
        await this.db.transaction(async (tx) => {
          const surveys = new SurveyRepository(tx);
          if (contact.email) await surveys.lockRecipient(contact.email);
          const decision = decideQuarterlySurvey(
            {
              contact: { id: contact.id, email: contact.email, optedOut: contact.opted_out },
              accountActive: contact.account_active,
              contactSurveys: contact.email ? await surveys.surveysOf(contact.email) : [],
              now,
            },
            rules,
          );
          if (decision.send && decision.sendAt > horizon) return; // not its wave month yet
          if (!decision.send && decision.reason === 'already_surveyed_this_quarter') return;
          await this.record(surveys, counts, contact, 'quarterly', quarter, `quarterly:${quarter}:${contact.id}`, decision);
        });
      }
    }
  }

  private async record(
    surveys: SurveyRepository,
    counts: RelationalPlanCounts,
    contact: ContactRow,
    trigger: 'pre_renewal' | 'quarterly',
    sourceRef: string,
    key: string,
    decision: SurveyDecision,
  ): Promise<void> {
    const now = this.clock.now();
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
      status: decision.send ? 'scheduled' : 'skipped',
      skipReason: decision.send ? null : decision.reason,
      scheduledAt: decision.send ? decision.sendAt : now,
      sendDeadlineAt: null,
    });
    if (id) counts[decision.send ? 'scheduled' : 'skipped']++;
  }
}
