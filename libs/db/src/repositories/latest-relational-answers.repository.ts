import { EntityManager } from 'typeorm';
import type { LatestAnswerRow } from './report-responses.repository';

/** Accounts heard in the window, summed: how many fall in each sentiment class (rules §7), and every person's latest answer by category. */
export interface DistributionSummaryRow {
  accounts: number;
  promoters: number;
  passives: number;
  detractors: number;
  respondent_promoters: number;
  respondent_passives: number;
  respondent_detractors: number;
}

/**
 * Per account of the people whose latest relational answer lies in [asOf − days, asOf]: counts
 * overall and for decision makers and end users, and the score sums sentiment needs. $1 asOf, $2 days.
 */
const PER_ACCOUNT = `
  SELECT account_id, count(*) AS n, sum(score) AS total,
         count(*) FILTER (WHERE score >= 9) AS p, count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS pa, count(*) FILTER (WHERE score <= 6) AS d,
         count(*) FILTER (WHERE role = 'decision_maker') AS dm_n, sum(score) FILTER (WHERE role = 'decision_maker') AS dm_total,
         count(*) FILTER (WHERE role = 'decision_maker' AND score >= 9) AS dm_p, count(*) FILTER (WHERE role = 'decision_maker' AND score <= 6) AS dm_d,
         count(*) FILTER (WHERE role = 'end_user') AS eu_n,
         count(*) FILTER (WHERE role = 'end_user' AND score >= 9) AS eu_p, count(*) FILTER (WHERE role = 'end_user' AND score <= 6) AS eu_d
  FROM latest_relational_answers WHERE at <= $1 AND at >= $1::timestamptz - make_interval(days => $2)
  GROUP BY account_id`;

/** rules §7 sentiment: the decision makers' mean if any, else everyone's, classed exactly (mean ≥ 9 ⇔ sum ≥ 9·n). */
const SENTIMENT = `CASE WHEN (CASE WHEN a.dm_n > 0 THEN a.dm_total >= 9 * a.dm_n ELSE a.total >= 9 * a.n END) THEN 'promoter'
                        WHEN (CASE WHEN a.dm_n > 0 THEN a.dm_total >= 7 * a.dm_n ELSE a.total >= 7 * a.n END) THEN 'passive' ELSE 'detractor' END`;

/**
 * latest_relational_answers (kept by triggers: each person's latest settled relational answer
 * with an account): the account reports taken now read it instead of every response.
 */
export class LatestRelationalAnswersRepository {
  constructor(private readonly db: EntityManager) {}

  /** Whether a latest answer lies after `asOf` (then the table cannot say what was latest at `asOf`). */
  async anyAfter(asOf: Date): Promise<boolean> {
    const [row] = await this.db.query(`SELECT EXISTS (SELECT 1 FROM latest_relational_answers WHERE at > $1) AS after`, [asOf]);
    return row.after;
  }

  /** The distribution's summary over every account heard in the window, and one page (by id) of those accounts: one pass over the answers. */
  async distribution(asOf: Date, days: number, limit: number, offset: number): Promise<DistributionSummaryRow & { ids: string[] }> {
    const [row] = await this.db.query(
      `WITH a AS MATERIALIZED (${PER_ACCOUNT})
       SELECT count(*)::int AS accounts, count(*) FILTER (WHERE s = 'promoter')::int AS promoters, count(*) FILTER (WHERE s = 'passive')::int AS passives,
              count(*) FILTER (WHERE s = 'detractor')::int AS detractors, coalesce(sum(p), 0)::int AS respondent_promoters,
              coalesce(sum(pa), 0)::int AS respondent_passives, coalesce(sum(d), 0)::int AS respondent_detractors,
              coalesce((SELECT array_agg(account_id::text ORDER BY account_id) FROM (SELECT account_id FROM a ORDER BY account_id LIMIT $3 OFFSET $4) page), '{}') AS ids
       FROM (SELECT a.*, ${SENTIMENT} AS s FROM a) x`,
      [asOf, days, limit, offset],
    );
    return row;
  }

  /**
   * Accounts with both decision makers and end users heard, how many of them have a gap strictly
   * above `flagAbove` points (exactly: |100(Pd−Dd)·ne − 100(Pe−De)·nd| > points·nd·ne), and one
   * page (by id) of them: one pass over the answers.
   */
  async roleGaps(asOf: Date, days: number, flagAbove: number, limit: number, offset: number): Promise<{ accounts: number; flagged: number; ids: string[] }> {
    const [row] = await this.db.query(
      `WITH a AS MATERIALIZED (SELECT * FROM (${PER_ACCOUNT}) x WHERE x.dm_n > 0 AND x.eu_n > 0)
       SELECT count(*)::int AS accounts,
              count(*) FILTER (WHERE abs(100 * (a.dm_p - a.dm_d) * a.eu_n - 100 * (a.eu_p - a.eu_d) * a.dm_n) > $3::numeric * a.dm_n * a.eu_n)::int AS flagged,
              coalesce((SELECT array_agg(account_id::text ORDER BY account_id) FROM (SELECT account_id FROM a ORDER BY account_id LIMIT $4 OFFSET $5) page), '{}') AS ids
       FROM a`,
      [asOf, days, flagAbove, limit, offset],
    );
    return row;
  }

  /** The latest answers in the window of these accounts' people. */
  async answersOf(accountIds: readonly string[], asOf: Date, days: number): Promise<LatestAnswerRow[]> {
    return this.db.query(
      `SELECT account_id, contact_id, role, score, at FROM latest_relational_answers
       WHERE account_id = ANY($3::uuid[]) AND at <= $1 AND at >= $1::timestamptz - make_interval(days => $2) ORDER BY contact_id`,
      [asOf, days, accountIds],
    );
  }
}
