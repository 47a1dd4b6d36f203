import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { returnedRows } from '@libs/db/src/query-result';
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
    const [row] = await db.query(
      `SELECT s.id, s.trigger, s.stream, s.email, s.contact_id, s.account_id, s.context, s.expires_at,
              r.score, r.category, r.comment, r.reference_opt_in, r.settled_at
       FROM surveys s LEFT JOIN responses r ON r.survey_id = s.id
       WHERE s.token_hash = $1 AND s.status IN ('sent', 'answered')`,
      [hash],
    );
    if (!row) return { state: 'unknown' };
    const expired = Boolean(row.expires_at) && this.clock.now() > new Date(row.expires_at);
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
          row.score === null
            ? null
            : { score: row.score, category: row.category, comment: row.comment, referenceOptIn: row.reference_opt_in, settled: row.settled_at !== null },
      },
    };
  }

  /** Records or changes the score; a settled response keeps its answer. Score checked by the caller. */
  async recordScore(survey: OpenSurvey, score: number): Promise<OpenSurvey['response']> {
    const now = this.clock.now();
    const category = scoreCategory(score);
    if (survey.response?.settled) return survey.response;
    if (survey.response) {
      await this.db.query(
        `UPDATE responses SET score = $2, category = $3, last_changed_at = $4, updated_at = now() WHERE survey_id = $1 AND settled_at IS NULL`,
        [survey.id, score, category, now],
      );
      return { ...survey.response, score, category };
    }
    const { rules } = await this.program.get();
    const [contact] = survey.contactId ? await this.db.query(`SELECT role FROM contacts WHERE id = $1`, [survey.contactId]) : [];
    const [account] = survey.accountId
      ? await this.db.query(`SELECT tier, arr, to_char(customer_since, 'YYYY-MM-DD') AS customer_since FROM accounts WHERE id = $1`, [survey.accountId])
      : [];
    const snapshot = segmentSnapshot(
      { role: (contact?.role as Role) ?? 'other', account: { tier: account?.tier ?? null, arr: account?.arr ?? null, customerSince: account?.customer_since ?? null }, now },
      rules,
    );
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO responses (survey_id, stream, trigger, contact_id, account_id, score, category, role_snapshot, tier_snapshot,
                                arr_band_snapshot, tenure_band_snapshot, enterprise_snapshot, first_answered_at, last_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
         ON CONFLICT (survey_id) DO UPDATE SET score = excluded.score, category = excluded.category, last_changed_at = excluded.last_changed_at
           WHERE responses.settled_at IS NULL`,
        [survey.id, survey.stream, survey.trigger, survey.contactId, survey.accountId, score, category, snapshot.role, snapshot.tier,
          snapshot.arrBand, snapshot.tenureBand, snapshot.enterprise, now],
      );
      await tx.query(`UPDATE surveys SET status = 'answered', updated_at = now() WHERE id = $1`, [survey.id]);
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
      const result = await tx.query(
        `UPDATE responses SET comment = $2, themes = $3, reference_opt_in = ($4 AND category = 'promoter'), settled_at = $5, updated_at = now()
         WHERE survey_id = $1 AND settled_at IS NULL RETURNING id`,
        [survey.id, text, tagThemes(text, rules), referenceOptIn, this.clock.now()],
      );
      await this.effects.afterSettle(tx, returnedRows<{ id: string }>(result).map((r) => r.id));
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
      await tx.query(`INSERT INTO opt_outs (email, survey_id, opted_out_at) VALUES (lower($1), $2, $3) ON CONFLICT (email) DO NOTHING`, [
        survey.email,
        survey.id,
        now,
      ]);
      await tx.query(`UPDATE contacts SET unsubscribed_at = coalesce(unsubscribed_at, $2) WHERE lower(email) = lower($1)`, [survey.email, now]);
      await tx.query(`UPDATE surveys SET status = 'cancelled', skip_reason = 'opted_out' WHERE lower(email) = lower($1) AND status = 'scheduled'`, [survey.email]);
    });
  }
}
