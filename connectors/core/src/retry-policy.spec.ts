import { backoffMs, decideRetry, DEFAULT_RETRY, failureOf, RetryFacts, retryAfterMs, withRetry } from './retry-policy';
import { VendorError } from './vendor-error';

/** A made-up vendor's retry facts, as its descriptor would state them: the policy knows no vendor itself. */
const WINDOWED: RetryFacts = {
  exhaustedCodes: ['PER_DAY'],
  windowWaitMs: { ROLLING_10S: 10_000, PER_SECOND: 1_000 },
};

describe('decideRetry', () => {
  it('waits at least the rolling window a 429 names, as the descriptor states it', () => {
    expect(decideRetry({ status: 429, code: 'ROLLING_10S' }, 1, WINDOWED)).toEqual({
      retry: true,
      reason: 'rate limited (429 ROLLING_10S)',
      waitMs: 10_000,
    });
    expect(decideRetry({ status: 429, code: 'PER_SECOND' }, 1, WINDOWED).waitMs).toBe(1_000);
  });

  it('without the descriptor a windowed 429 is only backed off: the window is a vendor fact, not ours', () => {
    expect(decideRetry({ status: 429, code: 'ROLLING_10S' }, 1)).toMatchObject({ retry: true, waitMs: DEFAULT_RETRY.baseDelayMs });
  });

  it('stops on a limit the descriptor names as exhausted: waiting inside a job would not help', () => {
    expect(decideRetry({ status: 429, code: 'PER_DAY' }, 1, WINDOWED)).toMatchObject({ retry: false, reason: 'API limit exhausted (429 PER_DAY)' });
    expect(decideRetry({ status: 429, code: 'PER_DAY' }, 1).retry).toBe(true);
  });

  it('honours Retry-After in seconds and as an HTTP date when longer than the backoff', () => {
    expect(decideRetry({ status: 429, headers: { 'retry-after': '7' } }, 1).waitMs).toBe(7000);
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Mon, 23 Nov 2026 10:00:30 GMT' }, now)).toBe(30_000);
  });

  it('reads the wait from the headers the descriptor names', () => {
    const facts: RetryFacts = { retryAfterHeaders: ['x-wait-seconds'] };
    expect(decideRetry({ status: 429, headers: { 'x-wait-seconds': '9', 'retry-after': '2' } }, 1, facts).waitMs).toBe(9000);
    expect(retryAfterMs({ 'retry-after': '2' }, Date.now(), ['x-wait-seconds'])).toBeUndefined();
  });

  it('retries a rate limit the connector recognised under another status (403, no Retry-After) with exponential backoff', () => {
    const first = decideRetry({ status: 403, code: 'LIMIT_EXCEEDED', rateLimited: true }, 1);
    const third = decideRetry({ status: 403, code: 'LIMIT_EXCEEDED', rateLimited: true }, 3);
    expect(first).toMatchObject({ retry: true, reason: 'rate limited (403 LIMIT_EXCEEDED)', waitMs: 500 });
    expect(third).toMatchObject({ retry: true, waitMs: 2000 });
    expect(decideRetry({ status: 403, code: 'LIMIT_EXCEEDED' }, 1).retry).toBe(false);
  });

  it('retries 5xx, 408 and network errors; not other 4xx', () => {
    expect(decideRetry({ status: 503 }, 2)).toMatchObject({ retry: true, waitMs: 1000 });
    expect(decideRetry({ status: 408 }, 1).retry).toBe(true);
    expect(decideRetry({ networkCode: 'ECONNRESET' }, 1).retry).toBe(true);
    expect(decideRetry({ status: 400, code: 'INVALID_FIELD' }, 1)).toMatchObject({
      retry: false,
      reason: 'vendor refused the request (400 INVALID_FIELD)',
    });
    expect(decideRetry({ status: 401 }, 1).retry).toBe(false);
  });

  it('gives up after maxAttempts and caps the wait; a descriptor may change both', () => {
    expect(decideRetry({ status: 503 }, DEFAULT_RETRY.maxAttempts).retry).toBe(false);
    expect(backoffMs(30)).toBe(DEFAULT_RETRY.maxDelayMs);
    expect(decideRetry({ status: 429, headers: { 'retry-after': '3600' } }, 1).waitMs).toBe(DEFAULT_RETRY.maxDelayMs);
    const patient: RetryFacts = { backoff: { maxAttempts: 3, maxDelayMs: 120_000 } };
    expect(decideRetry({ status: 503 }, 3, patient).retry).toBe(false);
    expect(decideRetry({ status: 429, headers: { 'retry-after': '90' } }, 1, patient).waitMs).toBe(90_000);
  });
});

describe('withRetry', () => {
  it('retries retryable vendor errors with the waits the vendor facts decide, then returns the result', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw new VendorError('acme-crm', 'rate_limited', 'slow down', { status: 429, code: 'ROLLING_10S' });
        if (calls === 2) throw new VendorError('acme-crm', 'unavailable', 'bad gateway', { status: 502 });
        return 'page';
      },
      failureOf,
      { facts: WINDOWED, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('page');
    expect(waits).toEqual([10_000, 1000]);
  });

  it('does not retry an auth failure or an unknown error', async () => {
    let calls = 0;
    const auth = new VendorError('acme-crm', 'auth', 'invalid_grant: expired authorization code', { status: 400 });
    await expect(withRetry(async () => (calls++, Promise.reject(auth)), failureOf, { sleep: async () => undefined })).rejects.toBe(auth);
    await expect(withRetry(async () => (calls++, Promise.reject(new TypeError('bug'))), failureOf)).rejects.toThrow('bug');
    expect(calls).toBe(2);
  });

  it('keeps the wait and the rate-limit reading a connector put on its VendorError', () => {
    expect(failureOf(new VendorError('acme-crm', 'rate_limited', 'over the limit', { status: 403, code: 'LIMIT_EXCEEDED' }))).toEqual({
      status: 403,
      code: 'LIMIT_EXCEEDED',
      rateLimited: true,
    });
    expect(failureOf(new VendorError('acme-helpdesk', 'rate_limited', 'slow down', { status: 429, retryAfterMs: 7000 }))).toMatchObject({ retryAfterMs: 7000 });
    expect(failureOf(new VendorError('acme-helpdesk', 'unavailable', 'reset', { code: 'ECONNRESET' }))).toEqual({ networkCode: 'ECONNRESET' });
  });
});
