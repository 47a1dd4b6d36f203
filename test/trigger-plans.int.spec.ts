import { Client } from 'pg';
import { runMigrations } from '@libs/db/src';
import { pairedPlannedOnce, plannedOnce, plannedPerStatement } from '@migrations/20261206220000-plan-transition-joins-per-statement';
import { arrJoined, arrLookedUp } from '@migrations/20261206230000-account-totals-look-up-arr-by-key';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** Every statement's plan, nested ones included, as auto_explain sends them to this session until `stop`. */
async function capturePlans(client: Client): Promise<{ plans: string[]; stop: () => Promise<void> }> {
  const plans: string[] = [];
  const listener = (notice: { message?: string }) => plans.push(notice.message ?? '');
  client.on('notice', listener);
  await client.query(`LOAD 'auto_explain'`);
  await client.query(`SET auto_explain.log_min_duration = 0`);
  await client.query(`SET auto_explain.log_nested_statements = on`);
  await client.query(`SET client_min_messages = log`);
  return {
    plans,
    stop: async () => {
      await client.query(`SET client_min_messages = notice`);
      client.off('notice', listener);
    },
  };
}

/**
 * Statement triggers that pair old and new rows (`old_rows x JOIN new_rows y ON y.id = x.id`)
 * must be planned for the rows at hand: a plan PL/pgSQL kept from a session's first, one-row
 * update compares every old row with every new one (a 20,000-account update took 38-80 s).
 */
