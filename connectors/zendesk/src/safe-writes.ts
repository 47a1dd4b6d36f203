import { failureOf, VendorError } from '@connectors/core/src';
import { ZendeskApi } from './zendesk-api';

/** Network failures that happen before a request leaves this machine: nothing reached Zendesk. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether Zendesk may have acted on a write that failed this way: a 5xx or 408 answer (the work
 * may be done and only the answer lost) or a connection lost after the request went out.
 * 429 and 4xx answers mean the request was refused before anything was written.
 */
export function mayHaveLanded(error: unknown): boolean {
  if (!(error instanceof VendorError) || error.kind !== 'unavailable') return false;
  const status = error.details.status;
  if (status !== undefined) return status >= 500 || status === 408;
  return !NOT_SENT.has(error.details.code ?? '');
}

/** The code of the VendorError a write throws when retries ran out and Zendesk may or may not have done it. */
export const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

export interface GuardedWrite<T> {
  /** What is written, for messages ("ticket create"). */
  what: string;
  /** One attempt (api.once): retries are this module's. */
  send: () => Promise<T>;
  /**
   * Asked before sending again after an attempt that may have landed: what that attempt made,
   * if it did. One attempt per request (api.once), since it runs inside the retry loop.
   */
  landed?: () => Promise<T | undefined>;
  signal?: AbortSignal;
}

/**
 * A write that is never resent blindly: retried per core withRetry, but after a failure that
 * may have landed (mayHaveLanded) each resend is preceded by `landed()`, and what it finds is
 * the result. Creates also carry an Idempotency-Key, so a resend within Zendesk's key window is
 * answered with the first result. When retries run out after such a failure, the VendorError
 * says so: kind 'unavailable', details.code OUTCOME_UNKNOWN, so the caller looks (e.g.
 * findTicketsByExternalId) before it writes again.
 */
export async function writeGuarded<T>(api: ZendeskApi, write: GuardedWrite<T>): Promise<T> {
  let uncertain = false;
  const attempt = async (): Promise<T> => {
    if (uncertain && write.landed) {
      const made = await write.landed();
      if (made !== undefined) return made;
    }
    try {
      return await write.send();
    } catch (error) {
      if (mayHaveLanded(error)) uncertain = true;
      throw error;
    }
  };
  try {
    return await api.retrying(attempt, failureOf, write.signal);
  } catch (error) {
    if (!uncertain || !(error instanceof VendorError) || !error.retryable) throw error;
    const { status, retryAfterMs } = error.details;
    throw new VendorError(
      'zendesk',
      'unavailable',
      `${write.what}: Zendesk may have done it, but no attempt got an answer saying so (last: ${error.message})`,
      { status, code: OUTCOME_UNKNOWN, retryAfterMs },
    );
  }
}
