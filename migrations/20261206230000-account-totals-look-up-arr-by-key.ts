import { MigrationInterface, QueryRunner } from 'typeorm';
import { rewriteTriggerFunctions } from './rewrite-trigger-functions';

/**
 * The response triggers give a new account totals row its account's ARR by looking the account up
 * by key, once per account the statement touches, instead of joining every account. PL/pgSQL
 * plans the join once per session for the first statement's size: for an import's batch of a
 * thousand answers that was a hash join that read all accounts (50,000 in bench:import) for each
 * batch, a third of the statement's time. A lookup per touched account costs the same for any
 * number of accounts. The counts and the ARR are the same (the account's current ARR in cents,
 * 0 without one).
 */
const FUNCTIONS = ['response_rollups_insert', 'response_rollups_update', 'response_rollups_delete'];

/** The two pieces of the totals upsert that change, as add-account-report-sums and cheaper-response-rollup-triggers wrote them, and as they become. */
const JOINED = {
  cents: 'coalesce((a.arr * 100)::bigint, 0)',
  from: ') c LEFT JOIN accounts a ON a.id = c.account_id\n  GROUP BY c.stream, c.account_id, a.arr HAVING',
};
const LOOKED_UP = {
  cents: 'coalesce((SELECT (a.arr * 100)::bigint FROM accounts a WHERE a.id = c.account_id), 0)',
  from: ') c\n  GROUP BY c.stream, c.account_id HAVING',
};

function swap(source: string, from: typeof JOINED, to: typeof JOINED): string {
  let body = source;
  for (const part of ['cents', 'from'] as const) {
    if (body.split(from[part]).length !== 2) throw new Error(`expected the account totals upsert once in the trigger body (${part})`);
    body = body.replace(from[part], to[part]);
  }
  return body;
}

/** A trigger body's account totals upsert with the ARR looked up per account. */
export const arrLookedUp = (source: string) => swap(source, JOINED, LOOKED_UP);
/** The body as it was: the ARR from a join with accounts. */
export const arrJoined = (source: string) => swap(source, LOOKED_UP, JOINED);

export class AccountTotalsLookUpArrByKey20261206230000 implements MigrationInterface {
  name = 'AccountTotalsLookUpArrByKey20261206230000';

  async up(q: QueryRunner): Promise<void> {
    await rewriteTriggerFunctions(q, FUNCTIONS, arrLookedUp);
  }

  async down(q: QueryRunner): Promise<void> {
    await rewriteTriggerFunctions(q, FUNCTIONS, arrJoined);
  }
}
