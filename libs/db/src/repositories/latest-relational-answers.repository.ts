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

/** Counts and score sums of latest answers `l`: overall, and for decision makers and end users (the columns of account_latest_sums). */
const SUMS = `count(*)::int AS n, sum(l.score)::int AS total, count(*) FILTER (WHERE l.score >= 9)::int AS p,
  count(*) FILTER (WHERE l.score BETWEEN 7 AND 8)::int AS pa, count(*) FILTER (WHERE l.score <= 6)::int AS d,
  count(*) FILTER (WHERE l.role = 'decision_maker')::int AS dm_n, coalesce(sum(l.score) FILTER (WHERE l.role = 'decision_maker'), 0)::int AS dm_total,
  count(*) FILTER (WHERE l.role = 'decision_maker' AND l.score >= 9)::int AS dm_p, count(*) FILTER (WHERE l.role = 'decision_maker' AND l.score <= 6)::int AS dm_d,
  count(*) FILTER (WHERE l.role = 'end_user')::int AS eu_n, count(*) FILTER (WHERE l.role = 'end_user' AND l.score >= 9)::int AS eu_p,
  count(*) FILTER (WHERE l.role = 'end_user' AND l.score <= 6)::int AS eu_d`;
const SUM_COLUMNS = ['n', 'total', 'p', 'pa', 'd', 'dm_n', 'dm_total', 'dm_p', 'dm_d', 'eu_n', 'eu_p', 'eu_d'];

/**
 * Per account, the sums of its people's latest relational answers in [asOf − days, asOf], when no
 * latest answer lies after asOf: the sums kept over all of them (account_latest_sums) less those
 * of the answers older than the window, read by the `at` index. $1 asOf, $2 days.
 */
const PER_ACCOUNT = `
  WITH gone AS (SELECT l.account_id, ${SUMS} FROM latest_relational_answers l WHERE l.at < $1::timestamptz - make_interval(days => $2) GROUP BY l.account_id)
  SELECT s.account_id, ${SUM_COLUMNS.map((c) => `s.${c} - coalesce(g.${c}, 0) AS ${c}`).join(', ')}
  FROM account_latest_sums s LEFT JOIN gone g ON g.account_id = s.account_id`;

/** An answer of account `s` in the window ($1 asOf, $2 days), of a role when given. */
const HEARD = (role?: string) =>
  `EXISTS (SELECT 1 FROM latest_relational_answers l WHERE l.account_id = s.account_id${role ? ` AND l.role = '${role}'` : ''}
             AND l.at <= $1 AND l.at >= $1::timestamptz - make_interval(days => $2))`;

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

  /** The distribution's summary over every account heard in the window (from the kept sums), and one page (by id) of those accounts. */
  async distribution(asOf: Date, days: number, limit: number, offset: number): Promise<DistributionSummaryRow & { ids: string[] }> {
    const [[row], ids] = await Promise.all([
      this.db.query(
        `SELECT count(*)::int AS accounts, count(*) FILTER (WHERE s = 'promoter')::int AS promoters, count(*) FILTER (WHERE s = 'passive')::int AS passives,
                count(*) FILTER (WHERE s = 'detractor')::int AS detractors, coalesce(sum(p), 0)::int AS respondent_promoters,
                coalesce(sum(pa), 0)::int AS respondent_passives, coalesce(sum(d), 0)::int AS respondent_detractors
         FROM (SELECT a.*, ${SENTIMENT} AS s FROM (${PER_ACCOUNT}) a WHERE a.n > 0) x`,
        [asOf, days],
      ),
      this.pageOf(`s.n > 0 AND ${HEARD()}`, asOf, days, limit, offset),
    ]);
    return { ...row, ids };
  }

  /**
   * Accounts with both decision makers and end users heard, how many of them have a gap strictly
   * above `flagAbove` points (exactly: |100(Pd−Dd)·ne − 100(Pe−De)·nd| > points·nd·ne), and one
   * page (by id) of them (from the kept sums).
   */
  async roleGaps(asOf: Date, days: number, flagAbove: number, limit: number, offset: number): Promise<{ accounts: number; flagged: number; ids: string[] }> {
    const [[row], ids] = await Promise.all([
      this.db.query(
        `SELECT count(*)::int AS accounts,
                count(*) FILTER (WHERE abs(100 * (a.dm_p - a.dm_d) * a.eu_n - 100 * (a.eu_p - a.eu_d) * a.dm_n) > $3::numeric * a.dm_n * a.eu_n)::int AS flagged
         FROM (${PER_ACCOUNT}) a WHERE a.dm_n > 0 AND a.eu_n > 0`,
        [asOf, days, flagAbove],
      ),
      this.pageOf(`s.dm_n > 0 AND s.eu_n > 0 AND ${HEARD('decision_maker')} AND ${HEARD('end_user')}`, asOf, days, limit, offset),
    ]);
    return { ...row, ids };
  }

  /** One page (by id) of the accounts `heard` takes ($1 asOf, $2 days), walked in id order. */
  private async pageOf(heard: string, asOf: Date, days: number, limit: number, offset: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(`SELECT s.account_id::text AS id FROM account_latest_sums s WHERE ${heard} ORDER BY s.account_id LIMIT $3 OFFSET $4`, [
      asOf,
      days,
      limit,
      offset,
    ]);
    return rows.map((r) => r.id);
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
