import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's people: an email (unique ignoring case), an argon2id hash of the password and a
 * role (admin: everything; viewer: reports only). The hash is null for a person who signs in only
 * through single sign-on.
 */
export class AddConsoleUsers20261206110000 implements MigrationInterface {
  name = 'AddConsoleUsers20261206110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email <> '' AND length(email) <= 254),
        password_hash text,
        role text NOT NULL CHECK (role IN ('admin', 'viewer')),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX console_users_email_uq ON console_users (lower(email))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_users`);
  }
}
