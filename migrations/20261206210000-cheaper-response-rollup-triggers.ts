import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The triggers that keep the report counts (migrations add-report-rollups and
 * add-latest-relational-answers) cost less per statement, for the same counts; a history import
 * of a million answers spent half its database time in them (issue 17):
 * - a response insert takes each person's latest relational answer from the inserted rows alone:
 *   the table already holds the latest of the older ones, and the upsert keeps the newer of the two
 *   (it read every earlier answer of each person, so each batch of an import cost more than the last);
 * - the statement's cells are grouped once (a few hundred) for `response_rollups` and
 *   `response_marginals`, which was summed from every row six times over;
 * - the answered marks of `survey_rollups` are looked for only when a changed response has a
 *   survey (an imported answer has none, and a join with every survey was planned for each batch);
 * - a new account totals row gets its account's ARR from one join per statement, not a row trigger.
 * The upserts still go in key order, table after table in the same order as before.
 *
 * And contacts get statistics on their lower-case email (the index on it is partial, so the
 * planner had none): an import looks up each batch's addresses, and without them each lookup was
 * planned for a hundred contacts per address, as a bitmap scan per address or a scan of every
 * contact (and, on a server with JIT, compiled for each batch).
 */
const RESPONSE_KEY = `stream, month, trigger, tier, arr_band, tenure_band, role, quadrant, theme`;
const MARGINAL_KEY = `stream, month, trigger, segment, value, theme`;
const SURVEY_KEY = `stream, month, trigger, kind, reason`;
const COUNTS = `promoters = t.promoters + excluded.promoters, passives = t.passives + excluded.passives, detractors = t.detractors + excluded.detractors`;
const NONZERO = `sum(promoters) <> 0 OR sum(passives) <> 0 OR sum(detractors) <> 0`;

/** The cells one side of a change touches, each response counted with `sign`; `x` is the side's alias (as add-report-rollups). */
const responseCells = (source: string, sign: string) => `
  SELECT x.stream, (date_trunc('month', x.settled_at AT TIME ZONE 'UTC'))::date AS month, x.trigger,
         coalesce(x.tier_snapshot, 'unknown') AS tier, coalesce(x.arr_band_snapshot, 'unknown') AS arr_band,
         coalesce(x.tenure_band_snapshot, 'unknown') AS tenure_band, coalesce(x.role_snapshot, 'unknown') AS role,
         coalesce(x.quadrant_snapshot, 'unknown') AS quadrant, t.theme,
         ${sign} * (x.category = 'promoter')::int AS promoters, ${sign} * (x.category = 'passive')::int AS passives,
         ${sign} * (x.category = 'detractor')::int AS detractors
  FROM ${source} CROSS JOIN LATERAL unnest(array_prepend('', x.themes)) AS t(theme)
  WHERE x.settled_at IS NOT NULL`;

const accountCells = (source: string, sign: string) => `
  SELECT x.stream, x.account_id, ${sign} * (x.category = 'promoter')::int AS promoters, ${sign} * (x.category = 'passive')::int AS passives,
         ${sign} * (x.category = 'detractor')::int AS detractors
  FROM ${source} WHERE x.settled_at IS NOT NULL AND x.account_id IS NOT NULL`;

const answeredCells = (source: string, sign: string) => `
  SELECT s.stream, (date_trunc('month', s.sent_at AT TIME ZONE 'UTC'))::date AS month, s.trigger, 'sent' AS kind, '' AS reason,
         0 AS surveys, ${sign} AS answered
  FROM ${source} JOIN surveys s ON s.id = x.survey_id WHERE s.sent_at IS NOT NULL`;

const upsertResponses = (cells: string) => `
  INSERT INTO response_rollups AS t (${RESPONSE_KEY}, promoters, passives, detractors)
  SELECT ${RESPONSE_KEY}, sum(promoters), sum(passives), sum(detractors) FROM (${cells}) c
  GROUP BY ${RESPONSE_KEY} HAVING ${NONZERO} ORDER BY ${RESPONSE_KEY}
  ON CONFLICT (${RESPONSE_KEY}) DO UPDATE SET ${COUNTS}`;

/** Every single segment value of the cells in `from` (and `all` once), summed. */
const upsertMarginals = (from: string) => `
  INSERT INTO response_marginals AS t (${MARGINAL_KEY}, promoters, passives, detractors)
  SELECT ${MARGINAL_KEY}, sum(promoters), sum(passives), sum(detractors) FROM (
    SELECT c.stream, c.month, c.trigger, s.segment, s.value, c.theme, c.promoters, c.passives, c.detractors
    FROM ${from} c CROSS JOIN LATERAL (VALUES ('all', ''), ('tier', c.tier), ('arr_band', c.arr_band), ('tenure_band', c.tenure_band),
                                              ('role', c.role), ('quadrant', c.quadrant)) AS s(segment, value)) m
  GROUP BY ${MARGINAL_KEY} HAVING ${NONZERO} ORDER BY ${MARGINAL_KEY}
  ON CONFLICT (${MARGINAL_KEY}) DO UPDATE SET ${COUNTS}`;

