import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@libs/db/src';
import { WebhookDeliveriesRepository } from '@libs/db/src/repositories/webhook-deliveries.repository';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { DeliveryBatcher, DeliveryNotStorable, PendingDelivery } from './delivery-batcher';

/** The batcher on real Postgres: what Postgres refuses in one row, and what it dedupes. */
describe('DeliveryBatcher on Postgres', () => {
  let database: TestDatabase;
  let db: DataSource;
  let connectionId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    db = await createDataSource(database.url).initialize();
    [{ id: connectionId }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted) VALUES ('zendesk', 'Support', 'v1.x.y.z') RETURNING id`);
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });
  beforeEach(() => db.query(`TRUNCATE webhook_deliveries`));

  const delivery = (id: string, fields: Partial<PendingDelivery> = {}): PendingDelivery => ({
    connectionId,
    source: 'zendesk',
    deliveryId: `${connectionId}:${id}`,
    contentKey: `content-${id}`,
    eventType: 'ticket.solved',
    payload: { externalId: id, subject: 'Export fails' },
    ...fields,
  });
  const stored = async () => (await db.query(`SELECT delivery_id FROM webhook_deliveries ORDER BY delivery_id`)).map((r: { delivery_id: string }) => r.delivery_id);
  const refusal = (p: Promise<boolean>) =>
    p.then(
      (isNew) => isNew,
      (error: unknown) => (error instanceof DeliveryNotStorable ? error.sqlState : error),
    );

  it('rows Postgres refuses (NUL, lone surrogate, a bad uuid, a removed connection) fail alone; the 30 beside them are recorded', async () => {
    const batcher = new DeliveryBatcher(new WebhookDeliveriesRepository(db.manager));
    const good = Array.from({ length: 30 }, (_, i) => delivery(`ok-${String(i).padStart(2, '0')}`));
    const bad = [
      delivery('nul', { payload: { subject: 'Export\u0000fails' } }),
      delivery('surrogate', { payload: { subject: 'Export \udc00 fails' } }),
      delivery('not-a-uuid', { connectionId: 'not-a-uuid' }),
      delivery('removed', { connectionId: randomUUID() }),
    ];
    // Recorded in one turn of the event loop: they share the first INSERT.
    const all = [...good.slice(0, 10), bad[0], ...good.slice(10, 20), bad[1], bad[2], ...good.slice(20), bad[3]];
    const answers = await Promise.all(all.map((d) => refusal(batcher.record(d))));

    const byId = new Map(all.map((d, i) => [d.deliveryId.split(':')[1], answers[i]]));
    expect(good.map((d) => byId.get(d.deliveryId.split(':')[1]))).toEqual(good.map(() => true));
    // 22P05 untranslatable_character, 22P02 invalid_text_representation, 23503 foreign_key_violation.
    expect(['nul', 'surrogate', 'not-a-uuid', 'removed'].map((id) => byId.get(id))).toEqual(['22P05', '22P02', '22P02', '23503']);
    expect(await stored()).toEqual(good.map((d) => d.deliveryId).sort());
  });

  it('recognises a replay by its signed content under a new invocation id, at once and later', async () => {
    const batcher = new DeliveryBatcher(new WebhookDeliveriesRepository(db.manager));
    const original = delivery('inv-1', { contentKey: 'signed-content' });
    const replay = delivery('inv-2', { contentKey: 'signed-content' });
    await expect(Promise.all([batcher.record(original), batcher.record(replay)])).resolves.toEqual([true, false]);
    await expect(batcher.record(delivery('inv-3', { contentKey: 'signed-content' }))).resolves.toBe(false);
    await expect(batcher.record(delivery('inv-1', { contentKey: 'resigned-content' }))).resolves.toBe(false);
    expect(await stored()).toEqual([original.deliveryId]);
  });
});
