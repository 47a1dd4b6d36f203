import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The core schema every later feature builds on. Money is numeric, dates without time are
 * `date`, instants are timestamptz. Idempotency lives in unique keys, not in code.
 */
export class CreateCoreSchema20261123140000 implements MigrationInterface {
  name = 'CreateCoreSchema20261123140000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);

    await q.query(`
      CREATE TABLE connections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        name text NOT NULL,
        credentials_encrypted text NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'active', 'paused', 'auth_failed', 'error', 'disabled')),
        status_reason text,
        status_changed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX connections_name_uq ON connections (lower(name)) WHERE deleted_at IS NULL`);

    await q.query(`
      CREATE TABLE crm_owners (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        name text,
        email text,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (connection_id, external_id)
      )`);

    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        name text NOT NULL,
        arr numeric(16, 2),
        arr_currency char(3),
        renewal_date date,
        tier text,
        customer_since date,
        owner_external_id text,
        usage_score numeric(12, 4),
        active boolean NOT NULL DEFAULT true,
        remote_modified_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        UNIQUE (connection_id, external_id)
      )`);
    await q.query(`CREATE INDEX accounts_renewal_idx ON accounts (renewal_date) WHERE deleted_at IS NULL`);

    await q.query(`
      CREATE TABLE arr_snapshots (
        id bigserial PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        arr numeric(16, 2) NOT NULL,
        arr_currency char(3),
        captured_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX arr_snapshots_account_idx ON arr_snapshots (account_id, captured_at)`);

    await q.query(`
      CREATE TABLE contacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        external_id text NOT NULL,
        account_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        email text,
        first_name text,
        last_name text,
        role text NOT NULL DEFAULT 'other'
          CHECK (role IN ('decision_maker', 'admin', 'end_user', 'other')),
        source_roles text[] NOT NULL DEFAULT '{}',
        unsubscribed_at timestamptz,
        remote_modified_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        UNIQUE (connection_id, external_id)
      )`);
    await q.query(`CREATE INDEX contacts_email_idx ON contacts (lower(email)) WHERE deleted_at IS NULL`);
    await q.query(`CREATE INDEX contacts_account_idx ON contacts (account_id) WHERE deleted_at IS NULL`);

    await q.query(`
      CREATE TABLE surveys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stream text NOT NULL CHECK (stream IN ('relational', 'transactional')),
        trigger text NOT NULL CHECK (trigger IN ('quarterly', 'pre_renewal', 'ticket_solved', 'onboarding')),
        CHECK ((stream = 'relational' AND trigger IN ('quarterly', 'pre_renewal'))
            OR (stream = 'transactional' AND trigger IN ('ticket_solved', 'onboarding'))),
        idempotency_key text NOT NULL UNIQUE,
        source_connection_id uuid REFERENCES connections(id) ON DELETE SET NULL,
        source_ref text,
        contact_id uuid REFERENCES contacts(id) ON DELETE SET NULL,
        account_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        email text NOT NULL,
        status text NOT NULL DEFAULT 'scheduled'
          CHECK (status IN ('scheduled', 'sent', 'answered', 'cancelled', 'skipped', 'failed')),
        skip_reason text,
        CHECK (status NOT IN ('skipped', 'cancelled') OR skip_reason IS NOT NULL),
        scheduled_at timestamptz NOT NULL,
        send_deadline_at timestamptz,
        sent_at timestamptz,
        expires_at timestamptz,
        token_hash text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX surveys_due_idx ON surveys (scheduled_at) WHERE status = 'scheduled'`);
    await q.query(`CREATE INDEX surveys_recipient_idx ON surveys (lower(email), sent_at)`);

    await q.query(`
      CREATE TABLE responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        survey_id uuid NOT NULL UNIQUE REFERENCES surveys(id) ON DELETE CASCADE,
        stream text NOT NULL CHECK (stream IN ('relational', 'transactional')),
        trigger text NOT NULL,
        contact_id uuid REFERENCES contacts(id) ON DELETE SET NULL,
        account_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        score smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
        category text NOT NULL CHECK (category IN ('promoter', 'passive', 'detractor')),
        comment text,
        themes text[] NOT NULL DEFAULT '{}',
        reference_opt_in boolean NOT NULL DEFAULT false,
        role_snapshot text,
        tier_snapshot text,
        arr_band_snapshot text,
        tenure_band_snapshot text,
        enterprise_snapshot boolean,
        first_answered_at timestamptz NOT NULL DEFAULT now(),
        last_changed_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX responses_account_idx ON responses (account_id, stream, settled_at)`);
    await q.query(`CREATE INDEX responses_unsettled_idx ON responses (last_changed_at) WHERE settled_at IS NULL`);

    await q.query(`
      CREATE TABLE follow_ups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        response_id uuid NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        kind text NOT NULL,
        UNIQUE (response_id, kind),
        owner_kind text NOT NULL CHECK (owner_kind IN ('account_owner', 'leadership', 'helpdesk_group')),
        owner_external_id text,
        due_at timestamptz,
        priority text NOT NULL CHECK (priority IN ('high', 'normal', 'low')),
        subject text NOT NULL,
        body text NOT NULL,
        target_connection_id uuid REFERENCES connections(id) ON DELETE SET NULL,
        target_system text NOT NULL,
        external_id text,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'open', 'completed', 'cancelled', 'failed')),
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX follow_ups_open_idx ON follow_ups (due_at) WHERE status IN ('pending', 'open')`);

    await q.query(`
      CREATE TABLE sync_cursors (
        connection_id uuid NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        stream text NOT NULL,
        cursor text,
        full_sync_completed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connection_id, stream)
      )`);

    await q.query(`
      CREATE TABLE sync_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connection_id uuid NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        mode text NOT NULL CHECK (mode IN ('full', 'incremental')),
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'paused', 'interrupted')),
        stream_stats jsonb NOT NULL DEFAULT '{}'::jsonb,
        records_read integer NOT NULL DEFAULT 0,
        records_created integer NOT NULL DEFAULT 0,
        records_updated integer NOT NULL DEFAULT 0,
        records_deleted integer NOT NULL DEFAULT 0,
        records_total integer,
        api_calls integer NOT NULL DEFAULT 0,
        started_at timestamptz,
        finished_at timestamptz,
        duration_ms integer,
        error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sync_runs_connection_idx ON sync_runs (connection_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        connection_id uuid REFERENCES connections(id) ON DELETE CASCADE,
        source text NOT NULL,
        delivery_id text NOT NULL,
        event_type text,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        error text,
        UNIQUE (source, delivery_id)
      )`);

    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        connection_id uuid NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        operation text NOT NULL,
        dedupe_key text NOT NULL UNIQUE,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'delivering', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        external_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox (connection_id, next_attempt_at) WHERE status = 'pending'`);

    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        entity text NOT NULL,
        entity_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_log',
      'outbox',
      'webhook_deliveries',
      'sync_runs',
      'sync_cursors',
      'follow_ups',
      'responses',
      'surveys',
      'contacts',
      'arr_snapshots',
      'accounts',
      'crm_owners',
      'connections',
      'admin_keys',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
