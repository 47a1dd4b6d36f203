import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports over a million responses answer from counts kept as responses and surveys change, not
 * from the rows (issue 15 "Fast at scale"):
 * - `response_rollups`: settled responses counted by category per stream, UTC month, trigger and
 *   segment snapshot (tier, ARR band, tenure band, role, quadrant); `theme = ''` counts every
 *   response once, a theme name counts the responses carrying it;
 * - `response_marginals`: the same summed per single segment value, and once over every segment
 *   (`segment = 'all'`): a report without a segment filter reads a few thousand rows, not the
 *   cross product of five segments;
 * - `account_response_totals`: settled responses counted by category per stream and account, all
 *   time (the ARR-weighted NPS weighs each account by its responses);
 * - `survey_rollups`: surveys sent per stream, UTC month of sending and trigger with how many have
 *   a response (kind `sent`), and surveys skipped or cancelled per month planned for and reason
 *   (kind `skip`).
 * Statement-level triggers with transition tables keep them: one grouped upsert per statement, so
 * a bulk import or a batch of settles costs one write per touched cell. The upserts go in key
 * order, so two statements never lock the same cells in opposite orders.
 *
 * The quadrant becomes a snapshot like the other segments (rules §3: history does not move): the
 * account's quadrant right after the response settled. Existing responses take their account's
 * current quadrant.
 */
const RESPONSE_KEY = `stream, month, trigger, tier, arr_band, tenure_band, role, quadrant, theme`;

/** The cells one side of a change touches, each response counted with `sign`; `x` is the transition table's alias. */
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

/** A response's answered mark on its survey's `sent` cell (a survey has at most one response). */
const answeredCells = (source: string, sign: string) => `
  SELECT s.stream, (date_trunc('month', s.sent_at AT TIME ZONE 'UTC'))::date AS month, s.trigger, 'sent' AS kind, '' AS reason,
         0 AS surveys, ${sign} AS answered
  FROM ${source} JOIN surveys s ON s.id = x.survey_id WHERE s.sent_at IS NOT NULL`;

const surveyCells = (source: string, sign: string) => `
  SELECT x.stream, (date_trunc('month', x.sent_at AT TIME ZONE 'UTC'))::date AS month, x.trigger, 'sent' AS kind, '' AS reason,
         ${sign} AS surveys, ${sign} * (EXISTS (SELECT 1 FROM responses r WHERE r.survey_id = x.id))::int AS answered
  FROM ${source} WHERE x.sent_at IS NOT NULL
  UNION ALL
  SELECT x.stream, (date_trunc('month', x.scheduled_at AT TIME ZONE 'UTC'))::date, x.trigger, 'skip', x.skip_reason, ${sign}, 0
  FROM ${source} WHERE x.status IN ('skipped', 'cancelled') AND x.skip_reason IS NOT NULL`;

const upsertResponses = (cells: string) => `
  INSERT INTO response_rollups AS t (${RESPONSE_KEY}, promoters, passives, detractors)
  SELECT ${RESPONSE_KEY}, sum(promoters), sum(passives), sum(detractors) FROM (${cells}) c
  GROUP BY ${RESPONSE_KEY} HAVING sum(promoters) <> 0 OR sum(passives) <> 0 OR sum(detractors) <> 0 ORDER BY ${RESPONSE_KEY}
  ON CONFLICT (${RESPONSE_KEY}) DO UPDATE SET promoters = t.promoters + excluded.promoters, passives = t.passives + excluded.passives,
    detractors = t.detractors + excluded.detractors`;

const upsertAccounts = (cells: string) => `
  INSERT INTO account_response_totals AS t (stream, account_id, promoters, passives, detractors)
  SELECT stream, account_id, sum(promoters), sum(passives), sum(detractors) FROM (${cells}) c
  GROUP BY stream, account_id HAVING sum(promoters) <> 0 OR sum(passives) <> 0 OR sum(detractors) <> 0 ORDER BY stream, account_id
  ON CONFLICT (stream, account_id) DO UPDATE SET promoters = t.promoters + excluded.promoters, passives = t.passives + excluded.passives,
    detractors = t.detractors + excluded.detractors`;

const MARGINAL_KEY = `stream, month, trigger, segment, value, theme`;

/** The same cells summed per single segment value (and once over all, segment `all`): what a report without a segment filter reads. */
const marginalCells = (cells: string) => `
  SELECT c.stream, c.month, c.trigger, s.segment, s.value, c.theme, c.promoters, c.passives, c.detractors
  FROM (${cells}) c CROSS JOIN LATERAL (VALUES ('all', ''), ('tier', c.tier), ('arr_band', c.arr_band), ('tenure_band', c.tenure_band),
                                               ('role', c.role), ('quadrant', c.quadrant)) AS s(segment, value)`;

