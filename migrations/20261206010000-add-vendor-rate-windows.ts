import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The vendor rate budgets every worker and api process shares: one row per connection and
 * vendor limit (`vendor:hubspot:<connection>:burst`), counted by rate-limiter-flexible's
 * RateLimiterPostgres. The columns are the ones it reads and writes: `key`, `points` used in the
 * current window, `expire` in epoch milliseconds. A row expires by itself, so a worker that dies
 * holds nothing; the library deletes long-expired rows, and the index keeps that delete cheap.
 */
export class AddVendorRateWindows20261206010000 implements MigrationInterface {
  name = 'AddVendorRateWindows20261206010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vendor_rate_windows (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
    await q.query(`CREATE INDEX vendor_rate_windows_expire_idx ON vendor_rate_windows (expire)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE vendor_rate_windows`);
  }
}
