import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports (rules §9) group settled responses by stream and time, read each person's latest
 * relational answer, and count skipped surveys by the time they were planned for: indexes that
 * keep those range scans instead of scans of every row.
 */
export class AddReportIndexes20261206030000 implements MigrationInterface {
  name = 'AddReportIndexes20261206030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX responses_report_idx ON responses (stream, settled_at) INCLUDE (category, trigger, account_id) WHERE settled_at IS NOT NULL`);
    await q.query(`CREATE INDEX responses_latest_relational_idx ON responses (contact_id, settled_at DESC) WHERE stream = 'relational' AND settled_at IS NOT NULL`);
    await q.query(`CREATE INDEX surveys_skipped_idx ON surveys (scheduled_at) WHERE status IN ('skipped', 'cancelled')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX surveys_skipped_idx`);
    await q.query(`DROP INDEX responses_latest_relational_idx`);
    await q.query(`DROP INDEX responses_report_idx`);
  }
}
