import { backoffMs, decideRetry, DEFAULT_RETRY, failureOf, retryAfterMs, withRetry } from './retry-policy';
import { VendorError } from './vendor-error';

describe('decideRetry', () => {
  it('retries a HubSpot ten-secondly 429 after at least 10 s', () => {
    expect(decideRetry({ status: 429, code: 'TEN_SECONDLY_ROLLING' }, 1)).toEqual({
      retry: true,
      reason: 'rate limited (429 TEN_SECONDLY_ROLLING)',
      waitMs: 10_000,
    });
  });

  it('stops on a HubSpot daily limit: waiting inside a job would not help', () => {
    expect(decideRetry({ status: 429, code: 'DAILY' }, 1)).toMatchObject({ retry: false, reason: 'daily API limit reached' });
  });

  it('honours Retry-After in seconds and as an HTTP date when longer than the backoff', () => {
    expect(decideRetry({ status: 429, headers: { 'retry-after': '7' } }, 1).waitMs).toBe(7000);
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Mon, 23 Nov 2026 10:00:30 GMT' }, now)).toBe(30_000);
  });

  it('retries Salesforce REQUEST_LIMIT_EXCEEDED (403, no Retry-After) with exponential backoff', () => {
    const first = decideRetry({ status: 403, code: 'REQUEST_LIMIT_EXCEEDED' }, 1);
    const third = decideRetry({ status: 403, code: 'REQUEST_LIMIT_EXCEEDED' }, 3);
    expect(first).toMatchObject({ retry: true, waitMs: 500 });
    expect(third).toMatchObject({ retry: true, waitMs: 2000 });
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

  it('gives up after maxAttempts and caps the wait', () => {
    expect(decideRetry({ status: 503 }, DEFAULT_RETRY.maxAttempts).retry).toBe(false);
    expect(backoffMs(30)).toBe(DEFAULT_RETRY.maxDelayMs);
    expect(decideRetry({ status: 429, headers: { 'retry-after': '3600' } }, 1).waitMs).toBe(DEFAULT_RETRY.maxDelayMs);
  });
});

describe('withRetry', () => {
  it('retries retryable vendor errors with the decided waits, then returns the result', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw new VendorError('hubspot', 'rate_limited', 'slow down', { status: 429, code: 'TEN_SECONDLY_ROLLING' });
        if (calls === 2) throw new VendorError('hubspot', 'unavailable', 'bad gateway', { status: 502 });
        return 'page';
      },
      failureOf,
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('page');
    expect(waits).toEqual([10_000, 1000]);
  });

  it('does not retry an auth failure or an unknown error', async () => {
    let calls = 0;
    const auth = new VendorError('salesforce', 'auth', 'invalid_grant: expired authorization code', { status: 400 });
    await expect(withRetry(async () => (calls++, Promise.reject(auth)), failureOf, { sleep: async () => undefined })).rejects.toBe(auth);
    await expect(withRetry(async () => (calls++, Promise.reject(new TypeError('bug'))), failureOf)).rejects.toThrow('bug');
    expect(calls).toBe(2);
  });
});
