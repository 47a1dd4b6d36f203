import { DataSource } from 'typeorm';
import { CrmFixtures } from '@test/support/crm-fixtures';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { createDataSource } from '../data-source';
import { runMigrations } from '../migrate';
import { AccountHealthRecord, AccountHealthRepository } from './account-health.repository';

const NOW = new Date('2026-11-10T12:00:00Z');

/** The health refresh's write, the outbox's "forget what was refused" and the response page's read, on real Postgres. */
describe('AccountHealthRepository on Postgres', () => {
  let database: TestDatabase;
  let db: DataSource;
  let fx: CrmFixtures;

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    db = await createDataSource(database.url).initialize();
    fx = new CrmFixtures(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database.drop();
  });

  const health = (accountId: string, overrides: Partial<AccountHealthRecord> = {}): AccountHealthRecord => ({
    accountId,
    sentiment: 'detractor',
    quadrant: 'churn_risk',
    relationalNps: -13,
    decisionMakerNps: -100,
    endUserNps: 25,
    roleGap: 125,
    roleGapFlagged: true,
    responses12m: 8,
    lastResponseDate: '2026-11-01',
    activity: 'low',
    activityBasis: 'usage',
    computedAt: NOW,
    queuedCrmFields: {},
    ...overrides,
  });

  it('keeps one row per account: a refresh rewrites it and merges the CRM fields queued into those queued before', async () => {
    const crm = await fx.connection('salesforce');
    const accountId = await fx.account(crm, { externalId: '001A' });
    const repo = new AccountHealthRepository(db.manager);
    await repo.store(health(accountId, { queuedCrmFields: { NPS_Score__c: -13, NPS_Quadrant__c: 'churn_risk' } }));
    await repo.store(health(accountId, { relationalNps: 10, quadrant: 'friction', activity: 'high', queuedCrmFields: { NPS_Quadrant__c: 'friction' } }));
    // Nothing changed since: nothing queued, the queued values stay.
    await repo.store(health(accountId, { relationalNps: 10, quadrant: 'friction', activity: 'high' }));

    const rows = await db.query(`SELECT relational_nps, quadrant, activity, role_gap_flagged, crm_fields FROM account_health`);
    expect(rows).toEqual([
      { relational_nps: '10.00', quadrant: 'friction', activity: 'high', role_gap_flagged: true, crm_fields: { NPS_Score__c: -13, NPS_Quadrant__c: 'friction' } },
    ]);
    expect(await repo.summaryOf(accountId)).toEqual({ quadrant: 'friction', sentiment: 'detractor', relationalNps: '10.00', responses12m: 8, computedAt: NOW });

    await repo.forgetQueuedFields(crm, '001A', ['NPS_Score__c', 'Not_Queued__c']);
    expect((await db.query(`SELECT crm_fields FROM account_health`))[0].crm_fields).toEqual({ NPS_Quadrant__c: 'friction' });
    expect(await repo.summaryOf(await fx.account(crm))).toBeNull();
  });
});
