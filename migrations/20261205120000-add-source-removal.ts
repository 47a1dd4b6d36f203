import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Removed sources and exact health (rules §4, §6, §7): an outbox write can be
 * `cancelled` (its connection was deleted before it went out); a follow-up can be `skipped` with
 * its reason (an escalation without a leadership owner is recorded, never created ownerless);
 * an account's activity can be `unknown` (no usage value and no ARR history reaching the trend
 * window back). Erased credentials are the empty string, so the column stays NOT NULL.
 */
export class AddSourceRemoval20261205120000 implements MigrationInterface {
  name = 'AddSourceRemoval20261205120000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
      CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'cancelled'))`);

    await q.query(`ALTER TABLE follow_ups ADD COLUMN skip_reason text`);
    await q.query(`ALTER TABLE follow_ups DROP CONSTRAINT follow_ups_status_check`);
    await q.query(`ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_status_check
      CHECK (status IN ('pending', 'open', 'completed', 'cancelled', 'failed', 'skipped'))`);
    await q.query(`ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_skip_reason_check CHECK (status <> 'skipped' OR skip_reason IS NOT NULL)`);
    await q.query(`CREATE INDEX follow_ups_skipped_idx ON follow_ups (created_at) WHERE status = 'skipped'`);

    await q.query(`ALTER TABLE account_health DROP CONSTRAINT account_health_activity_check`);
    await q.query(`ALTER TABLE account_health ADD CONSTRAINT account_health_activity_check CHECK (activity IN ('high', 'low', 'unknown'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Older code knows no unknown activity, skipped follow-up or cancelled write: closest states.
    await q.query(`UPDATE account_health SET activity = 'low' WHERE activity = 'unknown'`);
    await q.query(`ALTER TABLE account_health DROP CONSTRAINT account_health_activity_check`);
    await q.query(`ALTER TABLE account_health ADD CONSTRAINT account_health_activity_check CHECK (activity IN ('high', 'low'))`);

    await q.query(`DROP INDEX follow_ups_skipped_idx`);
    await q.query(`ALTER TABLE follow_ups DROP CONSTRAINT follow_ups_skip_reason_check`);
    await q.query(`UPDATE follow_ups SET status = 'cancelled', last_error = coalesce(last_error, skip_reason) WHERE status = 'skipped'`);
    await q.query(`ALTER TABLE follow_ups DROP CONSTRAINT follow_ups_status_check`);
    await q.query(`ALTER TABLE follow_ups ADD CONSTRAINT follow_ups_status_check
      CHECK (status IN ('pending', 'open', 'completed', 'cancelled', 'failed'))`);
    await q.query(`ALTER TABLE follow_ups DROP COLUMN skip_reason`);

    await q.query(`UPDATE outbox SET status = 'failed', last_error = coalesce(last_error, 'cancelled') WHERE status = 'cancelled'`);
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
      CHECK (status IN ('pending', 'delivering', 'delivered', 'failed'))`);
  }
}
