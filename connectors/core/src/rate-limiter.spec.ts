import { BUDGET_STORE_TIMEOUT_MS, RateLimiter, RateWindowStore, slotOf } from './rate-limiter';
import { VendorError } from './vendor-error';
import { busiestWindow } from '@test/bench/rolling-window';

describe('slotOf', () => {
  it("gives each request a slot of the window plus the arrival slack, in whole milliseconds the library's seconds keep", () => {
    expect(slotOf({ requests: 190, perMs: 10_000 })).toEqual({ points: 1, durationMs: 54 }); // (10,000 + 250) / 190 = 53.9
    expect(slotOf({ requests: 4, perMs: 1_000, arrivalSlackMs: 100 })).toEqual({ points: 1, durationMs: 275 });
    const long = slotOf({ requests: 10, perMs: 60_000 }).durationMs; // 6,025 ms: 6.025 × 1000 is not 6025 in floating point
    expect(long).toBeGreaterThanOrEqual(6025);
    expect((long / 1000) * 1000).toBe(long);
  });
});

describe('RateLimiter on its own (no shared store)', () => {
  // Fake timers: the spacing is measured on the limiter's own clock, not on a loaded machine's.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('never lets a rolling window hold more than the budget, and spends it', async () => {
    const limiter = new RateLimiter({ requests: 5, perMs: 200, arrivalSlackMs: 0 }, { vendor: 'test', name: 'burst' });
    const starts: number[] = [];
    const all = Promise.all(Array.from({ length: 12 }, () => limiter.schedule(async () => void starts.push(Date.now()))));
    while (starts.length < 12) await jest.advanceTimersByTimeAsync(5);
    await all;
    expect(busiestWindow(starts, 200)).toBe(5);
    // …and no later than needed: 12 calls at 5 per 200 ms take 11 slots of 40 ms (plus the 5 ms steps of this test).
    expect(starts[11] - starts[0]).toBeLessThanOrEqual(11 * 40 + 11 * 5);
  });
});

describe('RateLimiter.scheduleWith (a call counted in two limits)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('keeps both limits in every rolling window while plain calls share the wider one', async () => {
    const wide = new RateLimiter({ requests: 5, perMs: 200, arrivalSlackMs: 0 }, { vendor: 'test', name: 'burst' });
    const narrow = new RateLimiter({ requests: 2, perMs: 200, arrivalSlackMs: 0 }, { vendor: 'test', name: 'search' });
    const all: number[] = [];
    const searches: number[] = [];
    const calls = [
      ...Array.from({ length: 6 }, () => wide.scheduleWith(narrow, async () => void (all.push(Date.now()), searches.push(Date.now())))),
      ...Array.from({ length: 6 }, () => wide.schedule(async () => void all.push(Date.now()))),
    ];
    while (all.length < 12) await jest.advanceTimersByTimeAsync(5);
    await Promise.all(calls);
    expect(busiestWindow(searches, 200)).toBeLessThanOrEqual(2);
    expect(busiestWindow(all, 200)).toBeLessThanOrEqual(5);
  });
});

describe('RateLimiter without its shared count', () => {
  it('fails closed with a retryable error and makes no call when the store cannot count', async () => {
    const store: RateWindowStore = { take: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) };
    const limiter = new RateLimiter({ requests: 190, perMs: 10_000 }, { vendor: 'acme-crm', name: 'burst', shared: { store, connectionKey: 'c1' } });
    const call = jest.fn(async () => 'sent');
    const outcome = limiter.schedule(call);
    await expect(outcome).rejects.toThrow(VendorError);
    await expect(outcome).rejects.toMatchObject({ kind: 'unavailable', retryable: true, details: { code: 'RATE_BUDGET_UNAVAILABLE' } });
    expect(call).not.toHaveBeenCalled();
  });

  it('fails closed when the store does not answer in time', async () => {
    jest.useFakeTimers();
    try {
      const store: RateWindowStore = { take: () => new Promise(() => undefined) };
      const limiter = new RateLimiter({ requests: 190, perMs: 10_000 }, { vendor: 'acme-crm', name: 'burst', shared: { store, connectionKey: 'c1' } });
      const call = jest.fn(async () => 'sent');
      const outcome = limiter.schedule(call);
      const settled = outcome.catch((error: unknown) => error);
      await jest.advanceTimersByTimeAsync(BUDGET_STORE_TIMEOUT_MS);
      expect(await settled).toMatchObject({ kind: 'unavailable', retryable: true });
      expect(call).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('counts under the vendor, the connection and the limit', async () => {
    const keys: string[] = [];
    const store: RateWindowStore = {
      take: async (window) => {
        keys.push(window.key);
        return { granted: true, msBeforeNext: 0 };
      },
    };
    const limiter = new RateLimiter({ requests: 4, perMs: 1_000 }, { vendor: 'acme-crm', name: 'search', shared: { store, connectionKey: 'conn-7' } });
    expect(await limiter.schedule(async () => 'sent')).toBe('sent');
    expect(keys).toEqual(['acme-crm:conn-7:search']);
  });
});
