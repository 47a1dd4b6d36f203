import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Console sign-in sessions, kept by connect-pg-simple (express-session's Postgres store) in the
 * columns it reads and writes: sid, sess, expire. Made here rather than by the library, so the
 * schema comes from migrations only; `expire` is timestamptz (the library compares it with
 * to_timestamp(), which is timestamptz too).
 */
export class AddConsoleSessions20261206130000 implements MigrationInterface {
  name = 'AddConsoleSessions20261206130000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_sessions (
        sid varchar PRIMARY KEY,
        sess jsonb NOT NULL,
        expire timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX console_sessions_expire_idx ON console_sessions (expire)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_sessions`);
  }
}
