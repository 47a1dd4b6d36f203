import { DataSource } from 'typeorm';
import { RateLimiter } from '@connectors/core/src';

/**
 * BENCH_PROFILE=1: where one worker's time goes, summed over the run — waiting for a slot of
 * the shared budget, the vendor request itself, and the database transactions (a sync writes
 * each page in one). Reading ahead, the three overlap, so the sums may exceed the wall time.
 * Wraps the prototypes in place: only for benchmark processes.
 */
export interface Profile {
  /** Starts counting afresh (when the measured work starts). */
  start(): void;
  report(): Record<string, number | string>;
}

export function profileWorker(): Profile {
  const ms = { budgetWaitMs: 0, requestMs: 0, transactionMs: 0, requests: 0, transactions: 0 };
  const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
  // Requests sent per 10 s since start(), to see which part of the work leaves the budget idle.
  let began = Date.now();
  let cpu = process.cpuUsage();
  const per10s: number[] = [];
  // Database transaction time per 10 s, to see whether the writes between calls hold the work back.
  const transactionMsPer10s: number[] = [];
  for (const method of ['schedule', 'scheduleWith'] as const) {
    const original = RateLimiter.prototype[method] as (...args: unknown[]) => Promise<unknown>;
    RateLimiter.prototype[method] = function (this: RateLimiter, ...args: unknown[]) {
      const asked = process.hrtime.bigint();
      const call = args[args.length - 1] as () => Promise<unknown>;
      // Called once the slot is granted: the wait ends, the request starts.
      const withWait = async () => {
        ms.budgetWaitMs += since(asked);
        const sent = process.hrtime.bigint();
        const bucket = Math.floor((Date.now() - began) / 10_000);
        per10s[bucket] = (per10s[bucket] ?? 0) + 1;
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
      const took = since(start);
      ms.transactionMs += took;
      ms.transactions++;
      const bucket = Math.floor((Date.now() - began) / 10_000);
      transactionMsPer10s[bucket] = (transactionMsPer10s[bucket] ?? 0) + took;
    }
  } as never;
  return {
    start() {
      began = Date.now();
      cpu = process.cpuUsage();
      Object.assign(ms, { budgetWaitMs: 0, requestMs: 0, transactionMs: 0, requests: 0, transactions: 0 });
      per10s.length = 0;
      transactionMsPer10s.length = 0;
    },
    report() {
      const used = process.cpuUsage(cpu);
      const sums = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)]));
      return {
        ...sums,
        cpuMs: Math.round((used.user + used.system) / 1000),
        requestsPer10s: Array.from(per10s, (n) => n ?? 0).join(' '),
        transactionMsPer10s: Array.from(transactionMsPer10s, (n) => Math.round(n ?? 0)).join(' '),
      };
    },
  };
}
