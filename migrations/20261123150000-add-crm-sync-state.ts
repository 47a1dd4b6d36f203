import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What CRM sync needs beyond the core schema: the roles each contact holds at each account
 * (Salesforce AccountContactRelation, HubSpot association labels), references kept by external
 * id until the referenced row arrives, "last seen" stamps for full-sync deletion sweeps, and
 * the pause a connection gets when it nears its API budget.
 */
export class AddCrmSyncState20261123150000 implements MigrationInterface {
  name = 'AddCrmSyncState20261123150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contact_roles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        account_external_id text NOT NULL,
        contact_external_id text NOT NULL,
        account_id uuid REFERENCES accounts(id) ON DELETE CASCADE,
        contact_id uuid REFERENCES contacts(id) ON DELETE CASCADE,
        source_roles text[] NOT NULL DEFAULT '{}',
        role text NOT NULL DEFAULT 'other' CHECK (role IN ('decision_maker', 'admin', 'end_user', 'other')),
        remote_modified_at timestamptz,
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        UNIQUE (connection_id, external_id)
      )`);
    await q.query(`CREATE INDEX contact_roles_account_idx ON contact_roles (connection_id, account_external_id)`);
    await q.query(`CREATE INDEX contact_roles_contact_idx ON contact_roles (connection_id, contact_external_id)`);

    await q.query(`ALTER TABLE contacts ADD COLUMN account_external_id text`);
    await q.query(`CREATE INDEX contacts_account_external_idx ON contacts (connection_id, account_external_id)`);
    for (const table of ['crm_owners', 'accounts', 'contacts']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now()`);
    }
    await q.query(`ALTER TABLE crm_owners ADD COLUMN deleted_at timestamptz`);

    await q.query(`ALTER TABLE sync_cursors ADD COLUMN full_sync_started_at timestamptz`);
    await q.query(`ALTER TABLE connections ADD COLUMN paused_until timestamptz`);
    await q.query(`ALTER TABLE connections ADD COLUMN last_api_usage jsonb`);
    await q.query(`ALTER TABLE sync_runs ADD COLUMN trigger text NOT NULL DEFAULT 'schedule'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_runs DROP COLUMN trigger`);
    await q.query(`ALTER TABLE connections DROP COLUMN last_api_usage`);
    await q.query(`ALTER TABLE connections DROP COLUMN paused_until`);
    await q.query(`ALTER TABLE sync_cursors DROP COLUMN full_sync_started_at`);
    await q.query(`ALTER TABLE crm_owners DROP COLUMN deleted_at`);
    for (const table of ['crm_owners', 'accounts', 'contacts']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN last_seen_at`);
    }
    await q.query(`DROP INDEX contacts_account_external_idx`);
    await q.query(`ALTER TABLE contacts DROP COLUMN account_external_id`);
    await q.query(`DROP TABLE contact_roles`);
  }
}
