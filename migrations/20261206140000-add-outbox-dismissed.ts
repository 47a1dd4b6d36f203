import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An admin may dismiss a write-back the vendor refused (or one still waiting): it is kept with
 * the vendor's words, never sent, and no longer listed as needing attention. The partial index
 * serves the console's lists of waiting and refused writes, newest first, without walking the
 * delivered ones.
 */
export class AddOutboxDismissed20261206140000 implements MigrationInterface {
  name = 'AddOutboxDismissed20261206140000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
      CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'cancelled', 'merged', 'dismissed'))`);
    await q.query(`CREATE INDEX outbox_attention_idx ON outbox (id DESC) WHERE status IN ('pending', 'delivering', 'failed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX outbox_attention_idx`);
    await q.query(`UPDATE outbox SET status = 'cancelled', last_error = coalesce(last_error, 'dismissed') WHERE status = 'dismissed'`);
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`);
    await q.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
      CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'cancelled', 'merged'))`);
  }
}
