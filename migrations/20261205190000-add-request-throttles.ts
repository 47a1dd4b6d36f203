import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failure counters of the request throttles (failed admin authentications, unknown survey and
 * response-page links), shared by every api process. The columns are the ones
 * rate-limiter-flexible's RateLimiterPostgres reads and writes: `key` (prefix:client), `points`
 * used, `expire` in epoch milliseconds. The library deletes expired rows itself; the index keeps
 * that delete cheap.
 */
export class AddRequestThrottles20261205190000 implements MigrationInterface {
  name = 'AddRequestThrottles20261205190000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_throttles (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
    await q.query(`CREATE INDEX request_throttles_expire_idx ON request_throttles (expire)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE request_throttles`);
  }
}
