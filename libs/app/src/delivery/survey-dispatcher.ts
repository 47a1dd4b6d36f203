import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, CLOCK, Clock, publicBaseUrl } from '@libs/config/src';
import { AccountsRepository } from '@libs/db/src/repositories/accounts.repository';
import { OptOutsRepository } from '@libs/db/src/repositories/opt-outs.repository';
import { DueSurvey, SurveysRepository } from '@libs/db/src/repositories/surveys.repository';
import { isInsideSendWindow, isSuppressed, localDayBounds, sendWindowOf, streamOfTrigger, surveyLinkExpiresAt } from '@libs/nps/src';
import { ProgramService } from '../program/program.service';
import { MailTransport } from './mail-transport';
import { renderSurveyEmail } from './survey-email';

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Claims left in `sending` longer than this are treated as sent (see recoverStaleClaims). */
const STALE_CLAIM_MINUTES = 10;
const MAX_ATTEMPTS = 10;

/** SMTP retry backoff: 1, 2, 4 … minutes, at most 2 hours between attempts. */
function backoffMinutes(attempt: number): number {
  return Math.min(120, 2 ** Math.max(0, attempt - 1));
}

/**
 * Sends due surveys. A survey is claimed (status `sending`, token hash stored) in its own
 * transaction before SMTP is spoken, so two workers never send it twice; an SMTP failure puts
 * it back with a backoff; a crash between SMTP accepting and our `sent` leaves a stale claim,
 * which is taken as sent rather than risk a second email.
 */
@Injectable()
export class SurveyDispatcher {
  private readonly logger = new Logger('SurveyDispatch');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly program: ProgramService,
    private readonly mail: MailTransport,
  ) {}

  /**
   * Sends what is due, only while the program is live and inside its send window, at most
   * dailySendCap per local day (counting what was sent or is being sent that day), oldest due
   * first, then the lower survey id. What the cap leaves waits for the next window.
   */
  async dispatchDue(limit = 50): Promise<{ sent: number; skipped: number; failed: number }> {
    const result = { sent: 0, skipped: 0, failed: 0 };
    await this.recoverStaleClaims();
    const program = await this.program.get();
    if (!program.live) return result; // a draft or paused program sends nothing; surveys wait
    const now = this.clock.now();
    result.skipped += await this.skipMissed(now);
    const window = sendWindowOf(program.rules);
    if (!isInsideSendWindow(now, window)) return result;
    const day = localDayBounds(now, window.timeZone);
    const due = await this.db.transaction(async (tx) => {
      const surveys = new SurveysRepository(tx);
      // One claimer at a time, so workers together stay within the day's cap.
      await surveys.lockDispatch();
      const n = await surveys.countSentOrSending(day.start, day.end);
      const room = Math.min(limit, program.rules.dailySendCap - n);
      if (room <= 0) return [];
      return surveys.claimDue(now, room);
    });
    for (const survey of due) result[await this.dispatch(survey)]++;
    return result;
  }

  /**
   * Surveys whose last sendable moment passed unsent: a ticket survey is `too_late` (solved +
   * 72 h), a relational one `capacity` (its month or renewal window ended before a window and
   * the cap had room for it).
   */
  private async skipMissed(now: Date): Promise<number> {
    return new SurveysRepository(this.db.manager).skipPastDeadline(now);
  }

  private async recoverStaleClaims(): Promise<void> {
    const now = this.clock.now();
    await new SurveysRepository(this.db.manager).assumeStaleClaimsSent(now, (await this.program.get()).rules.surveyLinkValidDays, STALE_CLAIM_MINUTES);
  }

  private async skip(id: string, reason: string): Promise<'skipped'> {
    await new SurveysRepository(this.db.manager).markSkipped(id, reason);
    this.logger.log({ surveyId: id, reason }, 'survey skipped at send time');
    return 'skipped';
  }

  private async dispatch(survey: DueSurvey): Promise<'sent' | 'skipped' | 'failed'> {
    const { profile, rules } = await this.program.get();
    const now = this.clock.now();
    const surveys = new SurveysRepository(this.db.manager);
    if (survey.send_deadline_at && now > new Date(survey.send_deadline_at)) return this.skip(survey.id, streamOfTrigger(survey.trigger) === 'relational' ? 'capacity' : 'too_late'); // as skipMissed
    if (!survey.email) return this.skip(survey.id, 'no_email');
    if (await new OptOutsRepository(this.db.manager).isOptedOut(survey.email, survey.contact_id)) return this.skip(survey.id, 'opted_out');
    if (isSuppressed(now, await surveys.surveysOf(survey.email, survey.id), rules)) return this.skip(survey.id, 'suppressed');

    const token = randomBytes(32).toString('base64url');
    await surveys.storeTokenHash(survey.id, hashToken(token));
    const base = publicBaseUrl(this.config);
    const csm = survey.account_id ? await new AccountsRepository(this.db.manager).csmOf(survey.account_id) : undefined;
    const sendingAddress = this.config.mailFrom ?? profile.senderEmail;
    const email = renderSurveyEmail({
      recipient: { email: survey.email, firstName: survey.recipient_name },
      product: profile.productName,
      company: profile.companyName,
      trigger: survey.trigger,
      ticket: survey.trigger === 'ticket_solved' ? { id: String(survey.context.ticketId), subject: (survey.context.ticketSubject as string) ?? null } : undefined,
      csm: csm ? { name: csm.name ?? csm.email, email: csm.email } : null,
      defaultSender: { name: profile.senderName, address: sendingAddress },
      sendingAddress,
      scoreUrl: (score) => `${base}/s/${token}/${score}`,
      unsubscribeUrl: `${base}/s/${token}/unsubscribe`,
    });
    try {
      const messageId = await this.mail.send(email);
      await surveys.markSent(survey.id, now, surveyLinkExpiresAt(now, rules), messageId);
      return 'sent';
    } catch (error) {
      const attempts = survey.send_attempts + 1;
      const message = (error as Error).message;
      this.logger.warn({ surveyId: survey.id, attempts, error: message }, 'survey email not sent; will retry');
      await surveys.releaseAfterSendFailure(
        survey.id,
        attempts >= MAX_ATTEMPTS ? 'failed' : 'scheduled',
        attempts,
        new Date(now.getTime() + backoffMinutes(attempts) * 60_000),
        message,
      );
      return 'failed';
    }
  }
}
