import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { AlertsRepository } from '@libs/db/src/repositories/alerts.repository';
import { FollowUpsRepository } from '@libs/db/src/repositories/follow-ups.repository';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { ResponsesRepository } from '@libs/db/src/repositories/responses.repository';
import { inSavepoint } from '@libs/db/src/savepoint';
import {
  accountNps,
  addDays,
  Alert,
  collectAlerts,
  emergingThemeAlerts,
  parseQuarter,
  ProgramSettings,
  quarterOf,
  QuarterKey,
  QuarterNps,
  revenueCoverage,
  Role,
  roleGap,
  roleGapAlerts,
  Stream,
  summariseCounts,
  ThemedResponse,
} from '@libs/nps/src';
import { Program, ProgramService } from '../program/program.service';
import { alertMessage, alertRecord } from './alert-text';

const STREAMS: readonly Stream[] = ['relational', 'transactional'];

/** What an alert email carries; the recipients are the ones configured when it was raised. */
export interface AlertEmailPayload {
  to: string[];
  subject: string;
  text: string;
}

/** What an alert post carries; the URL is read when it is sent (it holds a secret, kept in one place). */
export interface AlertWebhookPayload {
  text: string;
}

/** The first instant of a calendar quarter (UTC). */
function quarterStart(key: QuarterKey): Date {
  const { year, quarter } = parseQuarter(key);
  return new Date(Date.UTC(year, (quarter - 1) * 3, 1));
}

/** The first instant of the quarter before the one containing `now`. */
function previousQuarterStart(now: Date): Date {
  const start = quarterStart(quarterOf(now));
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 3, 1));
}

/**
 * rules §9 alerts, judged by libs/nps and kept once per (cause, period). The ones a settle can
 * change cheaply (a role gap at the settled responses' accounts, an emerging theme in their
 * quarter) are judged on the settle's own transaction; the rest (quarterly drops and declines,
 * detractor loop closure, revenue coverage) once a day. A newly kept alert queues its email and
 * webhook post in the outbox on the same transaction, so it is delivered once, outage or not.
 */
