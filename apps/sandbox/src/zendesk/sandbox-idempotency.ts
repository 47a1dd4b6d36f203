import { Answer } from './sandbox-answers';

/**
 * How long Zendesk keeps an idempotency key. Zendesk's Ticketing API introduction documents the
 * Idempotency-Key header for ticket creates and the x-idempotency-lookup answer header; this
 * lifetime, and the 400 for a key reused with other parameters, are as we read that page and not
 * confirmed (connectors/zendesk/README.md "Idempotency").
 */
const IDEMPOTENCY_KEY_TTL_MS = 2 * 3_600_000;

/**
 * Zendesk's idempotency for ticket creates: the first create with a key is remembered with its
 * parameters; the same key with the same parameters replays the first answer (hit), with other
 * parameters it is refused. Only creates that succeeded are remembered, so a refused one can be
 * sent again.
 */
export class IdempotencyKeys {
  private readonly stored = new Map<string, { fingerprint: string; answer: Answer; expiresAt: number }>();

  /** The answer to replay, the refusal, or undefined (a miss: create the ticket). */
  lookup(key: string, fingerprint: string, now: number): Answer | undefined {
    const entry = this.stored.get(key);
    if (!entry || entry.expiresAt <= now) return undefined;
    if (entry.fingerprint !== fingerprint) {
      return { status: 400, body: { error: 'IdempotentRequestError', description: 'The idempotency key must be used with the same request parameters.' } };
    }
    return { ...entry.answer, headers: { ...entry.answer.headers, 'x-idempotency-lookup': 'hit' } };
  }

  remember(key: string, fingerprint: string, answer: Answer, now: number): void {
    this.stored.set(key, { fingerprint, answer: structuredClone(answer), expiresAt: now + IDEMPOTENCY_KEY_TTL_MS });
  }
}
