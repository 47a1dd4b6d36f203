import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { HelpdeskTicket, HelpdeskTicketEvent, HelpdeskWebhookVerifier, WebhookPayloadRejected, WebhookRejected } from '@connectors/core/src';
import { zendeskDescriptor } from '../descriptor';
import { mapWebhookPayload } from './map-webhook-payload';

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}

/** base64(HMAC-SHA256(secret, timestamp + body)) over the exact bytes received (README "Webhook signature"). */
export function zendeskSignature(signingSecret: string, timestamp: string, rawBody: Buffer): string {
  return createHmac(zendeskDescriptor.signatureAlgorithm, signingSecret).update(timestamp, 'utf8').update(rawBody).digest('base64');
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'base64');
  const b = Buffer.from(given, 'base64');
  // Lengths are public (always 32 bytes for a real signature); only equal-length buffers can be compared in constant time.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Zendesk's invocation ids are numbers; anything printable up to this length is kept as given. */
const INVOCATION_ID = /^[\x21-\x7e]{1,128}$/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A NUL or a lone surrogate: JavaScript strings hold them, Postgres text and jsonb refuse them. */
function unstorable(text: string): string | undefined {
  if (text.includes('\u0000')) return 'a NUL character';
  return LONE_SURROGATE.test(text) ? 'a lone surrogate (not Unicode text)' : undefined;
}

/** Our template is flat; a body nested deeper than this is refused rather than walked. */
const MAX_DEPTH = 32;

/** The first string anywhere in the JSON (names included) that cannot be stored, as "<path> contains …". */
function unstorableText(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') {
    const problem = unstorable(value);
    return problem && `${path || 'body'} contains ${problem}`;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_DEPTH) return `${path} nests deeper than ${MAX_DEPTH} levels`;
  for (const [key, inner] of Object.entries(value)) {
    const name = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    const problem = unstorable(key);
    if (problem) return `a field name in ${path || 'the body'} contains ${problem}`;
    const found = unstorableText(inner, name, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Checks a Zendesk webhook call: both signature headers present, the signature right, the
 * timestamp within 5 minutes of `now` either way (a replayed or pre-dated call is refused), then
 * reads our body template. A refusal of the signature is a WebhookRejected; a signed call whose
 * body or headers cannot be taken (not our template, a bad value, text Postgres cannot store) is a
 * WebhookPayloadRejected naming the field, so it fails alone instead of inside a batch's INSERT.
 */
class ZendeskWebhookVerifier implements HelpdeskWebhookVerifier {
  verify(input: { rawBody: Buffer; headers: Headers; signingSecret: string; now: Date }): HelpdeskTicketEvent {
    const signature = header(input.headers, zendeskDescriptor.signatureHeader);
    const timestamp = header(input.headers, zendeskDescriptor.signatureTimestampHeader);
    if (!signature) throw new WebhookRejected(`missing ${zendeskDescriptor.signatureHeader} header`);
    if (!timestamp) throw new WebhookRejected(`missing ${zendeskDescriptor.signatureTimestampHeader} header`);
    if (!input.signingSecret) throw new WebhookRejected('no signing secret is stored for this connection (run setup)');

    if (!sameSignature(zendeskSignature(input.signingSecret, timestamp, input.rawBody), signature)) {
      throw new WebhookRejected('signature does not match the body');
    }
    const signedAt = Date.parse(timestamp);
    if (Number.isNaN(signedAt)) throw new WebhookRejected(`signature timestamp ${JSON.stringify(timestamp)} is not a date`);
    const skew = input.now.getTime() - signedAt;
    const window = zendeskDescriptor.signatureFreshnessMs;
    if (skew > window) throw new WebhookRejected(`signature timestamp ${timestamp} is more than 5 minutes old`);
    if (skew < -window) throw new WebhookRejected(`signature timestamp ${timestamp} is more than 5 minutes in the future`);

    const ticket = readBody(input.rawBody);
    const invocationId = header(input.headers, zendeskDescriptor.invocationIdHeader);
    if (invocationId !== undefined && !INVOCATION_ID.test(invocationId)) {
      throw new WebhookPayloadRejected(`${zendeskDescriptor.invocationIdHeader} header is not an invocation id (printable, up to 128 characters)`);
    }
    // Without Zendesk's invocation id, the signed pair still identifies this delivery: a replay repeats both.
    const deliveryId = invocationId ?? `sig-${createHash('sha256').update(`${signature}\n${timestamp}`).digest('hex').slice(0, 32)}`;
    // The invocation id is not signed: a replay may change or drop it, but not what was signed.
    const contentKey = createHash('sha256').update(timestamp, 'utf8').update(input.rawBody).digest('hex');
    return { deliveryId, contentKey, ticket };
  }
}

/** Our template → the port's ticket; every refusal names the field (400, not 401: the signature was right). */
function readBody(rawBody: Buffer): HelpdeskTicket {
  let ticket: HelpdeskTicket;
  try {
    ticket = mapWebhookPayload(rawBody);
  } catch (error) {
    throw error instanceof WebhookRejected ? new WebhookPayloadRejected(error.message) : error;
  }
  // The mapper has parsed it: the body is JSON.
  const problem = unstorableText(JSON.parse(rawBody.toString('utf8')), '');
  if (problem) throw new WebhookPayloadRejected(problem);
  return ticket;
}

export const zendeskWebhookVerifier = new ZendeskWebhookVerifier();
