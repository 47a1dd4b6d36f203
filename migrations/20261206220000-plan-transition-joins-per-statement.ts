import { MigrationInterface, QueryRunner } from 'typeorm';
import { rewriteTriggerFunctions } from './rewrite-trigger-functions';

/**
 * The update triggers that pair each row's old and new version (`old_rows x JOIN new_rows y ON
 * y.id = x.id`) run those statements through EXECUTE, so each is planned for the rows at hand.
 * PL/pgSQL plans a statement without parameters once per session and keeps the plan; the first
 * update a session makes is usually small, so the kept plan counts one row per transition table
 * and pairs them with a nested loop, which for a large update compares every old row with every
 * new one: a sync's `UPDATE accounts SET arr_history_due = false` of 20,000 accounts took 38-55 s
 * in account_report_sums_update (bench:sync, HubSpot 85 s → 120-160 s). Planned per statement,
 * the pairing is a hash join when the update is large and stays a nested loop when it is small.
 * Only the statements with such a join are re-planned; the others keep their plans.
 */
const FUNCTIONS = ['account_report_sums_update', 'latest_relational_answers_update', 'response_rollups_update', 'survey_rollups_update', 'loop_closure_rollups_update'];
const PAIRED = /\b(old_rows|new_rows) [a-z]+ JOIN (old_rows|new_rows) [a-z]+ ON/;
const QUOTE = '$planned$';

/** A trigger body's statements (between BEGIN and RETURN), each with any IF … THEN before it split off. */
function statementsOf(source: string): { head: string; tail: string; statements: Array<{ prefix: string; sql: string }> } {
  const begin = source.indexOf('BEGIN') + 'BEGIN'.length;
  const end = source.lastIndexOf('RETURN ');
  if (begin < 'BEGIN'.length || end < begin) throw new Error('not a trigger function body');
  const statements = source
    .slice(begin, end)
    .split(/;(?=\s)/)
    .map((statement) => {
      const condition = /^(\s*IF\b[\s\S]*?\bTHEN\b)([\s\S]*)$/.exec(statement);
      return condition ? { prefix: condition[1], sql: condition[2] } : { prefix: '', sql: statement };
    });
  return { head: source.slice(0, begin), tail: source.slice(end), statements };
}

/** The statements of a trigger body that pair the transition tables and are planned once (not through EXECUTE). */
export function pairedPlannedOnce(source: string): string[] {
  return statementsOf(source)
    .statements.filter(({ sql }) => PAIRED.test(sql) && !sql.trimStart().startsWith('EXECUTE '))
    .map(({ sql }) => sql.trim());
}

/** The function's body with each statement that pairs the transition tables wrapped in EXECUTE (an IF … THEN before one is kept outside). */
export function plannedPerStatement(source: string): string {
  const { head, tail, statements } = statementsOf(source);
  const wrapped = statements.map(({ prefix, sql }) => {
    if (!PAIRED.test(sql) || sql.trimStart().startsWith('EXECUTE ')) return prefix + sql;
    if (sql.includes(QUOTE)) throw new Error('the statement holds the EXECUTE quote');
    return `${prefix}\n  EXECUTE ${QUOTE}${sql}${QUOTE}`;
  });
  return head + wrapped.join(';') + tail;
}

/** The body as it was: every EXECUTE this migration wrapped around a statement taken off. */
export function plannedOnce(source: string): string {
  return source.split(`\n  EXECUTE ${QUOTE}`).join('').split(QUOTE).join('');
}

export class PlanTransitionJoinsPerStatement20261206220000 implements MigrationInterface {
  name = 'PlanTransitionJoinsPerStatement20261206220000';

  async up(q: QueryRunner): Promise<void> {
    await rewriteTriggerFunctions(q, FUNCTIONS, plannedPerStatement);
  }

  async down(q: QueryRunner): Promise<void> {
    await rewriteTriggerFunctions(q, FUNCTIONS, plannedOnce);
  }
}
