import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { programSettings } from '@libs/nps/src';
import { CrmFixtures } from '@test/support/crm-fixtures';
import { startTestService, TestService } from '@test/support/service';
import { HealthRefresh } from './health-refresh';

const NOW = new Date('2026-11-10T12:00:00Z');
const DAY = 86_400_000;

/** rules §1 arithmetic and rules §7 activity as they reach the CRM: the account update queued in the outbox. */
describe('account health written to the CRM (rules §1, §7, §8)', () => {
  let service: TestService;
  let db: DataSource;
  let fx: CrmFixtures;
  let crm: string;

  beforeAll(async () => {
    service = await startTestService({ api: false, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    fx = new CrmFixtures(db);
    const clock: Clock = service.app.get(CLOCK);
    clock.now = () => NOW;
  });
  afterAll(() => service.close());

  beforeEach(async () => {
    await db.query(`TRUNCATE outbox, follow_ups, responses, surveys, account_health, arr_snapshots, contacts, accounts, connections CASCADE`);
    crm = await fx.connection('salesforce');
  });

  /** Settled relational responses of new contacts with this role, one per score. */
  async function responses(accountId: string, role: string, scores: number[]): Promise<void> {
    for (const score of scores) {
      const contact = await fx.contact(crm, accountId, { role });
      const at = new Date(NOW.getTime() - 10 * DAY);
      const [survey] = await db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, account_id, email, status, scheduled_at, sent_at)
         VALUES ('relational', 'quarterly', gen_random_uuid()::text, $1, $2, 'x@customer.example', 'answered', $3, $3) RETURNING id`,
        [contact, accountId, at],
      );
      await db.query(
        `INSERT INTO responses (survey_id, stream, trigger, contact_id, account_id, score, category, role_snapshot, first_answered_at, last_changed_at, settled_at)
         VALUES ($1, 'relational', 'quarterly', $2, $3, $4, $5, $6, $7, $7, $7)`,
        [survey.id, contact, accountId, score, score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor', role, at],
      );
    }
  }

  async function snapshot(accountId: string, daysAgo: number, arr: string): Promise<void> {
    await db.query(`INSERT INTO arr_snapshots (account_id, arr, captured_at) VALUES ($1, $2, $3)`, [accountId, arr, new Date(NOW.getTime() - daysAgo * DAY)]);
  }

  async function refresh(accountIds: string[]): Promise<Map<string, Record<string, unknown>>> {
    await db.transaction((tx) => new HealthRefresh(tx, programSettings(), NOW).accounts(accountIds));
    const rows: Array<{ payload: { externalId: string; fields: Record<string, unknown> } }> = await db.query(
      `SELECT payload FROM outbox WHERE operation = 'crm.update_record' AND payload ->> 'object' = 'account'`,
    );
    return new Map(rows.map((r) => [r.payload.externalId, r.payload.fields]));
  }

  it('writes NPS −12.5 as −13 and a role gap of 37.5 as 38, each rounded once from the counts', async () => {
    const minus = await fx.account(crm, { externalId: '001MINUS' });
    await snapshot(minus, 400, '25000.00');
    await responses(minus, 'end_user', [10, 8, 8, 7, 7, 8, 3, 5]); // 1 P, 2 D of 8: −12.5
    const gap = await fx.account(crm, { externalId: '001GAP' });
    await snapshot(gap, 400, '25000.00');
    await responses(gap, 'decision_maker', [9, 10, 9, 10, 9, 0, 4, 6]); // 5 P, 3 D of 8: 25
    await responses(gap, 'end_user', [10, 8, 8, 7, 7, 8, 3, 5]); // −12.5 → gap 37.5

    const fields = await refresh([minus, gap]);
    expect(fields.get('001MINUS')).toMatchObject({ NPS_Relational__c: -13, NPS_End_User__c: -13, NPS_Responses_12m__c: 8 });
    expect(fields.get('001MINUS')).not.toHaveProperty('NPS_Role_Gap__c'); // no decision makers: no gap
    expect(fields.get('001GAP')).toMatchObject({
      NPS_Relational__c: 6, // 6 P, 5 D of 16: 6.25
      NPS_Decision_Maker__c: 25,
      NPS_End_User__c: -13,
      NPS_Role_Gap__c: 38,
    });
    // Our own record keeps the exact values.
    const health = await db.query(
      `SELECT a.external_id, h.relational_nps::text, h.role_gap::text, h.role_gap_flagged FROM account_health h JOIN accounts a ON a.id = h.account_id ORDER BY a.external_id`,
    );
    expect(health).toEqual([
      { external_id: '001GAP', relational_nps: '6.25', role_gap: '37.50', role_gap_flagged: true },
      { external_id: '001MINUS', relational_nps: '-12.50', role_gap: null, role_gap_flagged: false },
    ]);
  });

  it('a detractor account with neither a usage value nor ARR history reaching 180 days back is unknown, not churn_risk', async () => {
    const young = await fx.account(crm, { externalId: '001YOUNG' });
    await snapshot(young, 179, '25000.00'); // history 179 days deep
    await responses(young, 'decision_maker', [2]);
    const old = await fx.account(crm, { externalId: '001OLD' });
    await snapshot(old, 180, '25000.00'); // reaches back exactly 180 days, no growth since
    await responses(old, 'decision_maker', [2]);
    const used = await fx.account(crm, { externalId: '001USAGE' });
    await db.query(`UPDATE accounts SET usage_score = 80 WHERE id = $1`, [used]);
    await responses(used, 'decision_maker', [2]);

    const fields = await refresh([young, old, used]);
    expect(fields.get('001YOUNG')).toMatchObject({ NPS_Sentiment__c: 'detractor', NPS_Health_Quadrant__c: 'unknown' });
    expect(fields.get('001OLD')).toMatchObject({ NPS_Sentiment__c: 'detractor', NPS_Health_Quadrant__c: 'churn_risk' });
    expect(fields.get('001USAGE')).toMatchObject({ NPS_Sentiment__c: 'detractor', NPS_Health_Quadrant__c: 'friction' });
    const health = await db.query(
      `SELECT a.external_id, h.activity, h.activity_basis, h.quadrant FROM account_health h JOIN accounts a ON a.id = h.account_id ORDER BY a.external_id`,
    );
    expect(health).toEqual([
      { external_id: '001OLD', activity: 'low', activity_basis: 'arr_trend', quadrant: 'churn_risk' },
      { external_id: '001USAGE', activity: 'high', activity_basis: 'usage', quadrant: 'friction' },
      { external_id: '001YOUNG', activity: 'unknown', activity_basis: 'no_data', quadrant: 'unknown' },
    ]);
  });

  it("uses the CRM's own ARR history where it keeps one, and our snapshots only for accounts without it", async () => {
    const both = await fx.account(crm, { externalId: '001BOTH' });
    // Our snapshots say flat ARR; the CRM's field history says it grew 20 % in the window.
    await snapshot(both, 300, '50000.00');
    await snapshot(both, 1, '50000.00');
    await db.query(`INSERT INTO arr_snapshots (account_id, arr, captured_at, source) VALUES ($1, '50000.00', $2, 'crm'), ($1, '60000.00', $3, 'crm')`, [
      both,
      new Date(NOW.getTime() - 400 * DAY),
      new Date(NOW.getTime() - 30 * DAY),
    ]);
    await responses(both, 'decision_maker', [2]);
    const ours = await fx.account(crm, { externalId: '001OURS' });
    await snapshot(ours, 300, '50000.00');
    await snapshot(ours, 1, '60000.00');
    await responses(ours, 'decision_maker', [2]);

    const fields = await refresh([both, ours]);
    expect(fields.get('001BOTH')).toMatchObject({ NPS_Health_Quadrant__c: 'friction' }); // the CRM's growth counts
    expect(fields.get('001OURS')).toMatchObject({ NPS_Health_Quadrant__c: 'friction' }); // our snapshots, no CRM history
  });

  it('queues nothing on a refresh that changes nothing, for accounts and contacts alike', async () => {
    const account = await fx.account(crm, { externalId: '001SAME' });
    await responses(account, 'decision_maker', [9, 3]);
    const [{ id: contact }] = await db.query(`SELECT id FROM contacts WHERE account_id = $1 ORDER BY id LIMIT 1`, [account]);
    const run = (work: (refresh: HealthRefresh) => Promise<number>) => db.transaction((tx) => work(new HealthRefresh(tx, programSettings(), NOW)));

    expect(await run((r) => r.accounts([account]))).toBe(1);
    expect(await run((r) => r.contacts([contact]))).toBe(1);
    const [before] = await db.query(`SELECT crm_fields FROM account_health WHERE account_id = $1`, [account]);
    const queued = await db.query(`SELECT count(*)::int AS n FROM outbox`);

    expect(await run((r) => r.accounts([account]))).toBe(0);
    expect(await run((r) => r.contacts([contact]))).toBe(0);
    expect(await db.query(`SELECT crm_fields FROM account_health WHERE account_id = $1`, [account])).toEqual([before]);
    expect(await db.query(`SELECT count(*)::int AS n FROM outbox`)).toEqual(queued);
  });
});
