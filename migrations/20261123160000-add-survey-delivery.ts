import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Survey delivery and the program's settings: a `sending` claim so a mail is never sent twice,
 * retry bookkeeping for SMTP failures, the helpdesk context the email names, a global opt-out
 * list by email (it outlives contact re-syncs and covers requesters not in the CRM), and one
 * row of program settings the admin edits.
 */
export class AddSurveyDelivery20261123160000 implements MigrationInterface {
  name = 'AddSurveyDelivery20261123160000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE surveys DROP CONSTRAINT surveys_status_check`);
    await q.query(`ALTER TABLE surveys ADD CONSTRAINT surveys_status_check
      CHECK (status IN ('scheduled', 'sending', 'sent', 'answered', 'cancelled', 'skipped', 'failed'))`);
    await q.query(`ALTER TABLE surveys
      ADD COLUMN recipient_name text,
      ADD COLUMN context jsonb NOT NULL DEFAULT '{}'::jsonb,
      ADD COLUMN send_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN next_attempt_at timestamptz,
      ADD COLUMN claimed_at timestamptz,
      ADD COLUMN last_error text,
      ADD COLUMN message_id text`);
    await q.query(`CREATE INDEX surveys_source_idx ON surveys (source_connection_id, trigger, source_ref)`);
    await q.query(`CREATE INDEX surveys_contact_idx ON surveys (contact_id, scheduled_at)`);

    await q.query(`
      CREATE TABLE opt_outs (
        email text PRIMARY KEY CHECK (email = lower(email)),
        opted_out_at timestamptz NOT NULL DEFAULT now(),
        survey_id uuid REFERENCES surveys(id) ON DELETE SET NULL
      )`);

    await q.query(`
      CREATE TABLE program_settings (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO program_settings (id) VALUES (1)`);
    await q.query(`CREATE INDEX webhook_deliveries_unprocessed_idx ON webhook_deliveries (received_at) WHERE processed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_deliveries_unprocessed_idx`);
    await q.query(`DROP TABLE program_settings`);
    await q.query(`DROP TABLE opt_outs`);
    await q.query(`DROP INDEX surveys_contact_idx`);
    await q.query(`DROP INDEX surveys_source_idx`);
    await q.query(`ALTER TABLE surveys
      DROP COLUMN message_id, DROP COLUMN last_error, DROP COLUMN claimed_at, DROP COLUMN next_attempt_at,
      DROP COLUMN send_attempts, DROP COLUMN context, DROP COLUMN recipient_name`);
    await q.query(`UPDATE surveys SET status = 'scheduled' WHERE status = 'sending'`);
    await q.query(`ALTER TABLE surveys DROP CONSTRAINT surveys_status_check`);
    await q.query(`ALTER TABLE surveys ADD CONSTRAINT surveys_status_check
      CHECK (status IN ('scheduled', 'sent', 'answered', 'cancelled', 'skipped', 'failed'))`);
  }
}
