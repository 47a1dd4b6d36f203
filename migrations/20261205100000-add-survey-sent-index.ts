import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The daily send cap counts the surveys sent in the program's local day on every dispatch
 * tick: an index on sent_at keeps that a range scan instead of a scan of every survey.
 */
export class AddSurveySentIndex20261205100000 implements MigrationInterface {
  name = 'AddSurveySentIndex20261205100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX surveys_sent_at_idx ON surveys (sent_at) WHERE sent_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX surveys_sent_at_idx`);
  }
}
