import { DataSource, QueryRunner } from 'typeorm';
import { createDataSource, runMigrations } from '@libs/db/src';
import { RenameVendorKeys20261206020000 } from '@migrations/20261206020000-rename-vendor-keys';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * Data stored before the rename, run through the migration: the program rule and queued ticket
 * write-backs come out in the product's words, and down gives back exactly what was stored.
 */
describe('migration 20261206020000: stored vendor keys renamed', () => {
  let db: TestDatabase;
  let source: DataSource;
  let runner: QueryRunner;
  const migration = new RenameVendorKeys20261206020000();

  beforeAll(async () => {
    db = await createTestDatabase();
    await runMigrations(db.url);
    source = await createDataSource(db.url).initialize();
    runner = source.createQueryRunner();
  });
  afterAll(async () => {
    await runner?.release();
    await source?.destroy();
    await db.drop();
  });

  const storedRules = async () => (await source.query(`SELECT settings FROM program_settings WHERE id = 1`))[0].settings;
  const payloads = async () => (await source.query(`SELECT dedupe_key, payload FROM outbox ORDER BY id`)) as Array<{ dedupe_key: string; payload: Record<string, unknown> }>;

  it('renames the stored rule and turns queued score fields into scores; down restores both', async () => {
    const before = {
      live: true,
      rules: { zendeskDetractorTaskDueHours: 12, dailySendCap: 40, followUp: { detractor: { dueHours: 24 } } },
    };
    await source.query(`UPDATE program_settings SET settings = $1`, [before]);
    const [helpdesk] = await source.query(
      `INSERT INTO connections (kind, name, credentials_encrypted, status, settings) VALUES ('zendesk', 'zd', 'v1.x.y.z', 'active', '{"npsScoreFieldId": 360001}') RETURNING id`,
    );
    const [fieldless] = await source.query(
      `INSERT INTO connections (kind, name, credentials_encrypted, status, settings) VALUES ('zendesk', 'zd2', 'v1.x.y.z', 'active', '{}') RETURNING id`,
    );
    const note = { ticketId: '42', closed: false, followUpSubject: 'NPS detractor (2/10) on closed ticket #42', externalId: 'nps-bridge:write-back:r1' };
    const queued = [
      [
        helpdesk.id,
        'write-back:r1',
        'helpdesk.write_back',
        { ...note, update: { customFields: [{ id: 360001, value: 2 }], tags: ['nps_detractor'], privateNote: 'NPS score: 2' } },
      ],
      [fieldless.id, 'write-back:r2', 'helpdesk.write_back', { ...note, ticketId: '43', update: { tags: ['nps_promoter'], privateNote: 'NPS score: 10' } }],
      [helpdesk.id, 'ticket:f1', 'helpdesk.create_ticket', { ticket: { subject: 'NPS detractor', body: 'call', type: 'task', externalId: 'nps-bridge:follow-up:f1' } }],
    ] as const;
    for (const [connectionId, key, operation, payload] of queued) {
      await source.query(`INSERT INTO outbox (connection_id, dedupe_key, operation, payload) VALUES ($1, $2, $3, $4)`, [connectionId, key, operation, payload]);
    }
    const original = await payloads();

    await migration.up(runner);
    expect(await storedRules()).toEqual({
      live: true,
      rules: { ticketDetractorTaskDueHours: 12, dailySendCap: 40, followUp: { detractor: { dueHours: 24 } } },
    });
    const upgraded = await payloads();
    expect(upgraded[0].payload).toEqual({ ...note, update: { score: 2, tags: ['nps_detractor'], privateNote: 'NPS score: 2' } });
    expect(upgraded.slice(1)).toEqual(original.slice(1)); // no score field: nothing to carry; other operations untouched

    await migration.down(runner);
    expect(await storedRules()).toEqual(before);
    expect(await payloads()).toEqual(original);
  });

  it('leaves programs without the rule, or without stored rules, as they are', async () => {
    for (const settings of [{}, { live: false }, { rules: { dailySendCap: 10 } }]) {
      await source.query(`UPDATE program_settings SET settings = $1`, [settings]);
      await migration.up(runner);
      expect(await storedRules()).toEqual(settings);
      await migration.down(runner);
      expect(await storedRules()).toEqual(settings);
    }
  });
});
