import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Loop closure (rules §6) over hundreds of thousands of follow-ups answers from counts:
 * - each follow-up keeps its response's stream, category and segment snapshot (filled on insert
 *   by a trigger, like the response's own snapshot it never moves), so counting it needs no join;
 * - `loop_closure_rollups` counts the follow-ups loop closure takes (not cancelled or skipped,
 *   with a due time) per UTC month of creation, stream, category, single segment value (`all`
 *   once), and state: `met` (closed by its due time), `late` (closed after it) or `pending` by UTC
 *   month of its due time. Whether a pending one is overdue depends on the moment asked, so the
 *   report reads pending months before and after the current one from here and the current
 *   month's from the rows.
 */
const KEY = `created_month, stream, category, segment, value, state, due_month`;

/** Whether a follow-up counts, and its state, as loop closure reads a row `x`. */
const STATE = (x: string) => `CASE WHEN ${x}.status = 'completed' AND ${x}.completed_at IS NOT NULL
  THEN CASE WHEN ${x}.completed_at <= ${x}.due_at THEN 'met' ELSE 'late' END ELSE 'pending' END`;
const DUE_MONTH = (x: string) =>
  `CASE WHEN ${x}.status = 'completed' AND ${x}.completed_at IS NOT NULL THEN date '1970-01-01' ELSE (date_trunc('month', ${x}.due_at AT TIME ZONE 'UTC'))::date END`;

const cells = (source: string, sign: string) => `
  SELECT (date_trunc('month', x.created_at AT TIME ZONE 'UTC'))::date AS created_month, x.stream, x.category, s.segment, s.value,
         ${STATE('x')} AS state, ${DUE_MONTH('x')} AS due_month, ${sign} AS follow_ups
  FROM ${source}
  CROSS JOIN LATERAL (VALUES ('all', ''), ('tier', coalesce(x.tier_snapshot, 'unknown')), ('arr_band', coalesce(x.arr_band_snapshot, 'unknown')),
                             ('tenure_band', coalesce(x.tenure_band_snapshot, 'unknown')), ('role', coalesce(x.role_snapshot, 'unknown'))) AS s(segment, value)
  WHERE x.status NOT IN ('cancelled', 'skipped') AND x.due_at IS NOT NULL AND x.stream IS NOT NULL AND x.category IS NOT NULL`;

const upsert = (cellsSql: string) => `
  INSERT INTO loop_closure_rollups AS t (${KEY}, follow_ups)
  SELECT ${KEY}, sum(follow_ups) FROM (${cellsSql}) c GROUP BY ${KEY} HAVING sum(follow_ups) <> 0 ORDER BY ${KEY}
  ON CONFLICT (${KEY}) DO UPDATE SET follow_ups = t.follow_ups + excluded.follow_ups`;

const COUNTED = (a: string) =>
  `(${a}.status IN ('cancelled', 'skipped'), ${STATE(a)}, ${DUE_MONTH(a)}, ${a}.due_at IS NULL, ${a}.created_at, ${a}.stream, ${a}.category, ${a}.tier_snapshot,
    ${a}.arr_band_snapshot, ${a}.tenure_band_snapshot, ${a}.role_snapshot)`;
const changed = (side: 'old_rows' | 'new_rows') =>
  `(SELECT x.* FROM ${side} x JOIN ${side === 'old_rows' ? 'new_rows' : 'old_rows'} y ON y.id = x.id WHERE ${COUNTED('x')} IS DISTINCT FROM ${COUNTED('y')}) x`;

