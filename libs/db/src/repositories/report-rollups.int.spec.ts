import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CrmFixtures } from '@test/support/crm-fixtures';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { createDataSource } from '../data-source';
import { runMigrations } from '../migrate';
import { ReportResponseFilter, ReportResponsesRepository } from './report-responses.repository';
import { LatestRelationalAnswersRepository } from './latest-relational-answers.repository';
import { LoopClosureRollupsRepository } from './loop-closure-rollups.repository';
import { ReportSurveysRepository } from './report-surveys.repository';
import { ImportCountsRepository } from './import-counts.repository';
import { ImportedAnswerRow, ResponsesRepository } from './responses.repository';

/** A small deterministic generator (mulberry32): the same "random" history on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NO_FILTER: ReportResponseFilter = { from: null, until: null, trigger: null, tier: null, arrBand: null, tenureBand: null, role: null, quadrant: null };

/** What the rollups must equal: the same cells counted straight from the rows. */
const STRAIGHT = {
  responses: `SELECT stream, (date_trunc('month', settled_at AT TIME ZONE 'UTC'))::date::text AS month, trigger, coalesce(tier_snapshot, 'unknown') AS tier,
                     coalesce(arr_band_snapshot, 'unknown') AS arr_band, coalesce(tenure_band_snapshot, 'unknown') AS tenure_band,
                     coalesce(role_snapshot, 'unknown') AS role, coalesce(quadrant_snapshot, 'unknown') AS quadrant, t.theme,
                     count(*) FILTER (WHERE category = 'promoter')::int AS promoters, count(*) FILTER (WHERE category = 'passive')::int AS passives,
                     count(*) FILTER (WHERE category = 'detractor')::int AS detractors
              FROM responses CROSS JOIN LATERAL unnest(array_prepend('', themes)) AS t(theme) WHERE settled_at IS NOT NULL
              GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
  rollups: `SELECT stream, month::text, trigger, tier, arr_band, tenure_band, role, quadrant, theme, promoters, passives, detractors
            FROM response_rollups WHERE promoters + passives + detractors > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
  marginals: `SELECT stream, month::text, trigger, segment, value, theme, promoters, passives, detractors
              FROM response_marginals WHERE promoters + passives + detractors > 0 ORDER BY 1, 2, 3, 4, 5, 6`,
  straightMarginals: `SELECT stream, month, trigger, s.segment, s.value, theme, sum(promoters)::int AS promoters, sum(passives)::int AS passives,
                             sum(detractors)::int AS detractors
                      FROM (SELECT stream, (date_trunc('month', settled_at AT TIME ZONE 'UTC'))::date::text AS month, trigger, t.theme,
                                   coalesce(tier_snapshot, 'unknown') AS tier, coalesce(arr_band_snapshot, 'unknown') AS arr_band,
                                   coalesce(tenure_band_snapshot, 'unknown') AS tenure_band, coalesce(role_snapshot, 'unknown') AS role,
                                   coalesce(quadrant_snapshot, 'unknown') AS quadrant, (category = 'promoter')::int AS promoters,
                                   (category = 'passive')::int AS passives, (category = 'detractor')::int AS detractors
                            FROM responses CROSS JOIN LATERAL unnest(array_prepend('', themes)) AS t(theme) WHERE settled_at IS NOT NULL) r
                      CROSS JOIN LATERAL (VALUES ('all', ''), ('tier', tier), ('arr_band', arr_band), ('tenure_band', tenure_band), ('role', role),
                                                 ('quadrant', quadrant)) AS s(segment, value)
                      GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
  accounts: `SELECT stream, account_id, count(*) FILTER (WHERE category = 'promoter')::int AS promoters, count(*) FILTER (WHERE category = 'passive')::int AS passives,
                    count(*) FILTER (WHERE category = 'detractor')::int AS detractors
             FROM responses WHERE settled_at IS NOT NULL AND account_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
  accountTotals: `SELECT stream, account_id, promoters, passives, detractors FROM account_response_totals WHERE promoters + passives + detractors > 0 ORDER BY 1, 2`,
  surveys: `SELECT stream, month::text, trigger, kind, reason, sum(surveys)::int AS surveys, sum(answered)::int AS answered FROM (
              SELECT s.stream, (date_trunc('month', s.sent_at AT TIME ZONE 'UTC'))::date AS month, s.trigger, 'sent' AS kind, '' AS reason, 1 AS surveys,
                     (EXISTS (SELECT 1 FROM responses r WHERE r.survey_id = s.id))::int AS answered
              FROM surveys s WHERE s.sent_at IS NOT NULL
              UNION ALL
              SELECT s.stream, (date_trunc('month', s.scheduled_at AT TIME ZONE 'UTC'))::date, s.trigger, 'skip', s.skip_reason, 1, 0
              FROM surveys s WHERE s.status IN ('skipped', 'cancelled') AND s.skip_reason IS NOT NULL) x
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
  surveyRollups: `SELECT stream, month::text, trigger, kind, reason, surveys, answered FROM survey_rollups WHERE surveys <> 0 OR answered <> 0 ORDER BY 1, 2, 3, 4, 5`,
};

/**
 * The counts reports read at scale (migration add-report-rollups) are kept by triggers as rows
 * change: after a random history of single and bulk inserts, settles, edits, deletes (cascaded
 * too) they equal a straight count of the rows, and the report statements that combine whole
 * months of rollups with the rows of partial months give what the rows alone give.
 */
describe('report rollups on Postgres', () => {
  let database: TestDatabase;
  let db: DataSource;
  let accounts: string[];
  let contacts: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    db = await createDataSource(database.url).initialize();
    const crm = new CrmFixtures(db);
    const connection = await crm.connection();
    accounts = [];
    for (const arr of ['120000.50', '15000.00', '0.00', '480000.25']) accounts.push(await crm.account(connection, { arr }));
    contacts = [];
    for (let i = 0; i < 24; i++) contacts.push(await crm.contact(connection, accounts[i % accounts.length], {}));
  });
  afterAll(async () => {
    await db?.destroy();
    await database.drop();
  });

  async function history(seed: number, surveys: number) {
    const rand = random(seed);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)];
    const day = () => new Date(Date.UTC(2025, 0, 1) + Math.floor(rand() * 700) * 86_400_000 + Math.floor(rand() * 86_400_000));
    const ids: string[] = [];
    for (let i = 0; i < surveys; i++) {
      const stream = pick(['relational', 'transactional'] as const);
      const trigger = stream === 'relational' ? pick(['quarterly', 'pre_renewal']) : 'ticket_solved';
      const skipped = rand() < 0.2;
      const sent = skipped ? null : day();
      const [row] = await db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, email, status, skip_reason, scheduled_at, sent_at)
         VALUES ($1, $2, $3, 'p@customer.example', $4, $5, $6, $7) RETURNING id`,
        [stream, trigger, `rollup:${seed}:${i}`, skipped ? pick(['skipped', 'cancelled']) : 'sent', skipped ? pick(['cooldown', 'unsubscribed']) : null, sent ?? day(), sent],
      );
      ids.push(row.id);
      if (skipped || rand() < 0.3) continue;
      const score = Math.floor(rand() * 11);
      const settled = rand() < 0.8 ? new Date(sent!.getTime() + 3_600_000) : null;
      await db.query(
        `INSERT INTO responses (survey_id, stream, trigger, account_id, score, category, themes, role_snapshot, tier_snapshot, arr_band_snapshot,
                                tenure_band_snapshot, quadrant_snapshot, settled_at, contact_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          row.id,
          stream,
          trigger,
          rand() < 0.9 ? pick(accounts) : null,
          score,
          score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor',
          pick([[], ['pricing'], ['pricing', 'performance'], ['support_quality']]),
          pick(['decision_maker', 'end_user', null]),
          pick(['enterprise', 'smb', null]),
          pick(['lt_10k', '100k_500k', null]),
          pick(['1_2y', null]),
          pick(['champion', 'friction', null]),
          settled,
          rand() < 0.9 ? pick(contacts) : null,
        ],
      );
    }
    // Bulk statements: settle what is open, move some to another quadrant and month, re-theme, rescore, delete, cascade, re-send.
    await db.query(`UPDATE responses SET settled_at = last_changed_at WHERE settled_at IS NULL AND (hashtext(id::text) & 1) = 0`);
    await db.query(`UPDATE responses SET quadrant_snapshot = 'churn_risk' WHERE (hashtext(id::text) & 7) = 1`);
    await db.query(`UPDATE responses SET settled_at = settled_at + interval '40 days', themes = '{competitor}' WHERE (hashtext(id::text) & 7) = 2`);
    await db.query(`UPDATE responses SET score = 0, category = 'detractor', updated_at = now() WHERE (hashtext(id::text) & 7) = 3`);
    await db.query(`UPDATE responses SET updated_at = now(), reference_opt_in = true WHERE (hashtext(id::text) & 7) = 4`);
    await db.query(`UPDATE responses SET role_snapshot = 'end_user', stream = 'relational', trigger = 'quarterly' WHERE (hashtext(id::text) & 15) = 6`);
    await db.query(`UPDATE responses SET contact_id = $1 WHERE (hashtext(id::text) & 15) = 7`, [contacts[0]]);
    await db.query(`DELETE FROM responses WHERE (hashtext(id::text) & 15) = 5`);
    await db.query(`DELETE FROM surveys WHERE id = ANY($1::uuid[])`, [ids.filter((_, i) => i % 13 === 0)]);
    await db.query(`UPDATE surveys SET sent_at = sent_at - interval '20 days' WHERE (hashtext(id::text) & 7) = 6 AND sent_at IS NOT NULL`);
    await db.query(`UPDATE surveys SET status = 'cancelled', skip_reason = 'opted_out' WHERE (hashtext(id::text) & 15) = 7 AND sent_at IS NULL`);
  }

  /** Every count table the response triggers keep, against the same counted straight from the rows. */
  async function expectCountsEqualRows() {
    expect(await db.query(STRAIGHT.rollups)).toEqual(await db.query(STRAIGHT.responses));
    expect(await db.query(STRAIGHT.marginals)).toEqual(await db.query(STRAIGHT.straightMarginals));
    expect(await db.query(STRAIGHT.accountTotals)).toEqual(await db.query(STRAIGHT.accounts));
    expect(await db.query(STRAIGHT.surveyRollups)).toEqual(await db.query(STRAIGHT.surveys));
    expect(await db.query(`SELECT contact_id, account_id, role, score, at, response_id FROM latest_relational_answers ORDER BY contact_id`)).toEqual(
      await db.query(
        `SELECT DISTINCT ON (contact_id) contact_id, account_id, coalesce(role_snapshot, 'other') AS role, score, settled_at AS at, id AS response_id
         FROM responses WHERE stream = 'relational' AND settled_at IS NOT NULL AND account_id IS NOT NULL AND contact_id IS NOT NULL
         ORDER BY contact_id, settled_at DESC, id DESC`,
      ),
    );
  }

  it('equal a straight count of the rows after a random history of inserts, settles, edits and deletes', async () => {
    await db.query(`TRUNCATE surveys, responses CASCADE`);
    await history(1, 400);
    const [settled] = await db.query(`SELECT count(*)::int AS n FROM responses WHERE settled_at IS NOT NULL`);
    expect(settled.n).toBeGreaterThan(150);
    await expectCountsEqualRows();
  });

  it('keep the account sums (latest answers per account, ARR weights per response count) equal to the rows through ARR changes and removed accounts', async () => {
    await db.query(`TRUNCATE surveys, responses CASCADE`);
    const crm = new CrmFixtures(db);
    const removed = await crm.account(await crm.connection(), { arr: '5000.00' });
    accounts.push(removed);
    await history(5, 300);
    await db.query(`UPDATE accounts SET arr = arr * 2 + 1 WHERE id = $1`, [accounts[0]]);
    await db.query(`UPDATE accounts SET arr = 0 WHERE id = $1`, [accounts[1]]);
    await db.query(`UPDATE accounts SET arr = 777.77 WHERE id = $1`, [accounts[2]]);
    await history(6, 150);
    await db.query(`UPDATE accounts SET arr = NULL WHERE id = $1`, [accounts[3]]);
    accounts.pop();
    await db.query(`DELETE FROM accounts WHERE id = $1`, [removed]);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM latest_relational_answers`);
    expect(n).toBeGreaterThan(10);

    const sums = ['n', 'total', 'p', 'pa', 'd', 'dm_n', 'dm_total', 'dm_p', 'dm_d', 'eu_n', 'eu_p', 'eu_d'];
    expect(await db.query(`SELECT account_id, ${sums.join(', ')} FROM account_latest_sums WHERE NOT (${sums.map((c) => `${c} = 0`).join(' AND ')}) ORDER BY 1`)).toEqual(
      await db.query(
        `SELECT account_id, count(*)::int AS n, sum(score)::int AS total, count(*) FILTER (WHERE score >= 9)::int AS p, count(*) FILTER (WHERE score BETWEEN 7 AND 8)::int AS pa,
                count(*) FILTER (WHERE score <= 6)::int AS d, count(*) FILTER (WHERE role = 'decision_maker')::int AS dm_n,
                coalesce(sum(score) FILTER (WHERE role = 'decision_maker'), 0)::int AS dm_total, count(*) FILTER (WHERE role = 'decision_maker' AND score >= 9)::int AS dm_p,
                count(*) FILTER (WHERE role = 'decision_maker' AND score <= 6)::int AS dm_d, count(*) FILTER (WHERE role = 'end_user')::int AS eu_n,
                count(*) FILTER (WHERE role = 'end_user' AND score >= 9)::int AS eu_p, count(*) FILTER (WHERE role = 'end_user' AND score <= 6)::int AS eu_d
         FROM latest_relational_answers GROUP BY 1 ORDER BY 1`,
      ),
    );
    // Unfiltered, the ARR weights come from the kept groups; with a range taking every response, straight from the rows and today's ARR.
    const reports = new ReportResponsesRepository(db.manager);
    const weights = await reports.arrWeightGroups(NO_FILTER);
    expect(weights.length).toBeGreaterThan(2);
    expect(weights).toEqual(await reports.arrWeightGroups({ ...NO_FILTER, from: new Date(0) }));

    // Active accounts per quadrant and revenue coverage, after health refreshes, deactivation and removal, against accounts and health read straight.
    await db.query(
      `INSERT INTO account_health (account_id, quadrant, activity, activity_basis) SELECT id, 'champion', 'high', 'arr_trend' FROM accounts WHERE id = ANY($1::uuid[])
       ON CONFLICT (account_id) DO UPDATE SET quadrant = excluded.quadrant`,
      [accounts.slice(0, 3)],
    );
    await db.query(`UPDATE account_health SET quadrant = 'churn_risk' WHERE account_id = $1`, [accounts[1]]);
    await db.query(`UPDATE accounts SET active = false WHERE id = $1`, [accounts[2]]);
    await db.query(`DELETE FROM account_health WHERE account_id = $1`, [accounts[0]]);
    await db.query(`INSERT INTO account_health (account_id, quadrant, activity, activity_basis) VALUES ($1, 'friction', 'low', 'arr_trend')`, [accounts[0]]);
    expect(await reports.activeAccountsByQuadrant()).toEqual(
      await db.query(
        `SELECT coalesce(h.quadrant, 'unknown') AS quadrant, count(*)::int AS accounts, coalesce(sum(a.arr * 100), 0)::numeric(30, 0)::text AS arr_cents
         FROM accounts a LEFT JOIN account_health h ON h.account_id = a.id WHERE a.active AND a.deleted_at IS NULL GROUP BY 1 ORDER BY 1`,
      ),
    );
    // The windows end at the latest decision maker's answer of an account still counted, so each holds a covered account. Settles stamped
    // now() carry microseconds a JS Date drops, so the end is that moment rounded up to the next millisecond.
    const [{ latestDm }] = await db.query(
      `SELECT date_trunc('milliseconds', max(r.settled_at)) + interval '1 millisecond' AS "latestDm" FROM responses r JOIN accounts a ON a.id = r.account_id AND a.active AND a.deleted_at IS NULL
       WHERE r.role_snapshot = 'decision_maker' AND r.stream = 'relational' AND r.settled_at IS NOT NULL`,
    );
    for (const [days, limit, offset] of [
      [90, 2, 0],
      [400, 1, 1],
    ]) {
      const coverage = await reports.coverage(NO_FILTER, latestDm, days, { limit, offset });
      const [straight] = await db.query(
        `WITH heard AS (SELECT DISTINCT account_id FROM responses WHERE settled_at IS NOT NULL AND stream = 'relational' AND role_snapshot = 'decision_maker'
                          AND account_id IS NOT NULL AND settled_at <= $1 AND settled_at >= $1::timestamptz - make_interval(days => $2)),
              active AS (SELECT a.id, coalesce((a.arr * 100)::numeric(30, 0), 0) AS cents, h.account_id IS NOT NULL AS covered
                         FROM accounts a LEFT JOIN heard h ON h.account_id = a.id WHERE a.active AND a.deleted_at IS NULL)
         SELECT count(*)::int AS accounts, count(*) FILTER (WHERE covered)::int AS covered_accounts, coalesce(sum(cents), 0)::text AS active_cents,
                coalesce(sum(cents) FILTER (WHERE covered), 0)::text AS covered_cents,
                coalesce((SELECT array_agg(id::text) FROM (SELECT id FROM active WHERE covered ORDER BY id LIMIT $3 OFFSET $4) p), '{}') AS covered_ids,
                coalesce((SELECT array_agg(id::text) FROM (SELECT id FROM active WHERE NOT covered ORDER BY id LIMIT $3 OFFSET $4) p), '{}') AS uncovered_ids
         FROM active`,
        [latestDm, days, limit, offset],
      );
      expect(coverage).toEqual(straight);
      expect(coverage.covered_accounts).toBeGreaterThan(0);
    }

    // Role gaps and the account distribution at moments whose window cuts the history, against the latest answers counted straight.
    const latest = new LatestRelationalAnswersRepository(db.manager);
    const [{ last }] = await db.query(`SELECT max(at) AS last FROM latest_relational_answers`);
    for (const [asOf, days] of [
      [new Date(last.getTime() + 86_400_000), 365],
      [new Date(last.getTime() + 86_400_000), 120],
      [new Date(last.getTime() + 400 * 86_400_000), 500],
    ] as const) {
      const perAccount = await db.query(
        `SELECT account_id::text AS id, count(*)::int AS n, sum(score)::int AS total, count(*) FILTER (WHERE role = 'decision_maker')::int AS dm_n,
                coalesce(sum(score) FILTER (WHERE role = 'decision_maker'), 0)::int AS dm_total, count(*) FILTER (WHERE role = 'end_user')::int AS eu_n,
                (100 * (count(*) FILTER (WHERE role = 'decision_maker' AND score >= 9) - count(*) FILTER (WHERE role = 'decision_maker' AND score <= 6)))::numeric
                  / nullif(count(*) FILTER (WHERE role = 'decision_maker'), 0)
                - (100 * (count(*) FILTER (WHERE role = 'end_user' AND score >= 9) - count(*) FILTER (WHERE role = 'end_user' AND score <= 6)))::numeric
                  / nullif(count(*) FILTER (WHERE role = 'end_user'), 0) AS gap,
                count(*) FILTER (WHERE score >= 9)::int AS p, count(*) FILTER (WHERE score BETWEEN 7 AND 8)::int AS pa, count(*) FILTER (WHERE score <= 6)::int AS d
         FROM latest_relational_answers WHERE at <= $1 AND at >= $1::timestamptz - make_interval(days => $2) GROUP BY 1 ORDER BY 1`,
        [asOf, days],
      );
      const both = perAccount.filter((a: any) => a.dm_n > 0 && a.eu_n > 0);
      expect(await latest.roleGaps(asOf, days, 15, 2, 1)).toEqual({
        accounts: both.length,
        flagged: both.filter((a: any) => Math.abs(Number(a.gap)) > 15).length,
        ids: both.slice(1, 3).map((a: any) => a.id),
      });
      const sentiment = (a: any) => {
        const mean = a.dm_n > 0 ? a.dm_total / a.dm_n : a.total / a.n;
        return mean >= 9 ? 'promoter' : mean >= 7 ? 'passive' : 'detractor';
      };
      const total = (key: string) => perAccount.reduce((sum: number, a: any) => sum + a[key], 0);
      expect(await latest.distribution(asOf, days, 3, 0)).toEqual({
        accounts: perAccount.length,
        promoters: perAccount.filter((a: any) => sentiment(a) === 'promoter').length,
        passives: perAccount.filter((a: any) => sentiment(a) === 'passive').length,
        detractors: perAccount.filter((a: any) => sentiment(a) === 'detractor').length,
        respondent_promoters: total('p'),
        respondent_passives: total('pa'),
        respondent_detractors: total('d'),
        ids: perAccount.slice(0, 3).map((a: any) => a.id),
      });
    }
  });

  it('count loop closure as the follow-up rows do, at any moment and for any creation range', async () => {
    await db.query(`TRUNCATE surveys, responses CASCADE`);
    await history(4, 300);
    // Follow-ups of every state, created and due around the months the report cuts.
    await db.query(
      `INSERT INTO follow_ups (response_id, kind, owner_kind, priority, subject, body, target_system, status, skip_reason, due_at, completed_at, created_at)
       SELECT r.id, k.kind, 'account_owner', 'high', 's', 'b', 'crm', st.status, CASE WHEN st.status = 'skipped' THEN 'no_owner' END,
              CASE WHEN hashtext(r.id::text) % 11 = 0 THEN NULL ELSE r.settled_at + make_interval(days => abs(hashtext(k.kind || r.id::text)) % 60) END,
              CASE WHEN hashtext(r.id::text || 'c') % 3 <> 0 THEN r.settled_at + make_interval(days => abs(hashtext(r.id::text || 'd')) % 50) END,
              r.settled_at
       FROM responses r CROSS JOIN (VALUES ('call'), ('task')) AS k(kind)
       CROSS JOIN LATERAL (SELECT (ARRAY['pending', 'open', 'completed', 'completed', 'cancelled', 'failed', 'skipped'])[(abs(hashtext(r.id::text || k.kind)) % 7) + 1] AS status) st
       WHERE r.settled_at IS NOT NULL`,
    );
    await db.query(`UPDATE follow_ups SET status = 'completed', completed_at = due_at WHERE (hashtext(id::text) & 7) = 0 AND due_at IS NOT NULL`);
    await db.query(`UPDATE follow_ups SET status = 'open', completed_at = NULL WHERE (hashtext(id::text) & 7) = 1`);
    await db.query(`DELETE FROM follow_ups WHERE (hashtext(id::text) & 15) = 2`);
    await db.query(`DELETE FROM responses WHERE (hashtext(id::text) & 31) = 3`);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM follow_ups`);
    expect(n).toBeGreaterThan(200);
    const rollups = new LoopClosureRollupsRepository(db.manager);
    const straight = (now: Date, from: Date | null, until: Date | null) =>
      db.query(
        `SELECT x.stream, x.category, s.segment, s.value,
                count(*) FILTER (WHERE x.status = 'completed' AND x.completed_at IS NOT NULL)::int AS closed,
                count(*) FILTER (WHERE x.status = 'completed' AND x.completed_at <= x.due_at)::int AS sla_met,
                count(*) FILTER (WHERE NOT (x.status = 'completed' AND x.completed_at IS NOT NULL) AND x.due_at < $1)::int AS overdue,
                count(*) FILTER (WHERE NOT (x.status = 'completed' AND x.completed_at IS NOT NULL) AND x.due_at >= $1)::int AS open
         FROM follow_ups x JOIN responses r ON r.id = x.response_id
         CROSS JOIN LATERAL (VALUES ('all', ''), ('tier', coalesce(r.tier_snapshot, 'unknown')), ('arr_band', coalesce(r.arr_band_snapshot, 'unknown')),
                                    ('tenure_band', coalesce(r.tenure_band_snapshot, 'unknown')), ('role', coalesce(r.role_snapshot, 'unknown'))) AS s(segment, value)
         WHERE x.status NOT IN ('cancelled', 'skipped') AND x.due_at IS NOT NULL
           AND ($2::timestamptz IS NULL OR x.created_at >= $2) AND ($3::timestamptz IS NULL OR x.created_at < $3)
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
        [now, from, until],
      );
    for (const now of ['2025-06-15T12:00:00Z', '2026-01-01T00:00:00Z', '2026-12-06T08:00:00Z']) {
      for (const [from, until] of [
        [null, null],
        ['2025-03-17T00:00:00Z', '2025-11-02T00:00:00Z'],
        ['2025-04-01T00:00:00Z', null],
        ['2025-05-03T00:00:00Z', '2025-05-20T00:00:00Z'],
      ]) {
        const args = [new Date(now), from ? new Date(from) : null, until ? new Date(until) : null] as const;
        expect([now, from, until, await rollups.countsAt(...args)]).toEqual([now, from, until, await straight(...args)]);
      }
    }
  });

  it('are emptied with the tables they count', async () => {
    await history(2, 50);
    await db.query(`TRUNCATE surveys, responses CASCADE`);
    expect(
      await db.query(
        `SELECT (SELECT count(*) FROM response_rollups) + (SELECT count(*) FROM response_marginals) + (SELECT count(*) FROM account_response_totals) + (SELECT count(*) FROM survey_rollups) AS n`,
      ),
    ).toEqual([{ n: '0' }]);
  });

  it('answer ranges that cut months (rollups for whole months, rows for the rest) as the rows alone do', async () => {
    await db.query(`TRUNCATE surveys, responses CASCADE`);
    await history(3, 400);
    const reports = new ReportResponsesRepository(db.manager);
    const ranges: Array<[string | null, string | null]> = [
      [null, null],
      ['2025-03-17T00:00:00Z', null],
      [null, '2026-02-09T00:00:00Z'],
      ['2025-03-01T00:00:00Z', '2026-02-01T00:00:00Z'],
      ['2025-03-17T00:00:00Z', '2025-03-29T00:00:00Z'],
      ['2025-02-11T00:00:00Z', '2026-06-20T00:00:00Z'],
    ];
    for (const [from, until] of ranges) {
      for (const extra of [{}, { trigger: 'quarterly' }, { quadrant: 'champion', role: 'end_user' }, { tier: 'unknown' }]) {
        const filter = { ...NO_FILTER, from: from ? new Date(from) : null, until: until ? new Date(until) : null, ...extra };
        const sum = (rows: Array<{ stream: string; promoters: number; passives: number; detractors: number }>, key: (r: any) => string) => {
          const out = new Map<string, [number, number, number]>();
          for (const r of rows) {
            const k = `${r.stream}|${key(r)}`;
            const [p, pa, d] = out.get(k) ?? [0, 0, 0];
            out.set(k, [p + r.promoters, pa + r.passives, d + r.detractors]);
          }
          return [...out].filter(([, v]) => v.some((x) => x > 0)).sort(([a], [b]) => (a < b ? -1 : 1));
        };
        const label = JSON.stringify(filter);
        expect([label, sum(await reports.countsByPeriod(filter, 'month'), (r) => r.period)]).toEqual([label, sum(await rowsOf('month'), (r) => r.period)]);
        expect([label, sum(await reports.countsBySegment(filter), (r) => `${r.segment}=${r.value}`)]).toEqual([
          label,
          sum(await rowsOf('segment'), (r) => `${r.segment}=${r.value}`),
        ]);
        expect([label, sum(await reports.themeCountsByQuarter(filter), (r) => `${r.quarter}/${r.theme}`)]).toEqual([
          label,
          sum(await rowsOf('theme'), (r) => `${r.quarter}/${r.theme}`),
        ]);

        async function rowsOf(kind: 'month' | 'segment' | 'theme') {
          // Straight from the rows, every response (with or without an account), the filter applied as the report defines it.
          const params: unknown[] = [filter.from, filter.until, filter.trigger, filter.tier, filter.role, filter.quadrant];
          const where = `settled_at IS NOT NULL AND ($1::timestamptz IS NULL OR settled_at >= $1) AND ($2::timestamptz IS NULL OR settled_at < $2)
            AND ($3::text IS NULL OR trigger = $3) AND ($4::text IS NULL OR coalesce(tier_snapshot, 'unknown') = $4)
            AND ($5::text IS NULL OR coalesce(role_snapshot, 'unknown') = $5) AND ($6::text IS NULL OR coalesce(quadrant_snapshot, 'unknown') = $6)`;
          const counts = `count(*) FILTER (WHERE category = 'promoter')::int AS promoters, count(*) FILTER (WHERE category = 'passive')::int AS passives,
                          count(*) FILTER (WHERE category = 'detractor')::int AS detractors`;
          if (kind === 'month')
            return db.query(`SELECT stream, to_char(settled_at AT TIME ZONE 'UTC', 'YYYY-MM') AS period, ${counts} FROM responses WHERE ${where} GROUP BY 1, 2`, params);
          if (kind === 'theme')
            return db.query(
              `SELECT stream, to_char(settled_at AT TIME ZONE 'UTC', 'YYYY-"Q"Q') AS quarter, t.theme, ${counts}
               FROM responses CROSS JOIN LATERAL unnest(themes) AS t(theme) WHERE ${where} GROUP BY 1, 2, 3`,
              params,
            );
          const segments = { tier: 'tier_snapshot', arrBand: 'arr_band_snapshot', tenureBand: 'tenure_band_snapshot', role: 'role_snapshot', quadrant: 'quadrant_snapshot' };
          const rows = [];
          for (const [segment, column] of Object.entries(segments)) {
            rows.push(
              ...(await db.query(`SELECT stream, '${segment}' AS segment, coalesce(${column}, 'unknown') AS value, ${counts} FROM responses WHERE ${where} GROUP BY 1, 3`, params)),
            );
          }
          return rows;
        }
      }
    }
    // Response rate reads the survey rollups the same way.
    const surveys = new ReportSurveysRepository(db.manager);
    for (const [from, until] of ranges) {
      const filter = { from: from ? new Date(from) : null, until: until ? new Date(until) : null, trigger: null };
      const params = [filter.from, filter.until];
      const range = (column: string) => `($1::timestamptz IS NULL OR s.${column} >= $1) AND ($2::timestamptz IS NULL OR s.${column} < $2)`;
      expect(await surveys.sentAndAnswered(filter)).toEqual(
        await db.query(
          `SELECT s.stream, count(*)::int AS sent, count(r.id)::int AS answered FROM surveys s LEFT JOIN responses r ON r.survey_id = s.id
           WHERE s.sent_at IS NOT NULL AND ${range('sent_at')} GROUP BY 1 ORDER BY 1`,
          params,
        ),
      );
      expect(await surveys.skipsByReason(filter)).toEqual(
        await db.query(
          `SELECT s.stream, s.skip_reason AS reason, count(*)::int AS count FROM surveys s
           WHERE s.status IN ('skipped', 'cancelled') AND s.skip_reason IS NOT NULL AND ${range('scheduled_at')} GROUP BY 1, 2 ORDER BY 1, 2`,
          params,
        ),
      );
    }
  });

  /** Imported answers (ref r1, r2, … in this maker) of `contact` (null: an address no contact has), and days of 2025 onwards. */
  function importedAnswers(seed: number) {
    const rand = random(seed);
    const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000 + Math.floor(rand() * 86_400_000));
    let ref = 0;
    const answer = (contact: string | null, at: Date): ImportedAnswerRow => {
      const score = Math.floor(rand() * 11);
      const i = contacts.indexOf(contact ?? '');
      const relational = rand() < 0.8;
      return {
        id: randomUUID(),
        ref: `r${++ref}`,
        stream: relational ? 'relational' : 'transactional',
        trigger: relational ? 'quarterly' : 'ticket_solved',
        contactId: contact,
        accountId: contact && i % 5 !== 4 ? accounts[i % accounts.length] : null,
        score,
        category: score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor',
        comment: null,
        themes: [[], ['pricing'], ['pricing', 'onboarding']][ref % 3],
        snapshot: contact
          ? { role: ['decision_maker', 'end_user', 'admin'][ref % 3], tier: ref % 2 ? 'enterprise' : null, arrBand: '100k_500k', tenureBand: null, enterprise: ref % 2 === 1 }
          : null,
        answeredAt: at,
        changedAt: at,
        email: `person${contact === null ? `-unmatched-${ref}` : i}@customer.example`,
        details: { tags: ['import'] },
      };
    };
    return { answer, day };
  }

  it('equal a straight count after imports: batches with several answers per person, older answers after newer, re-imports, later matches, two at once', async () => {
    await db.query(`TRUNCATE surveys, responses CASCADE`);
    await history(7, 120);
    const { answer, day } = importedAnswers(8);
    const importId = '00000000-0000-4000-8000-000000000017';
    const responses = (manager = db.manager) => new ResponsesRepository(manager);
    const batch = { source: 'rollup-test', importId, now: new Date() };
    // Several answers of one person in one statement, newest not last; then a batch of older answers; then one newer than the history.
    const first = [
      ...contacts.slice(0, 12).flatMap((c, i) => [answer(c, day(400 + i)), answer(c, day(600 + i)), answer(c, day(500 + i))]),
      ...[1, 2, 3].map(() => answer(null, day(300))),
    ];
    expect((await responses().insertImported(batch, first)).inserted).toBe(first.length);
    const older = contacts.slice(6, 18).map((c, i) => answer(c, day(10 + i)));
    expect((await responses().insertImported(batch, older)).inserted).toBe(older.length);
    expect((await responses().insertImported(batch, [answer(contacts[20], day(900))])).matched).toBe(1);
    // Importing the same answers again adds nothing.
    expect(await responses().insertImported(batch, [...first.slice(0, 5), ...older.slice(0, 2)])).toEqual({ inserted: 0, matched: 0, watched: [] });
    // Two imports at once answering for the same people, the older answer committed last.
    const a = db.createQueryRunner();
    const b = db.createQueryRunner();
    await a.startTransaction();
    await b.startTransaction();
    await responses(a.manager).insertImported(batch, [answer(contacts[21], day(950)), answer(contacts[22], day(100))]);
    const waiting = responses(b.manager).insertImported(batch, [answer(contacts[21], day(940)), answer(contacts[22], day(960))]);
    await a.commitTransaction();
    await waiting;
    await b.commitTransaction();
    await a.release();
    await b.release();
    // Unmatched answers matched later (an update of the imported rows).
    const unmatched: Array<{ id: string }> = await db.query(`SELECT id FROM responses WHERE import_source IS NOT NULL AND contact_id IS NULL ORDER BY id`);
    await responses().attachImported(
      unmatched.map((u) => u.id),
      [{ id: unmatched[0].id, contactId: contacts[23], accountId: accounts[3], snapshot: { role: 'end_user', tier: null, arrBand: null, tenureBand: null, enterprise: false } }],
      new Date(),
    );

    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM responses WHERE import_source IS NOT NULL`);
    expect(n).toBe(first.length + older.length + 5);
    await expectCountsEqualRows();
  });
  /** Every count table the response triggers keep (directly or through the latest answers and account totals), as rows. */
  const countTables = async () => {
    const tables = ['response_rollups', 'response_marginals', 'account_response_totals', 'latest_relational_answers', 'account_latest_sums', 'arr_weight_groups', 'survey_rollups'];
    return Promise.all(tables.map((table) => db.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4, 5, 6`)));
  };

  /** Waits (polling, with a generous deadline) until a session running a statement that starts with `statement` waits for a lock. */
  async function untilWaitingForLock(statement: string) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [{ waiting }] = await db.query(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [`${statement}%`]);
      if (waiting) return;
      if (Date.now() > deadline) throw new Error(`no session running ${statement} waited for a lock`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('leave a pending import out until it is counted, once, whatever changes its answers meanwhile and whichever commits first', async () => {
    await db.query(`TRUNCATE surveys, responses, imports CASCADE`);
    await history(11, 120);
    const { answer, day } = importedAnswers(12);
    const newImport = async (source: string) => {
      const [{ id }] = await db.query(`INSERT INTO imports (kind, source, created_by) VALUES ('csv', $1, 'rollup test') RETURNING id`, [source]);
      await new ImportCountsRepository(db.manager).defer(id);
      return { source, importId: id as string, now: new Date() };
    };
    const responses = (manager = db.manager) => new ResponsesRepository(manager);
    const first = await newImport('pending-a');
    const before = await countTables();
    // Batches of a pending import: several answers per person, older after newer, some unmatched; none is counted yet.
    await responses().insertImported(first, [...contacts.slice(0, 10).flatMap((c, i) => [answer(c, day(500 + i)), answer(c, day(300 + i))]), answer(null, day(200))]);
    await responses().insertImported(first, [...contacts.slice(5, 15).map((c, i) => answer(c, day(100 + i))), answer(null, day(250)), answer(null, day(260))]);
    expect(await countTables()).toEqual(before);

    // Meanwhile: an unmatched answer matched (an update), one answer removed, one rescored in a statement beside counted answers.
    const unmatched: Array<{ id: string }> = await db.query(`SELECT id FROM responses WHERE import_id = $1 AND contact_id IS NULL ORDER BY id`, [first.importId]);
    await responses().attachImported(
      [unmatched[0].id],
      [{ id: unmatched[0].id, contactId: contacts[20], accountId: accounts[0], snapshot: { role: 'end_user', tier: null, arrBand: null, tenureBand: null, enterprise: false } }],
      new Date(),
    );
    await db.query(`DELETE FROM responses WHERE id = (SELECT id FROM responses WHERE import_id = $1 AND contact_id = $2 ORDER BY id LIMIT 1)`, [first.importId, contacts[3]]);
    await db.query(`UPDATE responses SET score = 10, category = 'promoter' WHERE contact_id = $1 AND settled_at IS NOT NULL`, [contacts[6]]);

    // A change made before counting and committed while counting waits: counting includes it.
    const counting = new ImportCountsRepository(db.manager);
    const changer = db.createQueryRunner();
    await changer.startTransaction();
    try {
      await changer.query(`UPDATE responses SET score = 0, category = 'detractor', themes = '{pricing}' WHERE import_id = $1 AND contact_id = $2`, [first.importId, contacts[8]]);
      const counted = counting.count(first.importId);
      await untilWaitingForLock('SELECT count_imported_responses');
      await changer.commitTransaction();
      expect(await counted).toBe(true);
    } finally {
      if (changer.isTransactionActive) await changer.rollbackTransaction();
      await changer.release();
    }
    await expectCountsEqualRows();
    expect(await counting.count(first.importId)).toBe(false);

    // A change made while counting (not yet committed) waits for it, then counts as a change to counted answers.
    const second = await newImport('pending-b');
    await responses().insertImported(
      second,
      contacts.slice(12, 20).map((c, i) => answer(c, day(700 + i))),
    );
    const countingSession = db.createQueryRunner();
    await countingSession.startTransaction();
    try {
      expect(await new ImportCountsRepository(countingSession.manager).count(second.importId)).toBe(true);
      const changed = db.query(`UPDATE responses SET score = 3, category = 'detractor', role_snapshot = 'admin' WHERE import_id = $1 AND contact_id = $2`, [
        second.importId,
        contacts[14],
      ]);
      await untilWaitingForLock('UPDATE responses SET score = 3');
      await countingSession.commitTransaction();
      await changed;
    } finally {
      if (countingSession.isTransactionActive) await countingSession.rollbackTransaction();
      await countingSession.release();
    }
    await expectCountsEqualRows();
    const [{ pending }] = await db.query(`SELECT count(*)::int AS pending FROM import_counts_pending`);
    expect(pending).toBe(0);
  });
});