/**
 * Both from the statement's cells, grouped once: the rollups by the statement itself, then the
 * marginals (a data-modifying WITH that nothing reads runs after the statement), the order
 * add-report-rollups' two statements had.
 */
const upsertResponsesAndMarginals = (cells: string) => `
  WITH cells AS MATERIALIZED (
    SELECT ${RESPONSE_KEY}, sum(promoters) AS promoters, sum(passives) AS passives, sum(detractors) AS detractors FROM (${cells}) r GROUP BY ${RESPONSE_KEY}
  ), marginals AS (${upsertMarginals('cells')})
  INSERT INTO response_rollups AS t (${RESPONSE_KEY}, promoters, passives, detractors)
  SELECT ${RESPONSE_KEY}, promoters, passives, detractors FROM cells WHERE promoters <> 0 OR passives <> 0 OR detractors <> 0 ORDER BY ${RESPONSE_KEY}
  ON CONFLICT (${RESPONSE_KEY}) DO UPDATE SET ${COUNTS}`;

const upsertAccounts = (cells: string) => `
  INSERT INTO account_response_totals AS t (stream, account_id, promoters, passives, detractors)
  SELECT stream, account_id, sum(promoters), sum(passives), sum(detractors) FROM (${cells}) c
  GROUP BY stream, account_id HAVING ${NONZERO} ORDER BY stream, account_id
  ON CONFLICT (stream, account_id) DO UPDATE SET ${COUNTS}`;

/**
 * The same, each new row with its account's ARR in cents (add-account-report-sums), joined here
 * once per statement: the row trigger that looked it up ran for every proposed row of the upsert
 * (half a million calls in an import of a million answers) and now runs only when none was given.
 */
const upsertAccountsWithCents = (cells: string) => `
  INSERT INTO account_response_totals AS t (stream, account_id, promoters, passives, detractors, cents)
  SELECT c.stream, c.account_id, sum(c.promoters), sum(c.passives), sum(c.detractors), coalesce((a.arr * 100)::bigint, 0)
  FROM (${cells}) c LEFT JOIN accounts a ON a.id = c.account_id
  GROUP BY c.stream, c.account_id, a.arr HAVING ${NONZERO} ORDER BY c.stream, c.account_id
  ON CONFLICT (stream, account_id) DO UPDATE SET ${COUNTS}`;

const upsertSurveys = (cells: string) => `
  INSERT INTO survey_rollups AS t (${SURVEY_KEY}, surveys, answered)
  SELECT ${SURVEY_KEY}, sum(surveys), sum(answered) FROM (${cells}) c
  GROUP BY ${SURVEY_KEY} HAVING sum(surveys) <> 0 OR sum(answered) <> 0 ORDER BY ${SURVEY_KEY}
  ON CONFLICT (${SURVEY_KEY}) DO UPDATE SET surveys = t.surveys + excluded.surveys, answered = t.answered + excluded.answered`;

/** What a response's cells depend on: an update that changes none of it touches no rollup (as add-report-rollups). */
const RESPONSE_COUNTED = (a: string) =>
  `(${a}.stream, ${a}.trigger, ${a}.category, ${a}.settled_at, ${a}.tier_snapshot, ${a}.arr_band_snapshot, ${a}.tenure_band_snapshot, ${a}.role_snapshot, ${a}.quadrant_snapshot, ${a}.themes, ${a}.account_id, ${a}.survey_id)`;

const changedSide = (side: 'old_rows' | 'new_rows') => {
  const other = side === 'old_rows' ? 'new_rows' : 'old_rows';
  return `(SELECT x.* FROM ${side} x JOIN ${other} y ON y.id = x.id WHERE ${RESPONSE_COUNTED('x')} IS DISTINCT FROM ${RESPONSE_COUNTED('y')}) x`;
};