const upsertMarginals = (cells: string) => `
  INSERT INTO response_marginals AS t (${MARGINAL_KEY}, promoters, passives, detractors)
  SELECT ${MARGINAL_KEY}, sum(promoters), sum(passives), sum(detractors) FROM (${marginalCells(cells)}) m
  GROUP BY ${MARGINAL_KEY} HAVING sum(promoters) <> 0 OR sum(passives) <> 0 OR sum(detractors) <> 0 ORDER BY ${MARGINAL_KEY}
  ON CONFLICT (${MARGINAL_KEY}) DO UPDATE SET promoters = t.promoters + excluded.promoters, passives = t.passives + excluded.passives,
    detractors = t.detractors + excluded.detractors`;

const SURVEY_KEY = `stream, month, trigger, kind, reason`;
const upsertSurveys = (cells: string) => `
  INSERT INTO survey_rollups AS t (${SURVEY_KEY}, surveys, answered)
  SELECT ${SURVEY_KEY}, sum(surveys), sum(answered) FROM (${cells}) c
  GROUP BY ${SURVEY_KEY} HAVING sum(surveys) <> 0 OR sum(answered) <> 0 ORDER BY ${SURVEY_KEY}
  ON CONFLICT (${SURVEY_KEY}) DO UPDATE SET surveys = t.surveys + excluded.surveys, answered = t.answered + excluded.answered`;

/** What a response's cells depend on: an update that changes none of it touches no rollup. */
const RESPONSE_COUNTED = (a: string) =>
  `(${a}.stream, ${a}.trigger, ${a}.category, ${a}.settled_at, ${a}.tier_snapshot, ${a}.arr_band_snapshot, ${a}.tenure_band_snapshot, ${a}.role_snapshot, ${a}.quadrant_snapshot, ${a}.themes, ${a}.account_id, ${a}.survey_id)`;
const SURVEY_COUNTED = (a: string) =>
  `(${a}.stream, ${a}.trigger, (date_trunc('month', ${a}.sent_at AT TIME ZONE 'UTC')), (date_trunc('month', ${a}.scheduled_at AT TIME ZONE 'UTC')), ${a}.status IN ('skipped', 'cancelled'), ${a}.skip_reason)`;

/** An update's two sides, only the rows whose counted columns changed. */
const changedSide = (side: 'old_rows' | 'new_rows', counted: (a: string) => string) => {
  const other = side === 'old_rows' ? 'new_rows' : 'old_rows';
  return `(SELECT x.* FROM ${side} x JOIN ${other} y ON y.id = x.id WHERE ${counted('x')} IS DISTINCT FROM ${counted('y')}) x`;
};

const responseChange = (removed: string | null, added: string | null) =>
  [
    upsertResponses([removed && responseCells(removed, '-1'), added && responseCells(added, '1')].filter(Boolean).join(' UNION ALL ')),
    upsertMarginals([removed && responseCells(removed, '-1'), added && responseCells(added, '1')].filter(Boolean).join(' UNION ALL ')),
    upsertAccounts([removed && accountCells(removed, '-1'), added && accountCells(added, '1')].filter(Boolean).join(' UNION ALL ')),
    upsertSurveys([removed && answeredCells(removed, '-1'), added && answeredCells(added, '1')].filter(Boolean).join(' UNION ALL ')),
  ].join(';\n');

