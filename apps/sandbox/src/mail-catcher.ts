/**
 * The sandbox mail catcher: a local SMTP server that keeps what it receives in memory so the
 * demo, tests and benchmarks can see the survey emails (at /sandbox/mail) without a real inbox.
 * It parses only what we need (addresses, subject, the text and HTML parts) instead of pulling
 * in a full MIME library; the raw source is kept for anything else.
 */
import type { AddressInfo } from 'node:net';
import addressparser from 'nodemailer/lib/addressparser';
import { SMTPServer } from 'smtp-server';
import { escapeHtml, page } from '../../api/src/surveys/pages/html';

export interface CaughtAddress {
  name: string;
  address: string;
}

export interface CaughtMail {
  id: string;
  receivedAt: Date;
  /** SMTP MAIL FROM; null for the empty reverse-path of a bounce. */
  envelopeFrom: string | null;
  envelopeTo: string[];
  from: CaughtAddress | null;
  to: CaughtAddress[];
  /** RFC 2047 encoded-words decoded. */
  subject: string;
  replyTo: CaughtAddress | null;
  /** Every header as sent (unfolded, not decoded), names lower-cased; the first of a repeated name wins. */
  headers: Record<string, string>;
  /** Decoded text/plain and text/html bodies with line endings normalised to \n; null when absent. */
  text: string | null;
  html: string | null;
  /** The RFC 822 source as received. */
  source: string;
}

/** Kept in memory, newest first; older mail is dropped so a long benchmark cannot exhaust memory. */
export const MAIL_CATCHER_CAPACITY = 500;
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
        timer: setTimeout(
          () => this.settle(waiter, new Error(`No matching mail within ${timeoutMs} ms (${this.caught.length} caught)`)),
          timeoutMs,
        ),
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

// ---- MIME: just enough of RFC 5322, 2045–2047 for what nodemailer sends ----

type Envelope = Pick<CaughtMail, 'id' | 'receivedAt' | 'envelopeFrom' | 'envelopeTo'>;

/** `source` is the message as a latin1 string, so each char is one byte and 8-bit bodies survive. */
export function parseMail(source: string, envelope: Envelope): CaughtMail {
  // SMTP DATA always ends in a line break the sender may have added to terminate it; the last
  // one is dropped so a single-part "text" reads as sent (a genuine final newline is lost).
  const { headers, body } = splitEntity(source.replace(/\r?\n$/, ''));
  const bodies: { text: string | null; html: string | null } = { text: null, html: null };
  collectBodies(headers, body, bodies);
  const addresses = (name: string): CaughtAddress[] =>
    addressparser(headers[name] ?? '', { flatten: true })
      .filter((a) => a.address)
      .map((a) => ({ name: decodeEncodedWords(a.name), address: a.address }));
  return {
    ...envelope,
    from: addresses('from')[0] ?? null,
    to: addresses('to'),
    subject: decodeEncodedWords(headers.subject ?? ''),
    replyTo: addresses('reply-to')[0] ?? null,
    headers,
    ...bodies,
    source: Buffer.from(source, 'latin1').toString('utf8'),
  };
}

function splitEntity(entity: string): { headers: Record<string, string>; body: string } {
  const end = /\r?\n\r?\n/.exec(entity);
  const block = end ? entity.slice(0, end.index) : entity;
  const headers: Record<string, string> = {};
  // Unfolding (RFC 5322 §2.2.3) removes the line break only; the leading whitespace stays.
  for (const line of block.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Raw 8-bit header bytes (SMTPUTF8) are UTF-8; ASCII is unchanged by this round trip.
    if (!(name in headers)) headers[name] = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
  }
  return { headers, body: end ? entity.slice(end.index + end[0].length) : '' };
}

function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type = 'text/plain'] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const m of (value ?? '').matchAll(/;\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g)) {
    params[m[1].toLowerCase()] = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/\\(.)/g, '$1') : m[2];
  }
  return { type: type.trim().toLowerCase(), params };
}

/** Walks the MIME tree and keeps the first inline text/plain and text/html bodies. */
function collectBodies(headers: Record<string, string>, body: string, out: { text: string | null; html: string | null }): void {
  const { type, params } = parseContentType(headers['content-type']);
  if (type.startsWith('multipart/') && params.boundary) {
    for (const part of splitMultipart(body, params.boundary)) {
      const entity = splitEntity(part);
      collectBodies(entity.headers, entity.body, out);
    }
    return;
  }
  if (/^\s*attachment/i.test(headers['content-disposition'] ?? '')) return;
  const key = type === 'text/plain' ? 'text' : type === 'text/html' ? 'html' : null;
  if (!key || out[key] !== null) return;
  const bytes = decodeTransferEncoding(body, headers['content-transfer-encoding']);
  out[key] = decodeCharset(bytes, params.charset).replace(/\r\n?/g, '\n');
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split('\n')) {
    const bare = line.replace(/[ \t\r]+$/, '');
    if (bare === delimiter || bare === `${delimiter}--`) {
      // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
      if (current) parts.push(current.join('\n').replace(/\r$/, ''));
      if (bare !== delimiter) break;
      current = [];
    } else if (current) {
      current.push(line);
    }
  }
  return parts;
}

