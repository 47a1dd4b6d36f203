import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { HelpdeskTicketEvent, HelpdeskWebhookVerifier, WebhookRejected } from '../../core/src';
import { zendeskDescriptor } from '../descriptor';
import { mapWebhookPayload } from './map-webhook-payload';

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}

/** base64(HMAC-SHA256(secret, timestamp + body)) over the exact bytes received (vendor-apis.md §3). */
export function zendeskSignature(signingSecret: string, timestamp: string, rawBody: Buffer): string {
  return createHmac(zendeskDescriptor.signatureAlgorithm, signingSecret).update(timestamp, 'utf8').update(rawBody).digest('base64');
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'base64');
  const b = Buffer.from(given, 'base64');
  // Lengths are public (always 32 bytes for a real signature); only equal-length buffers can be compared in constant time.
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a Zendesk webhook call: both signature headers present, the signature right, the
 * timestamp within 5 minutes of `now` either way (a replayed or pre-dated call is refused), then
 * reads our body template. Every refusal is a WebhookRejected naming the reason.
 */
export class ZendeskWebhookVerifier implements HelpdeskWebhookVerifier {
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

    const ticket = mapWebhookPayload(input.rawBody);
    const invocationId = header(input.headers, zendeskDescriptor.invocationIdHeader);
    // Without Zendesk's invocation id, the signed pair still identifies this delivery: a replay repeats both.
    const deliveryId = invocationId ?? `sig-${createHash('sha256').update(`${signature}\n${timestamp}`).digest('hex').slice(0, 32)}`;
    return { deliveryId, ticket };
  }
}

export const zendeskWebhookVerifier = new ZendeskWebhookVerifier();
