import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read-only response page (rules §6): each link is an unguessable token of which
 * only the SHA-256 hash is kept, like survey tokens. A response may have several live links (the
 * one in its task, one an admin issued later); revoking ends them all.
 */
export class AddResponsePermalinks20261205110000 implements MigrationInterface {
  name = 'AddResponsePermalinks20261205110000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE response_permalinks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        response_id uuid NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by text
      )`);
    await q.query(`CREATE INDEX response_permalinks_live_idx ON response_permalinks (response_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE response_permalinks`);
  }
}
