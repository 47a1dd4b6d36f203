import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closing the loop: the outbox learns claims (a crashed worker's claim expires), coalescing of
 * pending field updates per record, and the time a create's outcome became unknown (a retry
 * looks for the record before creating it again). Follow-ups point at their account; account
 * health and the field values last queued for the CRM are kept, so only changes are written.
 */
export class AddLoopClosure20261123170000 implements MigrationInterface {
  name = 'AddLoopClosure20261123170000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox
      ADD COLUMN follow_up_id uuid REFERENCES follow_ups(id) ON DELETE SET NULL,
      ADD COLUMN record_key text,
      ADD COLUMN claimed_at timestamptz,
      ADD COLUMN outcome_unknown_since timestamptz`);
    await q.query(`CREATE UNIQUE INDEX outbox_pending_record_uq ON outbox (connection_id, operation, record_key) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX outbox_delivering_idx ON outbox (claimed_at) WHERE status = 'delivering'`);

    await q.query(`ALTER TABLE follow_ups
      ADD COLUMN account_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
      ADD COLUMN last_error text`);
    await q.query(`CREATE INDEX follow_ups_target_idx ON follow_ups (target_connection_id, external_id)`);

    await q.query(`
      CREATE TABLE account_health (
        account_id uuid PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        sentiment text CHECK (sentiment IN ('promoter', 'passive', 'detractor')),
        quadrant text NOT NULL
          CHECK (quadrant IN ('champion', 'adoption_risk', 'passive_engaged', 'passive_drifting', 'friction', 'churn_risk', 'unknown')),
        relational_nps numeric(6, 2),
        decision_maker_nps numeric(6, 2),
        end_user_nps numeric(6, 2),
        role_gap numeric(6, 2),
        role_gap_flagged boolean NOT NULL DEFAULT false,
        responses_12m integer NOT NULL DEFAULT 0,
        last_response_date date,
        activity text NOT NULL CHECK (activity IN ('high', 'low')),
        activity_basis text NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        crm_fields jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`ALTER TABLE contacts ADD COLUMN crm_nps_fields jsonb NOT NULL DEFAULT '{}'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contacts DROP COLUMN crm_nps_fields`);
    await q.query(`DROP TABLE account_health`);
    await q.query(`DROP INDEX follow_ups_target_idx`);
    await q.query(`ALTER TABLE follow_ups DROP COLUMN account_id, DROP COLUMN last_error`);
    await q.query(`DROP INDEX outbox_delivering_idx`);
    await q.query(`DROP INDEX outbox_pending_record_uq`);
    await q.query(`ALTER TABLE outbox DROP COLUMN follow_up_id, DROP COLUMN record_key, DROP COLUMN claimed_at, DROP COLUMN outcome_unknown_since`);
  }
}
