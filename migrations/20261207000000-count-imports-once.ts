import { MigrationInterface, QueryRunner } from 'typeorm';
import { rewriteTriggerFunctions } from './rewrite-trigger-functions';

/**
 * A history import's answers are counted once, when the import ends, instead of batch by batch
 * (issue 17). Each batch of a thousand answers touched about a thousand people and five hundred
 * accounts, so a million answers rewrote a person's latest answer and an account's totals about
 * a million times over (a third of bench:import's database time); counted at the end, each
 * person and account is written once.
 *
 * - `import_counts_pending`: per import, the parts of the counts (COUNT_PARTS) that do not hold
 *   its answers yet. The response triggers leave their rows out of those parts (rows of other
 *   imports and every survey answer are counted as before), and
 *   `count_imported_responses(import, part)` counts them in one pass, with the statements the
 *   insert triggers run, and removes the part's mark; the parts can be counted at once, each on a
 *   session of its own.
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

/**
 * The parts of the counts, each counted on its own (at once, on separate sessions): the cells of
 * the rollups and their marginals, the account totals (and through them the ARR weights), the
 * latest answers (and through them the account sums). Each reads the import's answers once.
 */
export const COUNT_PARTS = ['cells', 'accounts', 'latest'] as const;
type Part = (typeof COUNT_PARTS)[number];
/** The part a trigger statement counts, by the table it writes. */
const partOf = (statement: string): Part =>
  statement.includes('INSERT INTO account_response_totals') ? 'accounts' : statement.includes('INSERT INTO latest_relational_answers') ? 'latest' : 'cells';

/** A transition table's rows whose import's `part` is not pending (`t` is the table: new_rows or old_rows). */
const countedRows = (t: string, part: Part) =>
  `(SELECT * FROM ${t} WHERE import_id IS NULL OR NOT EXISTS (SELECT FROM import_counts_pending p WHERE p.import_id = ${t}.import_id AND p.part = '${part}'))`;
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

/** A body's statements (split after each `;`), each with the part it counts. */
const statementsOf = (body: string) => body.split(/(?<=;)(?=\s)/).map((statement) => ({ statement, part: partOf(statement) }));

/** A trigger body that locks the marks of its rows' imports and leaves the rows of imports pending for a statement's part out. */
export function leavingPendingOut(source: string): string {
  const { head, body, tail } = split(source);
  const table = /\bnew_rows\b/.test(body) ? 'new_rows' : 'old_rows';
  if (body.search(ALIASED) < 0) throw new Error('expected a transition table read through an alias');
  const filtered = statementsOf(body).map(({ statement, part }) => statement.replace(ALIASED, (_, t: string, alias: string) => `${countedRows(t, part)} ${alias}`));
  return `${head}\n${lockMarks(table)}${filtered.join('')}${tail}`;
}

/** The body as it was. */
export function countingEveryRow(source: string): string {
  const { head, body, tail } = split(source);
  let restored = body;
  for (const t of ['new_rows', 'old_rows']) {
    for (const part of COUNT_PARTS) restored = restored.split(countedRows(t, part)).join(t);
    restored = restored.replace(`\n${lockMarks(t)}`, '');
  }
  return head + restored + tail;
}

/** The survey answers' part of the insert trigger: an imported answer has no survey (responses_survey_or_import_check). */
const SURVEYS_PART = /\bIF EXISTS \(SELECT 1 FROM new_rows WHERE survey_id IS NOT NULL\) THEN[\s\S]*?END IF;?/;

/**
 * The insert triggers' statements of one part, reading the import's rows instead of the inserted
 * ones (in PL/pgSQL, `counted_import` is the argument; the source narrows the read to the import
 * key's index where the import is a small part of all answers).
 */
export function countingStatements(sources: readonly string[], part: Part): string {
  const rows = `(SELECT * FROM responses WHERE import_source = (SELECT source FROM imports WHERE id = counted_import) AND import_id = counted_import)`;
  const statements = sources.flatMap((source) => statementsOf(split(source).body.replace(SURVEYS_PART, '')));
  const counted = statements
    .filter((s) => s.part === part && s.statement.trim())
    .map(({ statement }) =>
      statement.replace(ALIASED, (_, t: string, alias: string) => {
        if (t !== 'new_rows') throw new Error('an insert trigger reads new_rows');
        return `${rows} ${alias}`;
      }),
    )
    .join('');
  if (!counted.trim()) throw new Error(`no statement counts ${part}`);
  if (/\b(new_rows|old_rows)\b/.test(counted)) throw new Error('a transition table is read without an alias');
  return counted;
}

export class CountImportsOnce20261207000000 implements MigrationInterface {
  name = 'CountImportsOnce20261207000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_counts_pending (
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        part text NOT NULL CHECK (part IN (${COUNT_PARTS.map((p) => `'${p}'`).join(', ')})),
        PRIMARY KEY (import_id, part)
      )`);
    // The insert triggers' statements, as they are now, are what counting runs over an import's rows.
    const inserts: string[] = [];
    for (const name of ['response_rollups_insert', LATEST_FUNCTION]) {
      const [{ prosrc }]: Array<{ prosrc: string }> = await q.query(`SELECT prosrc FROM pg_proc WHERE proname = $1 AND pronamespace = 'public'::regnamespace`, [name]);
      inserts.push(prosrc);
    }
    // A million answers fall into a few thousand cells, but the planner, counting on up to one cell
    // per answer and theme, sorted them all (by nine text keys: 4.5 s of a 7 s count in bench:import);
    // hashed, the cells take 2 s. The ORDER BY of each upsert (key order, against deadlocks) still sorts.
    await q.query(`CREATE FUNCTION count_imported_responses(counted_import uuid, counted_part text) RETURNS boolean LANGUAGE plpgsql
      SET enable_sort = off SET enable_incremental_sort = off AS $fn$
      BEGIN
        DELETE FROM import_counts_pending WHERE import_id = counted_import AND part = counted_part;
        IF NOT FOUND THEN
          RETURN false;
        END IF;
        ${COUNT_PARTS.map((part, i) => `${i ? 'ELSIF' : 'IF'} counted_part = '${part}' THEN\n${countingStatements(inserts, part)}`).join('\n')}
        END IF;
        RETURN true;
      END $fn$`);
    await rewriteTriggerFunctions(q, [...COUNTED_FUNCTIONS, LATEST_FUNCTION], leavingPendingOut);
  }

  async down(q: QueryRunner): Promise<void> {
    // Pending imports are counted first: without the mark their rows would never be.
    await q.query(`SELECT count_imported_responses(import_id, part) FROM import_counts_pending ORDER BY import_id, part`);
    await rewriteTriggerFunctions(q, [...COUNTED_FUNCTIONS, LATEST_FUNCTION], countingEveryRow);
    await q.query(`DROP FUNCTION count_imported_responses(uuid, text)`);
    await q.query(`DROP TABLE import_counts_pending`);
  }
}