export class AddLoopClosureRollups20261206091000 implements MigrationInterface {
  name = 'AddLoopClosureRollups20261206091000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE follow_ups ADD COLUMN stream text, ADD COLUMN category text, ADD COLUMN tier_snapshot text, ADD COLUMN arr_band_snapshot text,
                   ADD COLUMN tenure_band_snapshot text, ADD COLUMN role_snapshot text`);
    await q.query(`UPDATE follow_ups f SET stream = r.stream, category = r.category, tier_snapshot = r.tier_snapshot, arr_band_snapshot = r.arr_band_snapshot,
                     tenure_band_snapshot = r.tenure_band_snapshot, role_snapshot = r.role_snapshot
                   FROM responses r WHERE r.id = f.response_id`);
    await q.query(`CREATE FUNCTION follow_ups_snapshot() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          SELECT r.stream, r.category, r.tier_snapshot, r.arr_band_snapshot, r.tenure_band_snapshot, r.role_snapshot
            INTO NEW.stream, NEW.category, NEW.tier_snapshot, NEW.arr_band_snapshot, NEW.tenure_band_snapshot, NEW.role_snapshot
            FROM responses r WHERE r.id = NEW.response_id;
          RETURN NEW;
        END $fn$`);
    await q.query(`CREATE TRIGGER follow_ups_snapshot BEFORE INSERT ON follow_ups FOR EACH ROW EXECUTE FUNCTION follow_ups_snapshot()`);

    await q.query(`
      CREATE TABLE loop_closure_rollups (
        created_month date NOT NULL, stream text NOT NULL, category text NOT NULL, segment text NOT NULL, value text NOT NULL,
        state text NOT NULL CHECK (state IN ('met', 'late', 'pending')), due_month date NOT NULL, follow_ups integer NOT NULL,
        PRIMARY KEY (${KEY})
      )`);
    await q.query(`INSERT INTO loop_closure_rollups (${KEY}, follow_ups)
                   SELECT ${KEY}, sum(follow_ups) FROM (${cells('follow_ups x', '1')}) c GROUP BY ${KEY}`);
    const fn = (name: string, body: string) =>
      q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
          ${body};
          RETURN NULL;
        END $fn$`);
    await fn('loop_closure_rollups_insert', upsert(cells('new_rows x', '1')));
    await fn('loop_closure_rollups_update', upsert(`${cells(changed('old_rows'), '-1')} UNION ALL ${cells(changed('new_rows'), '1')}`));
    await fn('loop_closure_rollups_delete', upsert(cells('old_rows x', '-1')));
    await fn('loop_closure_rollups_truncate', `DELETE FROM loop_closure_rollups`);
    await q.query(`CREATE TRIGGER loop_closure_rollups_insert AFTER INSERT ON follow_ups REFERENCING NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION loop_closure_rollups_insert()`);
    await q.query(`CREATE TRIGGER loop_closure_rollups_update AFTER UPDATE ON follow_ups REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION loop_closure_rollups_update()`);
    await q.query(`CREATE TRIGGER loop_closure_rollups_delete AFTER DELETE ON follow_ups REFERENCING OLD TABLE AS old_rows
                   FOR EACH STATEMENT EXECUTE FUNCTION loop_closure_rollups_delete()`);
    await q.query(`CREATE TRIGGER loop_closure_rollups_truncate AFTER TRUNCATE ON follow_ups FOR EACH STATEMENT EXECUTE FUNCTION loop_closure_rollups_truncate()`);
    // The current month's pending follow-ups, read from the rows at every report.
    await q.query(`CREATE INDEX follow_ups_pending_due_idx ON follow_ups (due_at) WHERE completed_at IS NULL OR status <> 'completed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX follow_ups_pending_due_idx`);
    for (const op of ['insert', 'update', 'delete', 'truncate']) {
      await q.query(`DROP TRIGGER loop_closure_rollups_${op} ON follow_ups`);
      await q.query(`DROP FUNCTION loop_closure_rollups_${op}()`);
    }
    await q.query(`DROP TABLE loop_closure_rollups`);
    await q.query(`DROP TRIGGER follow_ups_snapshot ON follow_ups`);
    await q.query(`DROP FUNCTION follow_ups_snapshot()`);
    await q.query(`ALTER TABLE follow_ups DROP COLUMN stream, DROP COLUMN category, DROP COLUMN tier_snapshot, DROP COLUMN arr_band_snapshot,
                   DROP COLUMN tenure_band_snapshot, DROP COLUMN role_snapshot`);
  }
}
