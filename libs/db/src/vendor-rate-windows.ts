import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';

/** The shared vendor budgets' table (migration 20261206010000). */
export const VENDOR_RATE_WINDOWS_TABLE = 'vendor_rate_windows';

/**
 * A counter of `points` per window of `durationMs` in Postgres, for the connectors' rate
 * limiters (connectors/core RateWindows): every process on the database counts in the same
 * rows, atomically (one INSERT … ON CONFLICT per request, rate-limiter-flexible's own
 * statement). The migration made the table; the library must not create one of its own.
 */
export function vendorRateWindowCounter(dataSource: DataSource): (points: number, durationMs: number) => RateLimiterPostgres {
  return (points, durationMs) =>
    new RateLimiterPostgres({
      storeClient: dataSource,
      storeType: 'typeorm',
      tableName: VENDOR_RATE_WINDOWS_TABLE,
      tableCreated: true,
      keyPrefix: 'vendor',
      points,
      duration: durationMs / 1000,
    });
}
