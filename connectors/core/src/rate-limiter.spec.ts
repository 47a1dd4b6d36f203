import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('never lets a rolling window hold more than the budget', async () => {
    const limiter = new RateLimiter({ requests: 5, perMs: 200 });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.schedule(async () => void starts.push(Date.now()))));
    for (let i = 5; i < starts.length; i++) {
      // the 6th start after any start must be at least one full window later (small timer slack)
      expect(starts[i] - starts[i - 5]).toBeGreaterThanOrEqual(195);
    }
    await limiter.stop();
  });
});
