import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import { ContactsRepository } from '@libs/db/src/repositories/contacts.repository';
import { OptOutsRepository } from '@libs/db/src/repositories/opt-outs.repository';
import { ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { SurveysRepository } from '@libs/db/src/repositories/surveys.repository';
import { Category, Role, scoreCategory, segmentSnapshot, tagThemes } from '@libs/nps/src';
import { SettlementEffects } from '../follow-ups/settlement-effects';
import { ProgramService } from '../program/program.service';

export interface OpenSurvey {
  id: string;
  trigger: 'quarterly' | 'pre_renewal' | 'ticket_solved' | 'onboarding';
  stream: 'relational' | 'transactional';
  email: string;
  contactId: string | null;
  accountId: string | null;
  context: Record<string, unknown>;
  response: { score: number; category: Category; comment: string | null; referenceOptIn: boolean; settled: boolean } | null;
}

/** An expired survey still carries its data: its unsubscribe link works forever (rules §4). */
export type SurveyLookup = { state: 'open'; survey: OpenSurvey } | { state: 'expired'; survey: OpenSurvey } | { state: 'unknown' };

/**
 * What happens when a respondent is there (rules §5): the score is recorded (with the segment snapshot
 * frozen at first answer) when the page was visible long enough or at the first submit, may
 * change until the response settles, and settles at comment submit (or 30 minutes after the
 * last change, by the worker).
 */
@Injectable()
export class SurveyResponseService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
    private readonly effects: SettlementEffects,
  ) {}

  async find(token: string, db: EntityManager = this.db.manager): Promise<SurveyLookup> {
    const hash = createHash('sha256').update(token, 'utf8').digest('hex');
    const row = await new SurveysRepository(db).findSentByTokenHash(hash);
    if (!row) return { state: 'unknown' };
    const expired = row.expires_at !== null && this.clock.now() > new Date(row.expires_at);
    return {
      state: expired ? 'expired' : 'open',
      survey: {
        id: row.id,
        trigger: row.trigger,
        stream: row.stream,
        email: row.email,
        contactId: row.contact_id,
        accountId: row.account_id,
        context: row.context ?? {},
        response:
          row.score === null ? null : { score: row.score, category: row.category, comment: row.comment, referenceOptIn: row.reference_opt_in, settled: row.settled_at !== null },
      },
    };
  }

  /** Records or changes the score; a settled response keeps its answer. Score checked by the caller. */
  async recordScore(survey: OpenSurvey, score: number): Promise<OpenSurvey['response']> {
    const now = this.clock.now();
    const category = scoreCategory(score);
    if (survey.response?.settled) return survey.response;
    if (survey.response) {
      await new ResponsesRepository(this.db.manager).changeScore(survey.id, score, category, now);
      return { ...survey.response, score, category };
    }
    const { rules } = await this.program.get();
    const role = survey.contactId ? await new ContactsRepository(this.db.manager).roleOf(survey.contactId) : undefined;
    const account = survey.accountId ? await new AccountsRepository(this.db.manager).segmentOf(survey.accountId) : undefined;
    const snapshot = segmentSnapshot(
      { role: (role as Role | undefined) ?? 'other', account: { tier: account?.tier ?? null, arr: account?.arr ?? null, customerSince: account?.customer_since ?? null }, now },
      rules,
    );
    await this.db.transaction(async (tx) => {
      await new ResponsesRepository(tx).recordFirstScore({
        surveyId: survey.id,
        stream: survey.stream,
        trigger: survey.trigger,
        contactId: survey.contactId,
        accountId: survey.accountId,
        score,
        category,
        snapshot,
        at: now,
      });
      await new SurveysRepository(tx).markAnswered(survey.id);
    });
    return { score, category, comment: null, referenceOptIn: false, settled: false };
  }

  /**
   * The comment settles the response; its follow-ups commit with it. The reference opt-in counts
   * for promoters only, judged on the stored category (the score may have changed on this page).
   */
  async recordComment(survey: OpenSurvey, comment: string, referenceOptIn: boolean): Promise<void> {
    const { rules } = await this.program.get();
    const text = comment.trim() || null;
    await this.db.transaction(async (tx) => {
      const settled = await new ResponsesRepository(tx).settleWithComment(survey.id, text, tagThemes(text, rules), referenceOptIn, this.clock.now());
      await this.effects.afterSettle(tx, settled);
    });
  }

  /** The first submit on the answer page: the score and the comment together, settled at once. */
  async recordAnswer(survey: OpenSurvey, score: number, comment: string, referenceOptIn: boolean): Promise<void> {
    if (survey.response?.settled) return;
    await this.recordScore(survey, score);
    await this.recordComment(survey, comment, referenceOptIn);
  }

  /** Works for a survey of any age or state: an opt-out never expires (rules §4). */
  async unsubscribe(survey: OpenSurvey): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      await new OptOutsRepository(tx).record(survey.email, survey.id, now);
      await new ContactsRepository(tx).markUnsubscribed(survey.email, now);
      await new SurveysRepository(tx).cancelScheduledForOptOut(survey.email);
    });
  }
}