@Injectable()
export class AlertEvaluation {
  private readonly logger = new Logger('Alerts');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly program: ProgramService,
  ) {}

  /**
   * On the settle's transaction, under a savepoint: an alert that cannot be judged now must not
   * undo the settle (the daily evaluation judges it again).
   */
  async afterSettle(tx: EntityManager, responseIds: readonly string[]): Promise<void> {
    if (responseIds.length === 0) return;
    try {
      await inSavepoint(tx, 'alerts_after_settle', () => this.judgeSettled(tx, responseIds));
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, 'alerts not judged at settle; the daily evaluation judges them');
    }
  }

  private async judgeSettled(tx: EntityManager, responseIds: readonly string[]): Promise<number> {
    const program = await this.program.get();
    const now = this.clock.now();
    const settled = await new AlertsRepository(tx).settledForAlerts(responseIds);
    const alerts: Alert[] = [];
    const accounts = [...new Set(settled.filter((r) => r.stream === 'relational' && r.account_id).map((r) => r.account_id as string))];
    if (accounts.length) alerts.push(...roleGapAlerts(await this.roleGaps(tx, accounts, now, program.rules), now));
    for (const stream of STREAMS) {
      const detractors = settled.filter((r) => r.stream === stream && r.category === 'detractor');
      if (detractors.length === 0) continue;
      const from = quarterStart(detractors.map((r) => quarterOf(new Date(r.at))).sort()[0]);
      alerts.push(...emergingThemeAlerts(stream, await this.detractorComments(tx, stream, from, now), program.rules));
    }
    return this.raise(tx, alerts, program);
  }

  /** Every rule, every stream: once a day (and whenever an admin wants it now). Returns how many alerts were new. */
  async evaluateDaily(): Promise<number> {
    const program = await this.program.get();
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const alerts = new AlertsRepository(tx);
      const followUps = await new FollowUpsRepository(tx).forLoopClosure(null, null);
      // An emerging theme is news in its quarter and the next; older quarters are history.
      const themesFrom = previousQuarterStart(now);
      const found: Alert[] = [];
      for (const stream of STREAMS) {
        const quarters: QuarterNps[] = (await alerts.quarterCounts(stream, now)).map((q) => ({ quarter: q.quarter as QuarterKey, summary: summariseCounts(stream, q) }));
        const relational = stream === 'relational';
        const windowFrom = addDays(now, -program.rules.sentimentWindowDays);
        found.push(
          ...collectAlerts(
            {
              stream,
              quarters,
              followUps: followUps
                .filter((f) => f.stream === stream)
                .map((f) => ({ stream, category: f.category, due: new Date(f.due_at), closedAt: f.completed_at ? new Date(f.completed_at) : null })),
              accounts: relational ? await this.roleGaps(tx, await alerts.accountsAnsweredBetween(windowFrom, now), now, program.rules) : undefined,
              responses: await this.detractorComments(tx, stream, themesFrom, now),
              coverage: relational ? await this.coverage(alerts, now) : undefined,
              now,
            },
            program.rules,
          ),
        );
      }
      return this.raise(tx, found, program);
    });
  }

  /** rules §7 role gap of each account, from each person's latest relational answer in the trailing window. */
  private async roleGaps(tx: EntityManager, accountIds: readonly string[], now: Date, rules: ProgramSettings) {
    if (accountIds.length === 0) return [];
    const answers = await new ResponsesRepository(tx).relationalAnswersOf(accountIds, addDays(now, -rules.sentimentWindowDays), now);
    return [...accountIds].sort().map((accountId) => {
      const own = answers
        .filter((a) => a.account_id === accountId)
        .map((a) => ({ stream: 'relational' as const, contactId: a.contact_id, role: a.role as Role, score: a.score, respondedAt: new Date(a.at) }));
      const { byRole } = accountNps(own, now, rules);
      return { accountId, roleGap: roleGap(byRole.decision_maker, byRole.end_user, rules) };
    });
  }

  private async detractorComments(tx: EntityManager, stream: Stream, from: Date, now: Date): Promise<ThemedResponse[]> {
    const rows = await new AlertsRepository(tx).detractorComments(stream, from, now);
    return rows.map((r) => ({ stream, score: r.score, comment: r.comment, respondedAt: new Date(r.at) }));
  }

  private async coverage(alerts: AlertsRepository, now: Date) {
    const windowDays = 90;
    const [accounts, answers] = await Promise.all([alerts.activeAccountArr(), alerts.relationalRolesBetween(addDays(now, -windowDays), now)]);
    return revenueCoverage(
      {
        activeAccounts: accounts.map((a) => ({ accountId: a.account_id, arr: a.arr })),
        responses: answers.map((a) => ({ stream: 'relational' as const, accountId: a.account_id, role: a.role as Role | null, respondedAt: new Date(a.at) })),
        now,
      },
      { windowDays },
    );
  }

  /** Keeps the alerts not kept yet and queues each new one's deliveries; returns how many were new. */
  private async raise(tx: EntityManager, alerts: readonly Alert[], program: Program): Promise<number> {
    if (alerts.length === 0) return 0;
    const now = this.clock.now();
    const raised = await new AlertsRepository(tx).raise(alerts.map(alertRecord), now);
    const byIdentity = new Map(alerts.map((a) => [`${a.cause}|${a.period}`, a]));
    const outbox = new OutboxRepository(tx);
    for (const row of raised) {
      const text = `NPS alert: ${alertMessage(byIdentity.get(`${row.cause}|${row.period}`) as Alert)}`;
      if (program.alertEmails.length) {
        const email: AlertEmailPayload = { to: program.alertEmails, subject: text, text: `${text}\n\nAlert ${row.id} (${row.cause}, ${row.period}).` };
        await outbox.enqueueAlertDelivery(row.id, 'alert.email', email, now);
      }
      if (program.slackWebhookUrl) await outbox.enqueueAlertDelivery(row.id, 'alert.webhook', { text } satisfies AlertWebhookPayload, now);
    }
    if (raised.length) this.logger.log({ raised: raised.map((r) => `${r.cause} ${r.period}`) }, 'alerts raised');
    return raised.length;
  }
}
