import { MigrationInterface, QueryRunner } from 'typeorm';
import { rewriteTriggerFunctions } from './rewrite-trigger-functions';

/**
 * A history import's answers are counted once, when the import ends, instead of batch by batch
 * (issue 17). Each batch of a thousand answers touched about a thousand people and five hundred
 * accounts, so a million answers rewrote a person's latest answer and an account's totals about
 * a million times over (a third of bench:import's database time); counted at the end, each
 * person and account is written once.
 *
 * - `import_counts_pending`: the imports whose answers the report counts do not hold yet. The
 *   response triggers leave their rows out (rows of other imports and every survey answer are
 *   counted as before), and `count_imported_responses(import)` counts them all in one pass, with
 *   the same statements the insert triggers run, and removes the mark.
 * - Race-free: a response trigger first locks (FOR SHARE) the marks of the imports its rows
 *   belong to. Counting deletes the mark first, so it waits for every statement that left one of
 *   its rows out to commit, and then counts what they left; a statement that comes after waits
 *   for the counting to commit and then finds the mark gone, so it counts its rows as a change to
 *   counted ones.
 * - A person's latest answer is recomputed from every response when one is changed or deleted,
 *   marked or not; that stays right, since counting keeps the newer of two latest answers.
 */
const COUNTED_FUNCTIONS = ['response_rollups_insert', 'response_rollups_update', 'response_rollups_delete'];
const LATEST_FUNCTION = 'latest_relational_answers_insert';

/** A transition table's rows whose import is not pending (`t` is the table: new_rows or old_rows). */
const countedRows = (t: string) => `(SELECT * FROM ${t} WHERE import_id IS NULL OR NOT EXISTS (SELECT FROM import_counts_pending p WHERE p.import_id = ${t}.import_id))`;
/** The statement that locks the marks of the imports a statement's rows belong to, until it commits. */
const lockMarks = (t: string) => `PERFORM FROM import_counts_pending WHERE import_id IN (SELECT import_id FROM ${t}) FOR SHARE;\n`;
/** A statement's rows read through an alias (`new_rows x`): each body's counting statements read them so (a bare name is only an IF's survey test). */
const ALIASED = /\b(new_rows|old_rows) ([a-z])\b/g;

function split(source: string): { head: string; body: string; tail: string } {
  const begin = source.indexOf('BEGIN') + 'BEGIN'.length;
  const end = source.lastIndexOf('RETURN ');
  if (begin < 'BEGIN'.length || end < begin) throw new Error('not a trigger function body');
  return { head: source.slice(0, begin), body: source.slice(begin, end), tail: source.slice(end) };
}

/** A trigger body that locks the marks of its rows' imports and leaves pending imports' rows out. */
export function leavingPendingOut(source: string): string {
  const { head, body, tail } = split(source);
  const table = /\bnew_rows\b/.test(body) ? 'new_rows' : 'old_rows';
  if (body.search(ALIASED) < 0) throw new Error('expected a transition table read through an alias');
  return `${head}\n${lockMarks(table)}${body.replace(ALIASED, (_, t: string, alias: string) => `${countedRows(t)} ${alias}`)}${tail}`;
}

/** The body as it was. */
export function countingEveryRow(source: string): string {
  const { head, body, tail } = split(source);
  let restored = body;
  for (const t of ['new_rows', 'old_rows'])
    restored = restored
      .split(countedRows(t))
      .join(t)
      .replace(`\n${lockMarks(t)}`, '');
  return head + restored + tail;
}

/** The survey answers' part of the insert trigger: an imported answer has no survey (responses_survey_or_import_check). */
const SURVEYS_PART = /\bIF EXISTS \(SELECT 1 FROM new_rows WHERE survey_id IS NOT NULL\) THEN[\s\S]*?END IF;?/;

/**
 * The insert triggers' counting statements, reading the import's rows instead of the inserted ones
 * (in PL/pgSQL, `counted_import` is the argument; the source narrows the read to the import key's
 * index where the import is a small part of all answers).
 */
export function countingStatements(source: string): string {
  const rows = `(SELECT * FROM responses WHERE import_source = (SELECT source FROM imports WHERE id = counted_import) AND import_id = counted_import)`;
  const { body } = split(source);
  const counted = body.replace(SURVEYS_PART, '').replace(ALIASED, (_, t: string, alias: string) => {
    if (t !== 'new_rows') throw new Error('an insert trigger reads new_rows');
    return `${rows} ${alias}`;
  });
  if (/\b(new_rows|old_rows)\b/.test(counted)) throw new Error('a transition table is read without an alias');
  return counted;
}

export class CountImportsOnce20261207000000 implements MigrationInterface {
  name = 'CountImportsOnce20261207000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE import_counts_pending (import_id uuid PRIMARY KEY REFERENCES imports(id) ON DELETE CASCADE)`);
    const sources = new Map<string, string>();
    for (const name of [...COUNTED_FUNCTIONS, LATEST_FUNCTION]) {
      const [{ prosrc }]: Array<{ prosrc: string }> = await q.query(`SELECT prosrc FROM pg_proc WHERE proname = $1 AND pronamespace = 'public'::regnamespace`, [name]);
      sources.set(name, prosrc);
    }
    // A million answers fall into a few thousand cells, but the planner, counting on up to one cell
    // per answer and theme, sorted them all (by nine text keys: 4.5 s of a 7 s count in bench:import);
    // hashed, the cells take 2 s. The ORDER BY of each upsert (key order, against deadlocks) still sorts.
    await q.query(`CREATE FUNCTION count_imported_responses(counted_import uuid) RETURNS boolean LANGUAGE plpgsql
      SET enable_sort = off SET enable_incremental_sort = off AS $fn$
      BEGIN
        DELETE FROM import_counts_pending WHERE import_id = counted_import;
        IF NOT FOUND THEN
          RETURN false;
        END IF;
        ${countingStatements(sources.get('response_rollups_insert')!)}
        ${countingStatements(sources.get(LATEST_FUNCTION)!)}
        RETURN true;
      END $fn$`);
    await rewriteTriggerFunctions(q, [...COUNTED_FUNCTIONS, LATEST_FUNCTION], leavingPendingOut);
  }

  async down(q: QueryRunner): Promise<void> {
    // Pending imports are counted first: without the mark their rows would never be.
    await q.query(`SELECT count_imported_responses(import_id) FROM import_counts_pending ORDER BY import_id`);
    await rewriteTriggerFunctions(q, [...COUNTED_FUNCTIONS, LATEST_FUNCTION], countingEveryRow);
    await q.query(`DROP FUNCTION count_imported_responses(uuid)`);
    await q.query(`DROP TABLE import_counts_pending`);
  }
}
