/** Just enough MIME (RFC 5322, 2045–2047) to read what nodemailer sends: addresses, subject, text and HTML. */
import addressparser from 'nodemailer/lib/addressparser';

/** How many caught messages are kept (the oldest go first). */
export const MAIL_CATCHER_CAPACITY = 500;

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
// ---- MIME: just enough of RFC 5322, 2045–2047 for what nodemailer sends ----

export type Envelope = Pick<CaughtMail, 'id' | 'receivedAt' | 'envelopeFrom' | 'envelopeTo'>;

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
      pending.push(encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : quotedPrintableBytes(text.replace(/_/g, ' ')));
    }
    return decoded + decodeCharset(Buffer.concat(pending), charset);
  });
}
