import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One-time links that create the first console admin (`/console/setup?token=…`, printed by the
 * all-in-one while no console user exists). Only a SHA-256 of each token is kept; a token works
 * once and until it expires.
 */
export class AddConsoleSetupTokens20261206120000 implements MigrationInterface {
  name = 'AddConsoleSetupTokens20261206120000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_setup_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        CONSTRAINT console_setup_tokens_expiry_check CHECK (expires_at > created_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_setup_tokens`);
  }
}
