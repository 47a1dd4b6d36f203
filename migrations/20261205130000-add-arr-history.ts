import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ARR history from the CRM's own field history (rules §7 activity axis) beside our
 * sync snapshots: each snapshot says where it came from, a CRM point is stored once per
 * (account, instant) however often the history is read again, and accounts changed by a sync
 * are marked until their history has been read (so an interrupted run finishes it next time).
 */
export class AddArrHistory20261205130000 implements MigrationInterface {
  name = 'AddArrHistory20261205130000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE arr_snapshots ADD COLUMN source text NOT NULL DEFAULT 'sync' CHECK (source IN ('crm', 'sync'))`);
    await q.query(`CREATE UNIQUE INDEX arr_snapshots_crm_point_key ON arr_snapshots (account_id, captured_at) WHERE source = 'crm'`);
    await q.query(`ALTER TABLE accounts ADD COLUMN arr_history_due boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX accounts_arr_history_due_idx ON accounts (connection_id) WHERE arr_history_due`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX accounts_arr_history_due_idx`);
    await q.query(`ALTER TABLE accounts DROP COLUMN arr_history_due`);
    await q.query(`DROP INDEX arr_snapshots_crm_point_key`);
    await q.query(`ALTER TABLE arr_snapshots DROP COLUMN source`);
  }
}
