/**
 * The sandbox mail catcher: a local SMTP server that keeps what it receives in memory so the
 * demo, tests and benchmarks can see the survey emails (at /sandbox/mail) without a real inbox.
 * It parses only what we need (addresses, subject, the text and HTML parts) instead of pulling
 * in a full MIME library; the raw source is kept for anything else.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { CaughtMail, MAIL_CATCHER_CAPACITY, parseMail } from './mail-parser';

export * from './mail-parser';
export * from './mail-pages';

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

interface Waiter {
  predicate: (mail: CaughtMail) => boolean;
  resolve: (mail: CaughtMail) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class MailCatcher {
  private server: SMTPServer | null = null;
  private caught: CaughtMail[] = [];
  private readonly waiters = new Set<Waiter>();
  private nextId = 1;

  constructor(private readonly port = 0) {}

  async start(): Promise<{ port: number; url: string }> {
    if (this.server) throw new Error('The mail catcher is already running');
    const server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      size: MAX_MESSAGE_BYTES,
      logger: false,
      // Connections still open at stop() are cut after this; tests should not wait 30 s.
      closeTimeout: 1000,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'sandbox' }),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (error: Error) => callback(error));
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            return callback(Object.assign(new Error('Message exceeds the 10 MB limit'), { responseCode: 552 }));
          }
          const mailFrom = session.envelope.mailFrom;
          this.keep(
            parseMail(Buffer.concat(chunks).toString('latin1'), {
              id: String(this.nextId++),
              receivedAt: new Date(),
              envelopeFrom: mailFrom ? mailFrom.address || null : null,
              envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            }),
          );
          callback();
        });
      },
    });
    let listening = false;
    await new Promise<void>((resolve, reject) => {
      // A failing client connection is the client's problem; only a failed listen is ours.
      server.on('error', (error: Error) => (listening ? undefined : reject(error)));
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    listening = true;
    this.server = server;
    const { port } = server.server.address() as AddressInfo;
    return { port, url: `smtp://127.0.0.1:${port}` };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const waiter of this.waiters) this.settle(waiter, new Error('The mail catcher stopped'));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Newest first. */
  messages(): CaughtMail[] {
    return [...this.caught];
  }

  message(id: string): CaughtMail | undefined {
    return this.caught.find((mail) => mail.id === id);
  }

  clear(): void {
    this.caught = [];
  }

  /** The newest caught mail matching `predicate`, or the next one to arrive within `timeoutMs`. */
  waitFor(predicate: (mail: CaughtMail) => boolean, timeoutMs = 5000): Promise<CaughtMail> {
    return new Promise((resolve, reject) => {
      const already = this.caught.find(predicate);
      if (already) return resolve(already);
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => this.settle(waiter, new Error(`No matching mail within ${timeoutMs} ms (${this.caught.length} caught)`)), timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  private keep(mail: CaughtMail): void {
    this.caught.unshift(mail);
    if (this.caught.length > MAIL_CATCHER_CAPACITY) this.caught.length = MAIL_CATCHER_CAPACITY;
    for (const waiter of this.waiters) {
      try {
        if (waiter.predicate(mail)) this.settle(waiter, mail);
      } catch (error) {
        this.settle(waiter, error as Error);
      }
    }
  }

  private settle(waiter: Waiter, outcome: CaughtMail | Error): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    if (outcome instanceof Error) waiter.reject(outcome);
    else waiter.resolve(outcome);
  }
}
