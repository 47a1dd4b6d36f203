import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts (rules §9): each raised once per cause and period (the unique key, so evaluating twice
 * or on two workers at once keeps one row), kept with its state. Their email and incoming-webhook
 * deliveries ride the outbox like vendor writes, so an outage delays them and never loses or
 * repeats one: an outbox row now belongs to a connection or to an alert.
 */
export class AddAlerts20261206040000 implements MigrationInterface {
  name = 'AddAlerts20261206040000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cause text NOT NULL,
        period text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('significant_drop', 'declining_quarters', 'detractor_loop_closure', 'role_gap', 'emerging_theme', 'revenue_coverage')),
        stream text NOT NULL CHECK (stream IN ('relational', 'transactional')),
        message text NOT NULL,
        details jsonb NOT NULL,
        state text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'acknowledged')),
        raised_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        CONSTRAINT alerts_cause_period_uq UNIQUE (cause, period),
        CONSTRAINT alerts_acknowledged_check CHECK ((state = 'acknowledged') = (acknowledged_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX alerts_listing_idx ON alerts (state, stream, raised_at DESC)`);

    await q.query(`ALTER TABLE outbox ALTER COLUMN connection_id DROP NOT NULL`);
    await q.query(`ALTER TABLE outbox ADD COLUMN alert_id uuid REFERENCES alerts(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_target_check CHECK ((connection_id IS NULL) <> (alert_id IS NULL))`);
    await q.query(`CREATE INDEX outbox_alert_pending_idx ON outbox (next_attempt_at) WHERE status = 'pending' AND alert_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_alert_pending_idx`);
    await q.query(`DELETE FROM outbox WHERE alert_id IS NOT NULL`);
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_target_check`);
    await q.query(`ALTER TABLE outbox DROP COLUMN alert_id`);
    await q.query(`ALTER TABLE outbox ALTER COLUMN connection_id SET NOT NULL`);
    await q.query(`DROP TABLE alerts`);
  }
}
