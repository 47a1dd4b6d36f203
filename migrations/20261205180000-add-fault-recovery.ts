import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Faults cost seconds, not hours. An outbox field update retried after a newer pending update of
 * the same record was queued is `merged` into that newer row (`merged_into` points at it) instead
 * of colliding with it. A sync run keeps `heartbeat_at` fresh while its worker lives, so a run
 * left `running` by a killed worker is recognised within a minute; `resumed_at` records that a
 * stopped run was handed to a new job, so it is resumed once.
 */
export class AddFaultRecovery20261205180000 implements MigrationInterface {
  name = 'AddFaultRecovery20261205180000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
      CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'cancelled', 'merged'))`);
    await q.query(`ALTER TABLE outbox ADD COLUMN merged_into bigint REFERENCES outbox(id) ON DELETE SET NULL`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_merged_into_check CHECK (status <> 'merged' OR merged_into IS NOT NULL)`);

    await q.query(`ALTER TABLE sync_runs ADD COLUMN heartbeat_at timestamptz, ADD COLUMN resumed_at timestamptz`);
    await q.query(`CREATE INDEX sync_runs_unfinished_idx ON sync_runs (connection_id) WHERE status IN ('running', 'interrupted')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sync_runs_unfinished_idx`);
    await q.query(`ALTER TABLE sync_runs DROP COLUMN resumed_at, DROP COLUMN heartbeat_at`);

    // Older code knows no merged write: its values went out with the row it was merged into.
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_merged_into_check`);
    await q.query(`UPDATE outbox SET status = 'cancelled', last_error = coalesce(last_error, 'merged into a newer update') WHERE status = 'merged'`);
    await q.query(`ALTER TABLE outbox DROP COLUMN merged_into`);
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
      CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'cancelled'))`);
  }
}