function decodeTransferEncoding(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '7bit').trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return quotedPrintableBytes(body.replace(/[ \t]+(?=\r?\n|$)/g, '').replace(/=\r?\n/g, ''));
    default:
      return Buffer.from(body, 'latin1');
  }
}

/** `=XX` becomes byte XX; every other char is one byte already (latin1). */
function quotedPrintableBytes(text: string): Buffer {
  return Buffer.from(
    text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder((charset ?? 'utf-8').split('*')[0].trim()).decode(bytes);
  } catch {
    return bytes.toString('utf8'); // an unknown charset label: UTF-8 is the likeliest truth
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * RFC 2047 encoded-words. Adjacent words are joined before decoding: the whitespace between them
 * is not text, and an encoder may split one multi-byte character across two words.
 */
export function decodeEncodedWords(value: string): string {
  const run = /=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=(?:\s*=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)*/g;
  return value.replace(run, (words) => {
    let charset = '';
    let pending: Buffer[] = [];
    let decoded = '';
    for (const [, wordCharset, encoding, text] of words.matchAll(ENCODED_WORD)) {
      if (wordCharset.toLowerCase() !== charset && pending.length) {
        decoded += decodeCharset(Buffer.concat(pending), charset);
        pending = [];
      }
      charset = wordCharset.toLowerCase();
      pending.push(
        encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : quotedPrintableBytes(text.replace(/_/g, ' ')),
      );
    }
    return decoded + decodeCharset(Buffer.concat(pending), charset);
  });
}

// ---- the /sandbox/mail pages ----

const formatAddress = (a: CaughtAddress): string => (a.name ? `${a.name} <${a.address}>` : a.address);
const trimSlash = (basePath: string): string => basePath.replace(/\/+$/, '');

export function renderMailList(messages: CaughtMail[], basePath: string): string {
  const base = trimSlash(basePath);
  const rows = messages
    .map(
      (mail) =>
        `<tr><td><time datetime="${mail.receivedAt.toISOString()}">${mail.receivedAt.toISOString()}</time></td>` +
        `<td>${escapeHtml(mail.to.map(formatAddress).join(', ') || mail.envelopeTo.join(', '))}</td>` +
        `<td><a href="${escapeHtml(`${base}/${encodeURIComponent(mail.id)}`)}">${escapeHtml(mail.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('\n');
  const body = `
<h1>Mail catcher</h1>
<p class="muted">Mail sent to this sandbox, newest first; the last ${MAIL_CATCHER_CAPACITY} are kept.</p>
${
  messages.length
    ? `<table>\n<thead><tr><th scope="col">Received</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`
    : '<p>No mail caught yet.</p>'
}`;
  return page({ title: 'Mail catcher', body });
}

export function renderMail(message: CaughtMail, basePath: string): string {
  const h = message.headers;
  const fields: Array<[string, string | undefined]> = [
    ['From', message.from ? formatAddress(message.from) : undefined],
    ['Reply-To', message.replyTo ? formatAddress(message.replyTo) : undefined],
    ['To', message.to.map(formatAddress).join(', ')],
    ['Subject', message.subject],
    ['Date', h.date],
    ['Message-ID', h['message-id']],
    ['List-Unsubscribe', h['list-unsubscribe']],
    ['List-Unsubscribe-Post', h['list-unsubscribe-post']],
    ['Envelope from', message.envelopeFrom ?? '<>'],
    ['Envelope to', message.envelopeTo.join(', ')],
    ['Received', message.receivedAt.toISOString()],
  ];
  const list = fields
    .filter(([, value]) => value)
    .map(([name, value]) => `<dt>${name}</dt><dd>${escapeHtml(value as string)}</dd>`)
    .join('\n');
  // Links in the HTML part open in the whole tab, like a mail client opening the survey page;
  // the sandbox forbids scripts, forms and same-origin access from the message.
  const html = message.html === null ? null : withBaseTarget(message.html);
  const body = `
<p><a href="${escapeHtml(trimSlash(basePath) || '/')}">All mail</a></p>
<h1>${escapeHtml(message.subject || '(no subject)')}</h1>
<dl>
${list}
</dl>
<h2>HTML part</h2>
${
  html === null
    ? '<p>No HTML part.</p>'
    : `<iframe title="HTML part of the message" sandbox="allow-top-navigation-by-user-activation" srcdoc="${escapeHtml(html)}"></iframe>`
}
<h2>Text part</h2>
${message.text === null ? '<p>No text part.</p>' : `<pre>${escapeHtml(message.text)}</pre>`}`;
  return page({ title: `Mail: ${message.subject || '(no subject)'}`, body });
}

function withBaseTarget(html: string): string {
  const base = '<base target="_top">';
  const head = /<head\b[^>]*>/i.exec(html);
  return head ? html.slice(0, head.index + head[0].length) + base + html.slice(head.index + head[0].length) : base + html;
}
