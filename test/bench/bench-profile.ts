import { DataSource } from 'typeorm';
import { RateLimiter } from '@connectors/core/src';

/**
 * BENCH_PROFILE=1: where one worker's time goes, summed over the run — waiting for a slot of
 * the shared budget, the vendor request itself, and the database transactions (a sync writes
 * each page in one). With prefetching the three overlap, so the sums may exceed the wall time.
 * Wraps the prototypes in place: only for benchmark processes.
 */
export interface Profile {
  report(): Record<string, number>;
}

export function profileWorker(): Profile {
  const ms = { budgetWaitMs: 0, requestMs: 0, transactionMs: 0, requests: 0, transactions: 0 };
  const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
  for (const method of ['schedule', 'scheduleWith'] as const) {
    const original = RateLimiter.prototype[method] as (...args: unknown[]) => Promise<unknown>;
    RateLimiter.prototype[method] = function (this: RateLimiter, ...args: unknown[]) {
      const asked = process.hrtime.bigint();
      const call = args[args.length - 1] as () => Promise<unknown>;
      // Called once the slot is granted: the wait ends, the request starts.
      const withWait = async () => {
        ms.budgetWaitMs += since(asked);
        const sent = process.hrtime.bigint();
        try {
          return await call();
        } finally {
          ms.requestMs += since(sent);
          ms.requests++;
        }
      };
      return original.apply(this, [...args.slice(0, -1), withWait]);
    } as never;
  }
  const transaction = DataSource.prototype.transaction as (...args: unknown[]) => Promise<unknown>;
  DataSource.prototype.transaction = async function (this: DataSource, ...args: unknown[]) {
    const start = process.hrtime.bigint();
    try {
      return await transaction.apply(this, args);
    } finally {
      ms.transactionMs += since(start);
      ms.transactions++;
    }
  } as never;
  return { report: () => Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)])) };
}