/** The body of a response trigger: the sides removed and added, in this version (`cheaper`) or add-report-rollups' (down). */
const responseChange = (removed: string | null, added: string | null, cheaper: boolean) => {
  const both = (cells: (source: string, sign: string) => string) => [removed && cells(removed, '-1'), added && cells(added, '1')].filter(Boolean).join(' UNION ALL ');
  const surveys = upsertSurveys(both(answeredCells));
  // The transition tables a change reads for its surveys (a side's alias `x` is a subquery for an update).
  const tables = [removed && 'old_rows', added && 'new_rows'].filter(Boolean) as string[];
  const anySurvey = tables.map((table) => `EXISTS (SELECT 1 FROM ${table} WHERE survey_id IS NOT NULL)`).join(' OR ');
  const counted = cheaper ? [upsertResponsesAndMarginals(both(responseCells))] : [upsertResponses(both(responseCells)), upsertMarginals(`(${both(responseCells)})`)];
  return [...counted, (cheaper ? upsertAccountsWithCents : upsertAccounts)(both(accountCells)), cheaper ? `IF ${anySurvey} THEN ${surveys}; END IF` : surveys].join(';\n');
};

/** Each person's latest settled relational answer with an account, from the responses of `contacts` (as add-latest-relational-answers). */
const LATEST_OF_CONTACTS = (contacts: string) => `
  INSERT INTO latest_relational_answers AS t (contact_id, account_id, role, score, at, response_id)
  SELECT DISTINCT ON (r.contact_id) r.contact_id, r.account_id, coalesce(r.role_snapshot, 'other'), r.score, r.settled_at, r.id
  FROM responses r
  WHERE r.contact_id IN (${contacts}) AND r.stream = 'relational' AND r.settled_at IS NOT NULL AND r.account_id IS NOT NULL
  ORDER BY r.contact_id, r.settled_at DESC, r.id DESC
  ON CONFLICT (contact_id) DO UPDATE SET account_id = excluded.account_id, role = excluded.role, score = excluded.score, at = excluded.at,
    response_id = excluded.response_id
  WHERE (excluded.at, excluded.response_id) >= (t.at, t.response_id)`;

/** The same from the inserted rows alone: the table holds the latest of the others, and the newer of the two stays. */
const LATEST_OF_INSERTED = `
  INSERT INTO latest_relational_answers AS t (contact_id, account_id, role, score, at, response_id)
  SELECT DISTINCT ON (x.contact_id) x.contact_id, x.account_id, coalesce(x.role_snapshot, 'other'), x.score, x.settled_at, x.id
  FROM new_rows x
  WHERE x.contact_id IS NOT NULL AND x.stream = 'relational' AND x.settled_at IS NOT NULL AND x.account_id IS NOT NULL
  ORDER BY x.contact_id, x.settled_at DESC, x.id DESC
  ON CONFLICT (contact_id) DO UPDATE SET account_id = excluded.account_id, role = excluded.role, score = excluded.score, at = excluded.at,
    response_id = excluded.response_id
  WHERE (excluded.at, excluded.response_id) >= (t.at, t.response_id)`;

const replace = (q: QueryRunner, name: string, body: string) =>
  q.query(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          ${body};
          RETURN NULL;
        END $fn$`);

async function define(q: QueryRunner, cheaper: boolean): Promise<void> {
  await replace(q, 'response_rollups_insert', responseChange(null, 'new_rows x', cheaper));
  await replace(q, 'response_rollups_update', responseChange(changedSide('old_rows'), changedSide('new_rows'), cheaper));
  await replace(q, 'response_rollups_delete', responseChange('old_rows x', null, cheaper));
  await replace(
    q,
    'latest_relational_answers_insert',
    cheaper ? LATEST_OF_INSERTED : LATEST_OF_CONTACTS(`SELECT contact_id FROM new_rows WHERE stream = 'relational' AND settled_at IS NOT NULL`),
  );
}

export class CheaperResponseRollupTriggers20261206210000 implements MigrationInterface {
  name = 'CheaperResponseRollupTriggers20261206210000';

  async up(q: QueryRunner): Promise<void> {
    await define(q, true);
    await q.query(`DROP TRIGGER account_response_totals_cents ON account_response_totals`);
    await q.query(`CREATE TRIGGER account_response_totals_cents BEFORE INSERT ON account_response_totals FOR EACH ROW WHEN (NEW.cents = 0)
                   EXECUTE FUNCTION account_response_totals_cents()`);
    await q.query(`CREATE STATISTICS contacts_lower_email_stats ON (lower(email)) FROM contacts`);
    await q.query(`ANALYZE contacts`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS contacts_lower_email_stats`);
    await q.query(`DROP TRIGGER account_response_totals_cents ON account_response_totals`);
    await q.query(`CREATE TRIGGER account_response_totals_cents BEFORE INSERT ON account_response_totals FOR EACH ROW EXECUTE FUNCTION account_response_totals_cents()`);
    await define(q, false);
  }
}
