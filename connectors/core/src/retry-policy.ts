import { VendorError } from './vendor-error';

export interface HttpFailure {
  status?: number;
  /** Vendor error code from the body (REQUEST_LIMIT_EXCEEDED, TEN_SECONDLY_ROLLING, …). */
  code?: string;
  /** Response headers, lower-cased names. */
  headers?: Record<string, string | string[] | undefined>;
  /** Network error code (ECONNRESET, ETIMEDOUT, …) when there was no response. */
  networkCode?: string;
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

export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 60_000 };

function header(headers: HttpFailure['headers'], name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After in seconds or as an HTTP date, in ms from `now`. */
export function retryAfterMs(headers: HttpFailure['headers'], now = Date.now()): number | undefined {
  const raw = header(headers, 'retry-after');
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff: base × 2^(attempt−1), capped. Attempt counts from 1. */
export function backoffMs(attempt: number, settings: RetrySettings = DEFAULT_RETRY): number {
  return Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/**
 * Whether to retry a failed vendor call, why, and how long to wait. Pure: a function of the
 * failure, the attempt number and the settings. A wait the vendor names (Retry-After, HubSpot's
 * 10-second window) wins over our backoff when longer.
 */
export function decideRetry(failure: HttpFailure, attempt: number, settings: RetrySettings = DEFAULT_RETRY): RetryDecision {
  if (attempt >= settings.maxAttempts) {
    return { retry: false, reason: `gave up after ${attempt} attempts`, waitMs: 0 };
  }
  const backoff = backoffMs(attempt, settings);
  const asked = retryAfterMs(failure.headers);
  const wait = (floor: number) => Math.min(settings.maxDelayMs, Math.max(backoff, asked ?? 0, floor));
  const { status, code } = failure;
  if (status === 429) {
    // HubSpot's burst window is 10 s rolling; its daily limit does not reset within a job.
    if (code === 'DAILY') return { retry: false, reason: 'daily API limit reached', waitMs: 0 };
    const floor = code === 'TEN_SECONDLY_ROLLING' ? 10_000 : code === 'SECONDLY' ? 1_000 : 0;
    return { retry: true, reason: `rate limited (429${code ? ` ${code}` : ''})`, waitMs: wait(floor) };
  }
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    // Salesforce sends no Retry-After; concurrency clears in seconds, the daily cap does not.
    return { retry: true, reason: 'Salesforce REQUEST_LIMIT_EXCEEDED', waitMs: wait(0) };
  }
  if (status !== undefined && status >= 500) {
    return { retry: true, reason: `vendor error ${status}`, waitMs: wait(0) };
  }
  if (status === 408) return { retry: true, reason: 'request timeout (408)', waitMs: wait(0) };
  if (status === undefined && failure.networkCode && NETWORK_CODES.has(failure.networkCode)) {
    return { retry: true, reason: `network error ${failure.networkCode}`, waitMs: wait(0) };
  }
  return { retry: false, reason: status ? `vendor refused the request (${status}${code ? ` ${code}` : ''})` : 'not retryable', waitMs: 0 };
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
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
  options: { settings?: RetrySettings; sleep?: Sleep; signal?: AbortSignal; onRetry?: (d: RetryDecision, error: unknown) => void } = {},
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = toFailure(error);
      if (!failure) throw error;
      const decision = decideRetry(failure, attempt, options.settings);
      if (!decision.retry) throw error;
      options.onRetry?.(decision, error);
      await sleep(decision.waitMs, options.signal);
    }
  }
}

/** The failure a VendorError describes, for withRetry. */
export function failureOf(error: unknown): HttpFailure | undefined {
  if (!(error instanceof VendorError)) return undefined;
  const headers = error.details.retryAfterMs !== undefined ? { 'retry-after': String(error.details.retryAfterMs / 1000) } : undefined;
  if (error.kind === 'unavailable' && error.details.status === undefined) return { networkCode: error.details.code, headers };
  return { status: error.details.status, code: error.details.code, headers };
}
