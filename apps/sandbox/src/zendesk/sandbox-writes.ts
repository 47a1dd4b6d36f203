import { Answer } from './sandbox-answers';
import { IdempotencyKeys } from './sandbox-idempotency';
import { unavailable } from './sandbox-mutations';

/** One write request the sandbox received (POST, PUT, PATCH, DELETE under /api/v2), as tests inspect it. */
export interface WriteCall {
  method: string;
  /** Path and query as received. */
  url: string;
  /** The status answered (0: the connection was closed without an answer). */
  status: number;
  /** The JSON body as sent (the raw text when it was not JSON). */
  body: unknown;
  /** The Idempotency-Key header, if any, and whether it replayed an earlier create. */
  idempotencyKey: string | null;
  idempotencyLookup: 'hit' | 'miss' | null;
  /** Sandbox time, ISO 8601. */
  at: string;
}

/**
 * The write side of the sandbox: Zendesk's idempotency keys on ticket creates, the
 * failAfterWrite fault (created, then answered 503 as if the answer was lost), the tickets
 * created through the API, and the log of write calls.
 */
export class SandboxWrites {
  readonly calls: WriteCall[] = [];
  readonly createdTicketIds: number[] = [];
  private readonly keys = new IdempotencyKeys();
  private loseAnswers = 0;

  failAfterWrite(count: number): void {
    this.loseAnswers += count;
  }

  /** POST /api/v2/tickets: a replay or refusal for a known key, else `create()`; a success is remembered, and its answer maybe lost. */
  ticketCreate(key: string | null, body: unknown, now: number, create: () => Answer): Answer {
    const fingerprint = JSON.stringify(body ?? null);
    const known = key === null ? undefined : this.keys.lookup(key, fingerprint, now);
    if (known) return known;
    const answer = create();
    if (answer.status !== 201) return answer;
    this.createdTicketIds.push((answer.body as { ticket: { id: number } }).ticket.id);
    const made = key === null ? answer : { ...answer, headers: { ...answer.headers, 'x-idempotency-lookup': 'miss' } };
    if (key !== null) this.keys.remember(key, fingerprint, made, now);
    if (this.loseAnswers > 0) {
      this.loseAnswers--;
      return unavailable(1);
    }
    return made;
  }

  record(call: WriteCall): void {
    this.calls.push(call);
  }

  /** A write request as received and answered: its JSON body (or raw text), idempotency key and lookup. */
  recordRequest(request: { method: string; url: string; text: string; answer: Answer; idempotencyKey: string | string[] | undefined; at: string }): void {
    let body: unknown = request.text;
    try {
      body = request.text ? JSON.parse(request.text) : null;
    } catch {
      // kept as the raw text
    }
    const lookup = request.answer.headers?.['x-idempotency-lookup'];
    this.record({
      method: request.method,
      url: request.url,
      status: request.answer.status,
      body,
      idempotencyKey: typeof request.idempotencyKey === 'string' ? request.idempotencyKey : null,
      idempotencyLookup: lookup === 'hit' || lookup === 'miss' ? lookup : null,
      at: request.at,
    });
  }
}
