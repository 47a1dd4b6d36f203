import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '@libs/config/src';

export interface OutgoingMail {
  from: { name: string; address: string };
  replyTo: string | null;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

/** Survey emails over SMTP (nodemailer, pooled connections). */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private transporter: Transporter | undefined;
  private transporterUrl: string | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The SMTP URL in use: SMTP_URL, or the one the all-in-one mail catcher set at start. */
  static fallbackUrl: string | undefined;

  get url(): string | undefined {
    return this.config.smtpUrl ?? MailTransport.fallbackUrl;
  }

  private transport(): Transporter {
    const url = this.url;
    if (!url) throw new Error('SMTP_URL is not set: survey emails cannot be sent (they stay scheduled)');
    if (!this.transporter || this.transporterUrl !== url) {
      this.transporter?.close();
      // Pooled: a burst of surveys reuses a few SMTP connections instead of one handshake per email
      // (2,000 emails took minutes unpooled). Options in the URL (e.g. ?pool=false) still win.
      this.transporter = nodemailer.createTransport({ url, pool: true });
      this.transporterUrl = url;
    }
    return this.transporter;
  }

  /** Resolves with the Message-ID once the server accepted the message; throws otherwise. */
  async send(mail: OutgoingMail): Promise<string> {
    const info = await this.transport().sendMail({
      from: mail.from,
      to: mail.to,
      replyTo: mail.replyTo ?? undefined,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      headers: mail.headers,
    });
    if (info.rejected?.length) throw new Error(`the SMTP server refused ${info.rejected.join(', ')}`);
    return info.messageId;
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
