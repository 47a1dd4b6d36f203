import { VendorError } from './vendor-error';

export interface HttpFailure {
  status?: number;
  /** Vendor error code from the body (a limit policy's name, a refusal's code, …). */
  code?: string;
  /** Response headers, lower-cased names. */
  headers?: Record<string, string | string[] | undefined>;
  /** Network error code (ECONNRESET, ETIMEDOUT, …) when there was no response. */
  networkCode?: string;
  /** The connector read this failure as a rate limit, whatever its status (some vendors answer 403). */
  rateLimited?: boolean;
  /** The wait the vendor asked for, already read from its answer by the connector. */
  retryAfterMs?: number;
}

export interface RetryDecision {
  retry: boolean;
  reason: string;
  waitMs: number;
}

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Our own backoff, for vendors whose descriptor names none. */
export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 60_000 };

/** The HTTP header that names a wait (RFC 9110), read when a vendor's descriptor names no other. */
const RETRY_AFTER_HEADER = 'retry-after';

/**
 * What a vendor says about retrying, as data from its descriptor (connectors/<vendor>/descriptor.ts):
 * the policy reads these and knows no vendor itself.
 */
export interface RetryFacts {
  /** Headers (lower-cased) naming how long to wait, in seconds or as an HTTP date; default Retry-After. */
  readonly retryAfterHeaders?: readonly string[];
  /** Limit codes of a budget that does not refill within a job (a daily allocation): waiting would not help. */
  readonly exhaustedCodes?: readonly string[];
  /** Limit codes of a rolling window, with its length: the wait is at least one window. */
  readonly windowWaitMs?: Readonly<Record<string, number>>;
  /** The vendor's own backoff, where ours does not suit it. */
  readonly backoff?: Partial<RetrySettings>;
}

function header(headers: HttpFailure['headers'], name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The first of `names` (default Retry-After) in seconds or as an HTTP date, in ms from `now`. */
export function retryAfterMs(headers: HttpFailure['headers'], now = Date.now(), names: readonly string[] = [RETRY_AFTER_HEADER]): number | undefined {
  const raw = names.map((name) => header(headers, name)).find((value) => value !== undefined && value.trim() !== '');
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff: base × 2^(attempt−1), capped. Attempt counts from 1. */
export function backoffMs(attempt: number, settings: RetrySettings = DEFAULT_RETRY): number {
  return Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/** Our backoff with the vendor's overrides. */
function retrySettingsOf(facts: RetryFacts = {}): RetrySettings {
  return { ...DEFAULT_RETRY, ...facts.backoff };
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/**
 * Whether to retry a failed vendor call, why, and how long to wait. Pure: a function of the
 * failure, the attempt number and the vendor's retry facts. A wait the vendor names (a
 * Retry-After, a rolling window its limit code names) wins over our backoff when longer.
 */
export function decideRetry(failure: HttpFailure, attempt: number, facts: RetryFacts = {}): RetryDecision {
  const settings = retrySettingsOf(facts);
  if (attempt >= settings.maxAttempts) {
    return { retry: false, reason: `gave up after ${attempt} attempts`, waitMs: 0 };
  }
  const backoff = backoffMs(attempt, settings);
  const asked = failure.retryAfterMs ?? retryAfterMs(failure.headers, Date.now(), facts.retryAfterHeaders);
  const wait = (floor: number) => Math.min(settings.maxDelayMs, Math.max(backoff, asked ?? 0, floor));
  const { status, code } = failure;
  const answer = `${status ?? ''}${status && code ? ' ' : ''}${code ?? ''}`;
  if (status === 429 || failure.rateLimited) {
    if (code && facts.exhaustedCodes?.includes(code)) return { retry: false, reason: `API limit exhausted (${answer})`, waitMs: 0 };
    const window = code ? (facts.windowWaitMs?.[code] ?? 0) : 0;
    return { retry: true, reason: `rate limited (${answer})`, waitMs: wait(window) };
  }
  if (status !== undefined && status >= 500) {
    return { retry: true, reason: `vendor error ${status}`, waitMs: wait(0) };
  }
  if (status === 408) return { retry: true, reason: 'request timeout (408)', waitMs: wait(0) };
  if (status === undefined && failure.networkCode && NETWORK_CODES.has(failure.networkCode)) {
    return { retry: true, reason: `network error ${failure.networkCode}`, waitMs: wait(0) };
  }
  return { retry: false, reason: status ? `vendor refused the request (${answer})` : 'not retryable', waitMs: 0 };
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    });
  });

/**
 * Runs `call`, retrying per `decideRetry` on VendorErrors the connector classified with
 * `toFailure`. The only retry loop connectors use.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  toFailure: (error: unknown) => HttpFailure | undefined,
  options: {
    /** The vendor's retry facts, from its descriptor. */
    facts?: RetryFacts;
    sleep?: Sleep;
    signal?: AbortSignal;
    onRetry?: (d: RetryDecision, error: unknown) => void;
  } = {},
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = toFailure(error);
      if (!failure) throw error;
      const decision = decideRetry(failure, attempt, options.facts);
      if (!decision.retry) throw error;
      options.onRetry?.(decision, error);
      await sleep(decision.waitMs, options.signal);
    }
  }
}

/** The failure a VendorError describes, for withRetry: its status, code, wait, and whether the connector read it as a rate limit. */
export function failureOf(error: unknown): HttpFailure | undefined {
  if (!(error instanceof VendorError)) return undefined;
  const { status, code, retryAfterMs: waitMs } = error.details;
  const wait = waitMs !== undefined ? { retryAfterMs: waitMs } : {};
  if (error.kind === 'unavailable' && status === undefined) return { networkCode: code, ...wait };
  return { status, code, ...(error.kind === 'rate_limited' ? { rateLimited: true } : {}), ...wait };
}
