import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index of responses by person, and two more sums kept by triggers, so the account reports taken now stop reading every account's
 * rows (issue 15: role gap, account distribution and ARR-weighted NPS were 240-470 ms at 1M):
 *
 * - `account_latest_sums`: per account, the counts and score sums of its people's latest relational
 *   answers (`latest_relational_answers`), all of them. The window (rules §7: the trailing 365
 *   days) moves with time, so a report subtracts the few answers that fell out of it, read by the
 *   `at` index, instead of counting the ones inside it.
 * - `arr_weight_groups`: the ARR-weighted NPS's sums (rules §9) per stream and number of responses
 *   an account has, over accounts with ARR > 0. Each `account_response_totals` row now carries its
 *   account's ARR in cents, so a group's sums follow from that table's changes alone; an ARR
 *   change rewrites the account's rows for both streams (inserting empty ones where none exist),
 *   so a response counted for an account while its ARR changes waits on the same row and the two
 *   never miss each other.
 * - `quadrant_totals`: active accounts (not removed) and their ARR per current health quadrant
 *   (NPS × ARR, and revenue coverage's whole), from `account_quadrant_weights`, one row per account
 *   with its quadrant, whether it counts and its ARR: an account change writes the last two, a
 *   health change the first, each under the row's lock, so the row always holds both latest.
 * - revenue coverage reads the decision makers heard in its window from a partial index of them.
 */
const SUMS = `n, total, p, pa, d, dm_n, dm_total, dm_p, dm_d, eu_n, eu_p, eu_d`;

/** One side of a change to the latest answers, per account, each answer counted with `sign`. */
const latestCells = (source: string, sign: string) => `
  SELECT x.account_id, ${sign} AS n, ${sign} * x.score AS total, ${sign} * (x.score >= 9)::int AS p, ${sign} * (x.score BETWEEN 7 AND 8)::int AS pa,
         ${sign} * (x.score <= 6)::int AS d, ${sign} * (x.role = 'decision_maker')::int AS dm_n, ${sign} * (x.role = 'decision_maker')::int * x.score AS dm_total,
         ${sign} * (x.role = 'decision_maker' AND x.score >= 9)::int AS dm_p, ${sign} * (x.role = 'decision_maker' AND x.score <= 6)::int AS dm_d,
         ${sign} * (x.role = 'end_user')::int AS eu_n, ${sign} * (x.role = 'end_user' AND x.score >= 9)::int AS eu_p,
         ${sign} * (x.role = 'end_user' AND x.score <= 6)::int AS eu_d
  FROM ${source}`;

const upsertLatestSums = (cells: string) => `
  INSERT INTO account_latest_sums AS t (account_id, ${SUMS})
  SELECT account_id, ${SUMS.split(', ')
    .map((c) => `sum(${c})`)
    .join(', ')} FROM (${cells}) c
  GROUP BY account_id ORDER BY account_id
  ON CONFLICT (account_id) DO UPDATE SET ${SUMS.split(', ')
    .map((c) => `${c} = t.${c} + excluded.${c}`)
    .join(', ')}`;

const GROUP_SUMS = `accounts, cents, promoter_cents, passive_cents, detractor_cents, square_cents`;

/** One side of a change to the account totals: each account with ARR and responses adds (or, with `sign` -1, takes away) its weight. */
const groupCells = (source: string, sign: string) => `
  SELECT x.stream, x.promoters + x.passives + x.detractors AS responses, ${sign} AS accounts, ${sign} * x.cents::numeric AS cents,
         ${sign} * x.cents::numeric * x.promoters AS promoter_cents, ${sign} * x.cents::numeric * x.passives AS passive_cents,
         ${sign} * x.cents::numeric * x.detractors AS detractor_cents, ${sign} * x.cents::numeric * x.cents AS square_cents
  FROM ${source} WHERE x.cents > 0 AND x.promoters + x.passives + x.detractors > 0`;

const upsertGroups = (cells: string) => `
  INSERT INTO arr_weight_groups AS t (stream, responses, ${GROUP_SUMS})
  SELECT stream, responses, ${GROUP_SUMS.split(', ')
    .map((c) => `sum(${c})`)
    .join(', ')} FROM (${cells}) c
  GROUP BY stream, responses ORDER BY stream, responses
  ON CONFLICT (stream, responses) DO UPDATE SET ${GROUP_SUMS.split(', ')
    .map((c) => `${c} = t.${c} + excluded.${c}`)
    .join(', ')}`;

/** An account's ARR in whole cents (ARR is numeric(16, 2)); 0 when unknown. */
const CENTS = (a: string) => `coalesce((${a}.arr * 100)::bigint, 0)`;

/** Both streams' totals rows of these accounts carry `cents` (rows without responses are made, so a concurrent first response meets this row). */
const setCents = (accounts: string) => `
  INSERT INTO account_response_totals AS t (stream, account_id, promoters, passives, detractors, cents)
  SELECT s.stream, a.id, 0, 0, 0, a.cents FROM (${accounts}) a CROSS JOIN (VALUES ('relational'), ('transactional')) AS s(stream)
  ORDER BY 1, 2
  ON CONFLICT (stream, account_id) DO UPDATE SET cents = excluded.cents WHERE t.cents IS DISTINCT FROM excluded.cents`;

/** One side of a change to the account weights: each counted account adds (or takes away) itself and its ARR to its quadrant. */
const quadrantCells = (source: string, sign: string) => `
  SELECT x.quadrant, ${sign} AS accounts, ${sign} * x.cents::numeric AS cents FROM ${source} WHERE x.counted`;

const upsertQuadrants = (cells: string) => `
  INSERT INTO quadrant_totals AS t (quadrant, accounts, cents)
  SELECT quadrant, sum(accounts), sum(cents) FROM (${cells}) c GROUP BY quadrant ORDER BY quadrant
  ON CONFLICT (quadrant) DO UPDATE SET accounts = t.accounts + excluded.accounts, cents = t.cents + excluded.cents`;

/** Whether an account counts among the active ones (not deactivated, not removed). */
const COUNTED = (a: string) => `(${a}.active AND ${a}.deleted_at IS NULL)`;

export class AddAccountReportSums20261206200000 implements MigrationInterface {
  name = 'AddAccountReportSums20261206200000';

  async up(q: QueryRunner): Promise<void> {
    // The person view lists a person's responses: without it each view read every response.
    await q.query(`CREATE INDEX IF NOT EXISTS responses_contact_idx ON responses (contact_id)`);
    const fn = (name: string, body: string, returns = 'NULL') =>
      q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          ${body};
          RETURN ${returns};
        END $fn$`);
    /** Statement triggers `<name>_<op>` on `table` for insert, update, delete (with their transition tables) and truncate, each running `run(op)`. */
    const statementTriggers = async (table: string, name: string, run: (op: string) => string = (op) => `${name}_${op}`) => {
      for (const [op, refs] of [
        ['insert', 'REFERENCING NEW TABLE AS new_rows'],
        ['update', 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'],
        ['delete', 'REFERENCING OLD TABLE AS old_rows'],
        ['truncate', ''],
      ]) {
        await q.query(`CREATE TRIGGER ${name}_${op} AFTER ${op.toUpperCase()} ON ${table} ${refs} FOR EACH STATEMENT EXECUTE FUNCTION ${run(op)}()`);
      }
    };

    // Latest answers per account.
    await q.query(`
      CREATE TABLE account_latest_sums (
        account_id uuid PRIMARY KEY,
        ${SUMS.split(', ')
          .map((c) => `${c} integer NOT NULL`)
          .join(', ')}
      )`);
    await q.query(`INSERT INTO account_latest_sums (account_id, ${SUMS})
      SELECT account_id, ${SUMS.split(', ')
        .map((c) => `sum(${c})`)
        .join(', ')} FROM (${latestCells('latest_relational_answers x', '1')}) c GROUP BY account_id`);
    await fn('account_latest_sums_insert', upsertLatestSums(latestCells('new_rows x', '1')));
    await fn('account_latest_sums_update', upsertLatestSums(`${latestCells('old_rows x', '-1')} UNION ALL ${latestCells('new_rows x', '1')}`));
    await fn('account_latest_sums_delete', upsertLatestSums(latestCells('old_rows x', '-1')));
    await fn('account_latest_sums_truncate', `DELETE FROM account_latest_sums`);
    await statementTriggers('latest_relational_answers', 'account_latest_sums');

    // ARR weights per stream and responses per account.
    await q.query(`ALTER TABLE account_response_totals ADD COLUMN cents bigint NOT NULL DEFAULT 0`);
    await q.query(`UPDATE account_response_totals t SET cents = ${CENTS('a')} FROM accounts a WHERE a.id = t.account_id`);
    await q.query(`
      CREATE TABLE arr_weight_groups (
        stream text NOT NULL, responses integer NOT NULL, accounts integer NOT NULL, cents numeric NOT NULL, promoter_cents numeric NOT NULL,
        passive_cents numeric NOT NULL, detractor_cents numeric NOT NULL, square_cents numeric NOT NULL,
        PRIMARY KEY (stream, responses)
      )`);
    await q.query(`INSERT INTO arr_weight_groups (stream, responses, ${GROUP_SUMS})
      SELECT stream, responses, ${GROUP_SUMS.split(', ')
        .map((c) => `sum(${c})`)
        .join(', ')} FROM (${groupCells('account_response_totals x', '1')}) c GROUP BY stream, responses`);
    // A totals row made by a response takes its account's ARR as it is then (an ARR change made since rewrites it, below).
    await fn('account_response_totals_cents', `NEW.cents := coalesce((SELECT ${CENTS('a')} FROM accounts a WHERE a.id = NEW.account_id), 0)`, 'NEW');
    await q.query(`CREATE TRIGGER account_response_totals_cents BEFORE INSERT ON account_response_totals FOR EACH ROW EXECUTE FUNCTION account_response_totals_cents()`);
    await fn('arr_weight_groups_insert', upsertGroups(groupCells('new_rows x', '1')));
    await fn('arr_weight_groups_update', upsertGroups(`${groupCells('old_rows x', '-1')} UNION ALL ${groupCells('new_rows x', '1')}`));
    await fn('arr_weight_groups_delete', upsertGroups(groupCells('old_rows x', '-1')));
    await fn('arr_weight_groups_truncate', `DELETE FROM arr_weight_groups`);
    await statementTriggers('account_response_totals', 'arr_weight_groups');
    // Active accounts and their ARR per quadrant.
    await q.query(`
      CREATE TABLE account_quadrant_weights (
        account_id uuid PRIMARY KEY, quadrant text NOT NULL, counted boolean NOT NULL, cents bigint NOT NULL
      )`);
    await q.query(`INSERT INTO account_quadrant_weights (account_id, quadrant, counted, cents)
      SELECT a.id, coalesce(h.quadrant, 'unknown'), ${COUNTED('a')}, ${CENTS('a')} FROM accounts a LEFT JOIN account_health h ON h.account_id = a.id`);
    await q.query(`CREATE TABLE quadrant_totals (quadrant text PRIMARY KEY, accounts integer NOT NULL, cents numeric NOT NULL)`);
    await q.query(`INSERT INTO quadrant_totals (quadrant, accounts, cents)
      SELECT quadrant, sum(accounts), sum(cents) FROM (${quadrantCells('account_quadrant_weights x', '1')}) c GROUP BY quadrant`);
    await fn('quadrant_totals_insert', upsertQuadrants(quadrantCells('new_rows x', '1')));
    await fn('quadrant_totals_update', upsertQuadrants(`${quadrantCells('old_rows x', '-1')} UNION ALL ${quadrantCells('new_rows x', '1')}`));
    await fn('quadrant_totals_delete', upsertQuadrants(quadrantCells('old_rows x', '-1')));
    await fn('quadrant_totals_truncate', `DELETE FROM quadrant_totals`);
    await statementTriggers('account_quadrant_weights', 'quadrant_totals');

    // An account made, changed or gone: its weight row (counted, ARR), and its ARR on its response totals.
    await fn(
      'account_report_sums_insert',
      `INSERT INTO account_quadrant_weights AS w (account_id, quadrant, counted, cents)
       SELECT x.id, coalesce((SELECT h.quadrant FROM account_health h WHERE h.account_id = x.id), 'unknown'), ${COUNTED('x')}, ${CENTS('x')} FROM new_rows x ORDER BY x.id
       ON CONFLICT (account_id) DO UPDATE SET counted = excluded.counted, cents = excluded.cents;
       -- A new account has no responses yet (they reference it): only totals left by an earlier row of the same id can need its ARR.
       UPDATE account_response_totals t SET cents = ${CENTS('x')} FROM new_rows x WHERE t.account_id = x.id AND t.cents <> ${CENTS('x')}`,
    );
    await fn(
      'account_report_sums_update',
      `UPDATE account_quadrant_weights w SET counted = ${COUNTED('x')}, cents = ${CENTS('x')} FROM new_rows x
       WHERE w.account_id = x.id AND (w.counted, w.cents) IS DISTINCT FROM (${COUNTED('x')}, ${CENTS('x')});
       ${setCents(`SELECT x.id, ${CENTS('x')} AS cents FROM new_rows x JOIN old_rows y ON y.id = x.id WHERE ${CENTS('x')} <> ${CENTS('y')}`)}`,
    );
    await fn(
      'account_report_sums_delete',
      `DELETE FROM account_quadrant_weights WHERE account_id IN (SELECT id FROM old_rows);
       UPDATE account_response_totals SET cents = 0 WHERE cents <> 0 AND account_id IN (SELECT id FROM old_rows)`,
    );
    await fn('account_report_sums_truncate', `DELETE FROM account_quadrant_weights; UPDATE account_response_totals SET cents = 0 WHERE cents <> 0`);
    // A health refresh moves the account to its quadrant (the account row exists: health references it).
    await fn(
      'account_health_quadrant_change',
      `UPDATE account_quadrant_weights w SET quadrant = x.quadrant FROM new_rows x WHERE w.account_id = x.account_id AND w.quadrant <> x.quadrant`,
    );
    await fn(
      'account_health_quadrant_delete',
      `UPDATE account_quadrant_weights SET quadrant = 'unknown' WHERE quadrant <> 'unknown' AND account_id IN (SELECT account_id FROM old_rows)`,
    );
    await fn('account_health_quadrant_truncate', `UPDATE account_quadrant_weights SET quadrant = 'unknown' WHERE quadrant <> 'unknown'`);
    await statementTriggers('accounts', 'account_report_sums');
    await statementTriggers('account_health', 'account_health_quadrant', (op) => `account_health_quadrant_${op === 'insert' || op === 'update' ? 'change' : op}`);

    // Revenue coverage: the decision makers' relational answers of a window, without visiting the responses.
    await q.query(`CREATE INDEX responses_decision_maker_idx ON responses (settled_at) INCLUDE (account_id)
                   WHERE stream = 'relational' AND role_snapshot = 'decision_maker' AND account_id IS NOT NULL AND settled_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX responses_decision_maker_idx`);
    for (const op of ['insert', 'update', 'delete', 'truncate']) {
      await q.query(`DROP TRIGGER account_health_quadrant_${op} ON account_health`);
      await q.query(`DROP TRIGGER account_report_sums_${op} ON accounts`);
      await q.query(`DROP FUNCTION account_report_sums_${op}()`);
      await q.query(`DROP TRIGGER quadrant_totals_${op} ON account_quadrant_weights`);
      await q.query(`DROP FUNCTION quadrant_totals_${op}()`);
      await q.query(`DROP TRIGGER arr_weight_groups_${op} ON account_response_totals`);
      await q.query(`DROP FUNCTION arr_weight_groups_${op}()`);
      await q.query(`DROP TRIGGER account_latest_sums_${op} ON latest_relational_answers`);
      await q.query(`DROP FUNCTION account_latest_sums_${op}()`);
    }
    for (const name of ['change', 'delete', 'truncate']) await q.query(`DROP FUNCTION account_health_quadrant_${name}()`);
    await q.query(`DROP TRIGGER account_response_totals_cents ON account_response_totals`);
    await q.query(`DROP FUNCTION account_response_totals_cents()`);
    await q.query(`DROP TABLE quadrant_totals`);
    await q.query(`DROP TABLE account_quadrant_weights`);
    await q.query(`DROP TABLE arr_weight_groups`);
    await q.query(`ALTER TABLE account_response_totals DROP COLUMN cents`);
    await q.query(`DROP TABLE account_latest_sums`);
    await q.query(`DROP INDEX responses_contact_idx`);
  }
}
