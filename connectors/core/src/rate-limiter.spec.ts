import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  // Fake timers: the spacing is measured on the limiter's own clock, not on a loaded machine's.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('never lets a rolling window hold more than the budget', async () => {
    const limiter = new RateLimiter({ requests: 5, perMs: 200 });
    const starts: number[] = [];
    const all = Promise.all(Array.from({ length: 12 }, () => limiter.schedule(async () => void starts.push(Date.now()))));
    while (starts.length < 12) await jest.advanceTimersByTimeAsync(10);
    await all;
    for (let i = 5; i < starts.length; i++) {
      // the 6th start after any start is one full window later (Bottleneck rounds its waits by a millisecond or so)
      expect(starts[i] - starts[i - 5]).toBeGreaterThanOrEqual(195);
    }
    // …and no later than needed: 12 calls at 5 per 200 ms take 11 spacings of 40 ms.
    expect(starts[11] - starts[0]).toBeLessThanOrEqual(11 * 40 + 20);
    const stopped = limiter.stop();
    await jest.runAllTimersAsync();
    await stopped;
  });
});
