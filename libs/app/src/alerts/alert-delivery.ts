import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, CLOCK, Clock } from '@libs/config/src';
import { AlertDeliveryOperation, ClaimedAlertDelivery, OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { MailTransport } from '../delivery/mail-transport';
import { escapeHtml } from '../html/html';
import { ProgramService } from '../program/program.service';
import type { AlertEmailPayload, AlertWebhookPayload } from './alert-evaluation';

/** Deliveries claimed per call: alerts are few; a backlog after an outage drains over a few ticks. */
const CLAIM = 50;
/** An incoming webhook answers in well under a second; a silent one is retried after its backoff. */
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface AlertDeliveryReport {
  delivered: number;
  retried: number;
  failed: number;
}

/** How one delivery ended: sent, refused for good (with the receiver's words), or to be tried again. */
type Outcome = { sent: string | null } | { refused: string } | { retry: string; outcomeUnknown?: boolean };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Delivers alerts from the outbox (rules §9): one email to the configured recipients and one
 * `{"text": …}` POST to the incoming webhook per alert. Rows are claimed across workers, so each
 * goes out once; a refusal (an SMTP 5xx, a webhook 4xx) fails the row with the receiver's words,
 * anything else (down, timing out, 5xx, 429) is retried with the outbox's backoff.
 */
@Injectable()
export class AlertDelivery {
  private readonly logger = new Logger('AlertDelivery');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mail: MailTransport,
    private readonly program: ProgramService,
  ) {}

  async deliverDue(): Promise<AlertDeliveryReport> {
    const report: AlertDeliveryReport = { delivered: 0, retried: 0, failed: 0 };
    await this.drain<AlertEmailPayload>('alert.email', report, (row) => this.email(row));
    await this.drain<AlertWebhookPayload>('alert.webhook', report, (row) => this.post(row));
    if (report.delivered || report.retried || report.failed) this.logger.log(report, 'alert deliveries');
    return report;
  }

  /** One channel until nothing is due; after a retry the rest waits for the receiver's backoff. */
  private async drain<P>(operation: AlertDeliveryOperation, report: AlertDeliveryReport, deliver: (row: ClaimedAlertDelivery<P>) => Promise<Outcome>): Promise<void> {
    const outbox = new OutboxRepository(this.db.manager);
    for (;;) {
      const rows = await outbox.claimAlertDeliveries<P>(operation, CLAIM, this.clock.now());
      if (rows.length === 0) return;
      for (const [i, row] of rows.entries()) {
        const outcome = await deliver(row).catch((error: unknown): Outcome => ({ retry: message(error) }));
        const now = this.clock.now();
        if ('sent' in outcome) {
          await outbox.delivered(row.id, outcome.sent, now);
          report.delivered++;
        } else if ('refused' in outcome) {
          await outbox.failed(row.id, outcome.refused);
          this.logger.warn({ outboxId: row.id, alertId: row.alertId, operation, error: outcome.refused }, 'alert delivery refused; not retried');
          report.failed++;
        } else {
          // The receiver is struggling: this row and the ones not tried wait for the backoff.
          for (const waiting of rows.slice(i)) {
            await outbox.retry(waiting.id, waiting.attempts, waiting === row ? outcome.retry : 'not sent: an earlier delivery on this channel failed', now, outcome.outcomeUnknown);
            report.retried++;
          }
          this.logger.warn({ alertId: row.alertId, operation, error: outcome.retry }, 'alert delivery failed; retried after backoff');
          return;
        }
      }
    }
  }

  private async email(row: ClaimedAlertDelivery<AlertEmailPayload>): Promise<Outcome> {
    const { profile } = await this.program.get();
    try {
      const id = await this.mail.send({
        from: { name: `${profile.productName} NPS alerts`, address: this.config.mailFrom ?? profile.senderEmail },
        replyTo: null,
        to: row.payload.to.join(', '),
        subject: row.payload.subject,
        text: row.payload.text,
        html: `<p>${escapeHtml(row.payload.text).replace(/\n/g, '<br>')}</p>`,
        headers: { 'X-NPS-Alert': row.alertId },
      });
      return { sent: id };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      return code !== undefined && code >= 500 && code < 600 ? { refused: `SMTP ${code}: ${message(error)}` } : { retry: message(error) };
    }
  }

  private async post(row: ClaimedAlertDelivery<AlertWebhookPayload>): Promise<Outcome> {
    const { slackWebhookUrl: url } = await this.program.get();
    if (!url) return { refused: 'no incoming-webhook URL is configured any more' };
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: row.payload.text }),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
    } catch (error) {
      // Refused connections never reached the receiver; a timeout may have posted it.
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { retry: `${cause ?? 'network'}: ${message(error)}`, outcomeUnknown: cause !== 'ECONNREFUSED' };
    }
    const body = (await response.text().catch(() => '')).slice(0, 200);
    if (response.ok) return { sent: null };
    const words = `${response.status} ${body}`.trim();
    // A 4xx says our request or URL is wrong and would be refused again; 429 and 5xx pass.
    if (response.status >= 400 && response.status < 500 && response.status !== 429) return { refused: words };
    return { retry: words };
  }
}