describe('trigger statements that pair old and new rows', () => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    await runMigrations(db.url);
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('are all run through EXECUTE, in every trigger function', async () => {
    const functions: Array<{ proname: string; prosrc: string }> = await client
      .query(`SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.pronamespace = 'public'::regnamespace AND l.lanname = 'plpgsql'`)
      .then((r) => r.rows);
    const paired = functions.filter((f) => /old_rows/.test(f.prosrc) && /new_rows/.test(f.prosrc));
    expect(paired.map((f) => f.proname)).toEqual(expect.arrayContaining(['account_report_sums_update', 'response_rollups_update', 'latest_relational_answers_update']));
    expect(functions.flatMap((f) => pairedPlannedOnce(f.prosrc).map((sql) => `${f.proname}: ${sql.slice(0, 80)}`))).toEqual([]);
  });

  it('wraps and unwraps a body exactly, an IF … THEN kept outside the EXECUTE', () => {
    const body = `
        BEGIN
          UPDATE w SET c = 1 FROM new_rows x WHERE w.id = x.id;
  INSERT INTO t SELECT x.id FROM new_rows x JOIN old_rows y ON y.id = x.id WHERE x.a <> y.a;
IF EXISTS (SELECT 1 FROM new_rows) THEN
  INSERT INTO u SELECT CASE WHEN x.a THEN 1 END FROM old_rows x JOIN new_rows y ON y.id = x.id; END IF;
          RETURN NULL;
        END `;
    const planned = plannedPerStatement(body);
    expect(pairedPlannedOnce(body)).toHaveLength(2);
    expect(pairedPlannedOnce(planned)).toEqual([]);
    expect(planned).toContain('IF EXISTS (SELECT 1 FROM new_rows) THEN\n  EXECUTE $planned$\n  INSERT INTO u');
    expect(planned).toContain('UPDATE w SET c = 1 FROM new_rows x WHERE w.id = x.id;');
    expect(plannedPerStatement(planned)).toBe(planned);
    expect(plannedOnce(planned)).toBe(body);
  });

  it("plan a large update's pairing for its size after a one-row update in the same session, and keep the counts", async () => {
    const [{ id: connection }] = (await client.query(`INSERT INTO connections (kind, name, credentials_encrypted, status) VALUES ('hubspot', 'plans', 'x', 'active') RETURNING id`))
      .rows;
    const { rows: accounts } = await client.query(
      `INSERT INTO accounts (connection_id, external_id, name, arr) SELECT $1, 'acct-' || k, 'Account ' || k, k FROM generate_series(1, 3000) k RETURNING id`,
      [connection],
    );
    // Every account has response totals, so an ARR change rewrites them (both streams).
    await client.query(
      `INSERT INTO account_response_totals (stream, account_id, promoters, passives, detractors) SELECT s, a, 1, 0, 0 FROM unnest($1::uuid[]) a, unnest(ARRAY['relational', 'transactional']) s`,
      [accounts.map((a: { id: string }) => a.id)],
    );
    const { plans, stop } = await capturePlans(client);

    // The session's first update is one row: a plan kept from it would pair the large one row by row.
    await client.query(`UPDATE accounts SET arr = arr + 1 WHERE external_id = 'acct-1'`);
    plans.length = 0;
    await client.query(`UPDATE accounts SET arr = arr * 2 WHERE connection_id = $1`, [connection]);
    await stop();

    const pairing = plans.filter((plan) => /INSERT INTO account_response_totals/.test(plan) && /Named Tuplestore Scan/.test(plan));
    expect(pairing).toHaveLength(1);
    expect(pairing[0]).toMatch(/Hash Join|Merge Join/);
    expect(pairing[0]).not.toMatch(/Nested Loop[^\n]*\n[^\n]*Join Filter: \(\(x\.id = y\.id\)/);
    const { rows } = await client.query(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE t.cents = (a.arr * 100)::bigint)::int AS current
       FROM account_response_totals t JOIN accounts a ON a.id = t.account_id`,
    );
    expect(rows).toEqual([{ rows: 6000, current: 6000 }]);
  });

  it("look each touched account's ARR up by key for new account totals, not a join that reads every account, whatever the session planned first", async () => {
    const responseTriggers: Array<{ proname: string; prosrc: string }> = await client
      .query(`SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proname = ANY($1)`, [
        ['response_rollups_insert', 'response_rollups_update', 'response_rollups_delete'],
      ])
      .then((r) => r.rows);
    expect(responseTriggers).toHaveLength(3);
    for (const { prosrc } of responseTriggers) {
      expect(prosrc).not.toMatch(/JOIN accounts/);
      expect(arrLookedUp(arrJoined(prosrc))).toBe(prosrc);
    }

    const [{ id: connection }] = (
      await client.query(`INSERT INTO connections (kind, name, credentials_encrypted, status) VALUES ('hubspot', 'lookups', 'x', 'active') RETURNING id`)
    ).rows;
    const { rows: accounts } = await client.query(
      `INSERT INTO accounts (connection_id, external_id, name, arr) SELECT $1, 'look-' || k, 'Account ' || k, k * 10.25 FROM generate_series(1, 5000) k RETURNING id`,
      [connection],
    );
    await client.query(`ANALYZE accounts`);
    const ids = accounts.map((a: { id: string }) => a.id);
    const answer = (accountIds: string[], ref: string) =>
      client.query(
        `INSERT INTO responses (stream, trigger, account_id, score, category, settled_at, import_source, import_ref, import_id, import_email)
         SELECT 'relational', 'quarterly', a, 9, 'promoter', now(), 'lookups', $2 || n, gen_random_uuid(), $2 || n || '@customer.example'
         FROM unnest($1::uuid[]) WITH ORDINALITY AS u(a, n)`,
        [accountIds, ref],
      );
    const { plans, stop } = await capturePlans(client);
    // A first batch the size of an import's, then a one-row one: neither reads every account.
    await answer(ids.slice(0, 1000), 'a');
    await answer(ids.slice(1000, 1001), 'b');
    await stop();

    const totals = plans.filter((plan) => /INSERT INTO account_response_totals/.test(plan));
    expect(totals).toHaveLength(2);
    for (const plan of totals) {
      expect(plan).not.toMatch(/Seq Scan on accounts/);
      expect(plan).toMatch(/Index (Only )?Scan using accounts_pkey on accounts/);
    }
    const { rows } = await client.query(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE t.cents = (a.arr * 100)::bigint AND t.promoters = 1)::int AS current
       FROM account_response_totals t JOIN accounts a ON a.id = t.account_id WHERE a.connection_id = $1`,
      [connection],
    );
    expect(rows).toEqual([{ rows: 1001, current: 1001 }]);
  });
});
