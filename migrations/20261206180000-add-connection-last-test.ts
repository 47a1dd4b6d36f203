import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The latest connection test of each connection, as the vendor answered it (credentials
 * accepted or refused in its words, mapped fields it could not find), and when it ran: the
 * console lists it beside the status, and GET /api/connections returns it.
 */
export class AddConnectionLastTest20261206180000 implements MigrationInterface {
  name = 'AddConnectionLastTest20261206180000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connections ADD COLUMN last_test jsonb, ADD COLUMN last_tested_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connections DROP COLUMN last_test, DROP COLUMN last_tested_at`);
  }
}
