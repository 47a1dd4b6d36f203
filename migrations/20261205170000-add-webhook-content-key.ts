import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A webhook delivery keeps a hash of what was signed (signature timestamp + body), unique per
 * connection: a replay within the signature window is a repeat even when its unsigned invocation
 * id header was changed or left out. Rows recorded before have none (NULLs never conflict).
 */
export class AddWebhookContentKey20261205170000 implements MigrationInterface {
  name = 'AddWebhookContentKey20261205170000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN content_key text`);
    await q.query(`CREATE UNIQUE INDEX webhook_deliveries_content_key_idx ON webhook_deliveries (connection_id, content_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_deliveries_content_key_idx`);
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN content_key`);
  }
}
