import Bottleneck from 'bottleneck';

export interface RateBudget {
  /** Requests allowed per window… */
  requests: number;
  /** …of this many ms, rolling. */
  perMs: number;
  /** At most this many requests in flight. */
  maxConcurrent?: number;
}

/**
 * Spaces requests so no rolling window ever holds more than the budget (minTime = window /
 * requests), which a fixed-window reservoir cannot promise at window edges.
 */
export class RateLimiter {
  private readonly limiter: Bottleneck;

  constructor(readonly budget: RateBudget) {
    this.limiter = new Bottleneck({
      minTime: Math.ceil(budget.perMs / budget.requests),
      maxConcurrent: budget.maxConcurrent ?? null,
    });
  }

  schedule<T>(call: () => Promise<T>): Promise<T> {
    return this.limiter.schedule(call);
  }

  async stop(): Promise<void> {
    await this.limiter.stop({ dropWaitingJobs: false });
  }
}
