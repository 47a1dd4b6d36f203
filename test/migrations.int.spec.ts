import { Client } from 'pg';
import { revertAllMigrations, runMigrations } from '@libs/db/src';
import { MIGRATIONS } from '@migrations/index';
import { createTestDatabase, TestDatabase } from './support/test-database';

const CORE_TABLES = [
  'account_health',
  'account_latest_sums',
  'account_quadrant_weights',
  'account_response_totals',
  'accounts',
  'admin_keys',
  'alerts',
  'arr_snapshots',
  'arr_weight_groups',
  'audit_log',
  'connections',
  'console_sessions',
  'console_setup_tokens',
  'console_users',
  'contact_roles',
  'contacts',
  'crm_owners',
  'follow_ups',
  'import_counts_pending',
  'imported_people',
  'imports',
  'latest_relational_answers',
  'loop_closure_rollups',
  'oauth_authorizations',
  'opt_outs',
  'outbox',
  'program_settings',
  'quadrant_totals',
  'request_throttles',
  'response_marginals',
  'response_permalinks',
  'response_rollups',
  'responses',
  'survey_rollups',
  'surveys',
  'sync_cursors',
  'sync_runs',
  'vendor_rate_windows',
  'webhook_deliveries',
];

async function publicTables(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY tablename`);
    return rows.map((r) => r.tablename);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('apply every migration to an empty database, then revert them all, leaving it empty', async () => {
    expect(await publicTables(db.url)).toEqual([]);

    const applied = await runMigrations(db.url);
    expect(applied).toEqual(MIGRATIONS.map((m) => new m().name));
    expect(await publicTables(db.url)).toEqual(CORE_TABLES);
    expect(await runMigrations(db.url)).toEqual([]);

    expect(await revertAllMigrations(db.url)).toBe(MIGRATIONS.length);
    expect(await publicTables(db.url)).toEqual([]);
  });

  it('enforce the idempotency keys and value rules in the schema', async () => {
    await runMigrations(db.url);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`INSERT INTO connections (kind, name, credentials_encrypted) VALUES ('crm', 'Main CRM', 'v1.x.y.z') RETURNING id`);
      const connectionId = rows[0].id as string;
      const account = `INSERT INTO accounts (connection_id, external_id, name, arr) VALUES ($1, 'A-1', 'Acme', '100000.00')`;
      await client.query(account, [connectionId]);
      await expect(client.query(account, [connectionId])).rejects.toThrow(/accounts_connection_id_external_id_key/);

      const survey = `INSERT INTO surveys (stream, trigger, idempotency_key, email, scheduled_at)
                      VALUES ($1, $2, $3, 'a@example.com', now()) RETURNING id`;
      await expect(client.query(survey, ['relational', 'ticket_solved', 'k0'])).rejects.toThrow(/check/i);
      const surveyId = (await client.query(survey, ['transactional', 'ticket_solved', 'ticket:1'])).rows[0].id;
      await expect(client.query(survey, ['transactional', 'ticket_solved', 'ticket:1'])).rejects.toThrow(/idempotency_key/);

      const response = `INSERT INTO responses (survey_id, stream, trigger, score, category) VALUES ($1, 'transactional', 'ticket_solved', $2, 'detractor')`;
      await expect(client.query(response, [surveyId, 11])).rejects.toThrow(/responses_score_check/);
      await client.query(response, [surveyId, 6]);

      const arr = await client.query(`SELECT arr FROM accounts WHERE external_id = 'A-1'`);
      expect(arr.rows[0].arr).toBe('100000.00');
    } finally {
      await client.end();
      await revertAllMigrations(db.url);
    }
  });
});