export class AddReportRollups20261206090000 implements MigrationInterface {
  name = 'AddReportRollups20261206090000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE responses ADD COLUMN quadrant_snapshot text`);
    await q.query(`UPDATE responses r SET quadrant_snapshot = h.quadrant FROM account_health h WHERE h.account_id = r.account_id`);
    await q.query(`
      CREATE TABLE response_rollups (
        stream text NOT NULL, month date NOT NULL, trigger text NOT NULL, tier text NOT NULL, arr_band text NOT NULL,
        tenure_band text NOT NULL, role text NOT NULL, quadrant text NOT NULL, theme text NOT NULL,
        promoters integer NOT NULL, passives integer NOT NULL, detractors integer NOT NULL,
        PRIMARY KEY (${RESPONSE_KEY})
      )`);
    await q.query(`
      CREATE TABLE response_marginals (
        stream text NOT NULL, month date NOT NULL, trigger text NOT NULL, segment text NOT NULL, value text NOT NULL, theme text NOT NULL,
        promoters integer NOT NULL, passives integer NOT NULL, detractors integer NOT NULL,
        PRIMARY KEY (${MARGINAL_KEY})
      )`);
    await q.query(`
      CREATE TABLE account_response_totals (
        stream text NOT NULL, account_id uuid NOT NULL, promoters integer NOT NULL, passives integer NOT NULL, detractors integer NOT NULL,
        PRIMARY KEY (stream, account_id)
      )`);
    await q.query(`
      CREATE TABLE survey_rollups (
        stream text NOT NULL, month date NOT NULL, trigger text NOT NULL, kind text NOT NULL CHECK (kind IN ('sent', 'skip')), reason text NOT NULL,
        surveys integer NOT NULL, answered integer NOT NULL,
        PRIMARY KEY (${SURVEY_KEY})
      )`);
    await q.query(`INSERT INTO response_rollups (${RESPONSE_KEY}, promoters, passives, detractors)
      SELECT ${RESPONSE_KEY}, sum(promoters), sum(passives), sum(detractors) FROM (${responseCells('responses x', '1')}) c GROUP BY ${RESPONSE_KEY}`);
    await q.query(`INSERT INTO response_marginals (${MARGINAL_KEY}, promoters, passives, detractors)
      SELECT ${MARGINAL_KEY}, sum(promoters), sum(passives), sum(detractors) FROM (${marginalCells(responseCells('responses x', '1'))}) m GROUP BY ${MARGINAL_KEY}`);
    await q.query(`INSERT INTO account_response_totals (stream, account_id, promoters, passives, detractors)
      SELECT stream, account_id, sum(promoters), sum(passives), sum(detractors) FROM (${accountCells('responses x', '1')}) c GROUP BY stream, account_id`);
    await q.query(`INSERT INTO survey_rollups (${SURVEY_KEY}, surveys, answered)
      SELECT ${SURVEY_KEY}, sum(surveys), sum(answered) FROM (${surveyCells('surveys x', '1')}) c GROUP BY ${SURVEY_KEY}`);

    const fn = async (name: string, body: string) =>
      q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          ${body};
          RETURN NULL;
        END $fn$`);
    await fn('response_rollups_insert', responseChange(null, 'new_rows x'));
    await fn('response_rollups_update', responseChange(changedSide('old_rows', RESPONSE_COUNTED), changedSide('new_rows', RESPONSE_COUNTED)));
    await fn('response_rollups_delete', responseChange('old_rows x', null));
    await fn('survey_rollups_insert', upsertSurveys(surveyCells('new_rows x', '1')));
    await fn(
      'survey_rollups_update',
      upsertSurveys(`${surveyCells(changedSide('old_rows', SURVEY_COUNTED), '-1')} UNION ALL ${surveyCells(changedSide('new_rows', SURVEY_COUNTED), '1')}`),
    );
    // Row by row and before the delete: a survey's response goes with it (ON DELETE CASCADE) and
    // can no longer name its survey's month by then, so the survey takes its answered mark along.
    await q.query(`CREATE FUNCTION survey_rollups_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          ${upsertSurveys(surveyCells('(SELECT OLD.*) x', '-1'))};
          RETURN OLD;
        END $fn$`);
    // Emptying a table (tests, a reset) empties what was counted from it.
    await fn(
      'response_rollups_truncate',
      `DELETE FROM response_rollups; DELETE FROM response_marginals; DELETE FROM account_response_totals; UPDATE survey_rollups SET answered = 0 WHERE answered <> 0`,
    );
    await fn('survey_rollups_truncate', `DELETE FROM survey_rollups`);
    for (const table of ['responses', 'surveys']) {
      const prefix = table === 'responses' ? 'response' : 'survey';
      await q.query(
        `CREATE TRIGGER ${prefix}_rollups_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${prefix}_rollups_insert()`,
      );
      await q.query(
        `CREATE TRIGGER ${prefix}_rollups_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${prefix}_rollups_update()`,
      );
      await q.query(
        table === 'responses'
          ? `CREATE TRIGGER response_rollups_delete AFTER DELETE ON responses REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION response_rollups_delete()`
          : `CREATE TRIGGER survey_rollups_delete BEFORE DELETE ON surveys FOR EACH ROW EXECUTE FUNCTION survey_rollups_delete()`,
      );
      await q.query(`CREATE TRIGGER ${prefix}_rollups_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${prefix}_rollups_truncate()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const prefix of ['response', 'survey']) {
      const table = prefix === 'response' ? 'responses' : 'surveys';
      for (const op of ['insert', 'update', 'delete', 'truncate']) {
        await q.query(`DROP TRIGGER ${prefix}_rollups_${op} ON ${table}`);
        await q.query(`DROP FUNCTION ${prefix}_rollups_${op}()`);
      }
    }
    await q.query(`DROP TABLE survey_rollups`);
    await q.query(`DROP TABLE account_response_totals`);
    await q.query(`DROP TABLE response_marginals`);
    await q.query(`DROP TABLE response_rollups`);
    await q.query(`ALTER TABLE responses DROP COLUMN quadrant_snapshot`);
  }
}
