import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook deliveries say what became of them: `outcome` names the survey planned or why none was
 * (ticket_already_surveyed, own_ticket, ...), so a delivery that made no survey can be explained.
 * `next_attempt_at` is when a delivery may be taken (again): a worker's claim while it reads the
 * ticket from the helpdesk, or a later retry after the helpdesk could not be read.
 */
export class AddWebhookDeliveryOutcome20261205140000 implements MigrationInterface {
  name = 'AddWebhookDeliveryOutcome20261205140000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN outcome text, ADD COLUMN next_attempt_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN next_attempt_at, DROP COLUMN outcome`);
  }
}
