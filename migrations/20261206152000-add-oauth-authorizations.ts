import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OAuth authorization code flows an admin started ("bring your own OAuth app"): one row per
 * authorize link, found by the SHA-256 of its state (the state itself is never stored), used
 * once, expiring. The app's client id and secret and the PKCE verifier stay encrypted until the
 * callback uses them, then are erased; the row keeps the outcome (the vendor's words when it
 * refused) for the page the admin returns to.
 */
export class AddOAuthAuthorizations20261206152000 implements MigrationInterface {
  name = 'AddOAuthAuthorizations20261206152000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE oauth_authorizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        state_hash text NOT NULL UNIQUE,
        kind text NOT NULL,
        connection_id uuid REFERENCES connections(id) ON DELETE CASCADE,
        connection_name text,
        settings jsonb,
        secrets_encrypted text NOT NULL,
        redirect_uri text NOT NULL,
        return_to text NOT NULL,
        started_by text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'connected', 'failed')),
        error_code text,
        error_message text,
        result_connection_id uuid REFERENCES connections(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        completed_at timestamptz,
        CHECK (connection_id IS NOT NULL OR connection_name IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX oauth_authorizations_expires_idx ON oauth_authorizations (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE oauth_authorizations`);
  }
}
