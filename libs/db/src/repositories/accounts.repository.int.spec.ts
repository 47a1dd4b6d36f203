import { DataSource } from 'typeorm';
import { CrmFixtures } from '@test/support/crm-fixtures';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { createDataSource } from '../data-source';
import { runMigrations } from '../migrate';
import { AccountHealthRepository } from './account-health.repository';
import { AccountRow, AccountsRepository } from './accounts.repository';
import { ArrSnapshotsRepository } from './arr-snapshots.repository';
import { CrmOwnersRepository } from './crm-owners.repository';

const NOW = new Date('2026-11-10T12:00:00Z');

const account = (externalId: string, overrides: Partial<AccountRow> = {}): AccountRow => ({
  externalId,
  name: `Account ${externalId}`,
  arr: '25000.00',
  arrCurrency: 'USD',
  renewalDate: '2027-02-01',
  tier: 'Mid-Market',
  customerSince: '2024-05-01',
  ownerExternalId: 'U1',
  usageScore: null,
  modifiedAt: '2026-11-01T10:00:00.000Z',
  ...overrides,
});

/** The sync's, the ARR history's, the planner's and the health refresh's statements on accounts, on real Postgres. */
describe('AccountsRepository on Postgres', () => {
  let database: TestDatabase;
  let db: DataSource;
  let fx: CrmFixtures;
  let crm: string;

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
  beforeEach(async () => {
    await db.query(`TRUNCATE surveys, account_health, arr_snapshots, contacts, accounts, crm_owners, connections CASCADE`);
    crm = await fx.connection('salesforce');
  });

  const stored = (connectionId = crm): Promise<Array<Record<string, unknown>>> =>
    db.query(
      `SELECT external_id, name, arr::text, arr_currency, to_char(renewal_date, 'YYYY-MM-DD') AS renewal_date, tier, owner_external_id,
              deleted_at IS NOT NULL AS deleted, arr_history_due
       FROM accounts WHERE connection_id = $1 ORDER BY external_id`,
      [connectionId],
    );
  const snapshots = (): Promise<Array<{ external_id: string; arr: string; source: string }>> =>
    db.query(`SELECT a.external_id, s.arr::text, s.source FROM arr_snapshots s JOIN accounts a ON a.id = s.account_id ORDER BY a.external_id, s.id`);

  describe('the sync page write', () => {
    it('upserts by (connection, external id): the same page written twice changes nothing and adds no ARR snapshot', async () => {
      const accounts = new AccountsRepository(db.manager);
      const page = [account('A1'), account('A2', { arr: null })];
      expect(await accounts.upsertPage(crm, page)).toEqual({ created: 2, updated: 0 });
      const first = await stored();
      expect(first).toEqual([
        {
          external_id: 'A1',
          name: 'Account A1',
          arr: '25000.00',
          arr_currency: 'USD',
          renewal_date: '2027-02-01',
          tier: 'Mid-Market',
          owner_external_id: 'U1',
          deleted: false,
          arr_history_due: true,
        },
        expect.objectContaining({ external_id: 'A2', arr: null, deleted: false }),
      ]);
      expect(await snapshots()).toEqual([{ external_id: 'A1', arr: '25000.00', source: 'sync' }]);

      expect(await accounts.upsertPage(crm, page)).toEqual({ created: 0, updated: 0 });
      expect(await stored()).toEqual(first);
      expect(await snapshots()).toHaveLength(1);
    });

    it('counts a changed record as updated and snapshots only a changed ARR; another connection’s same id is another account', async () => {
      const accounts = new AccountsRepository(db.manager);
      await accounts.upsertPage(crm, [account('A1'), account('A2')]);
      expect(await accounts.upsertPage(crm, [account('A1', { arr: '30000.00' }), account('A2', { tier: 'Enterprise' })])).toEqual({ created: 0, updated: 2 });
      expect((await snapshots()).filter((s) => s.external_id === 'A1').map((s) => s.arr)).toEqual(['25000.00', '30000.00']);
      expect((await snapshots()).filter((s) => s.external_id === 'A2')).toHaveLength(1);

      const other = await fx.connection('hubspot');
      expect(await accounts.upsertPage(other, [account('A1')])).toEqual({ created: 1, updated: 0 });
      expect(await stored(crm)).toHaveLength(2);
      expect(await stored(other)).toHaveLength(1);
    });

    it('marks reported deletions, revives a record read again, and sweeps what a full read did not see', async () => {
      const accounts = new AccountsRepository(db.manager);
      await accounts.upsertPage(crm, [account('A1'), account('A2'), account('A3')]);
      expect(await accounts.markDeleted(crm, ['A1', 'A9'])).toBe(1);
      expect(await accounts.markDeleted(crm, ['A1'])).toBe(0);
      expect(await accounts.upsertPage(crm, [account('A1')])).toEqual({ created: 0, updated: 1 });

      const [{ now: since }] = await db.query(`SELECT now() AS now`);
      await accounts.upsertPage(crm, [account('A2')]);
      expect(await accounts.sweepUnseen(crm, since)).toBe(2);
      expect((await stored()).map((a) => [a.external_id, a.deleted])).toEqual([
        ['A1', true],
        ['A2', false],
        ['A3', true],
      ]);
    });

    it('upserts owners by (connection, external id); the same page twice changes nothing', async () => {
      const owners = new CrmOwnersRepository(db.manager);
      const page = [{ externalId: 'U1', name: 'Casey CSM', email: 'casey@vendor.example', active: true }];
      expect(await owners.upsertPage(crm, page)).toEqual({ created: 1, updated: 0 });
      const [before] = await db.query(`SELECT name, email, active, updated_at FROM crm_owners`);
      expect(await owners.upsertPage(crm, page)).toEqual({ created: 0, updated: 0 });
      expect(await db.query(`SELECT name, email, active, updated_at FROM crm_owners`)).toEqual([before]);
    });
  });

  describe('the CRM’s ARR history', () => {
    it('lists accounts due, stores each point once (a corrected value replaces it) and clears what was read', async () => {
      const accounts = new AccountsRepository(db.manager);
      const history = new ArrSnapshotsRepository(db.manager);
      await accounts.upsertPage(crm, [account('A1'), account('A2'), account('A3')]);
      expect(await accounts.dueForArrHistory(crm, 2)).toEqual(['A1', 'A2']);

      const points = [
        { accountExternalId: 'A1', at: '2026-01-01T00:00:00.000Z', arr: '20000.00' },
        { accountExternalId: 'A1', at: '2026-01-01T00:00:00.000Z', arr: '20000.00' },
        { accountExternalId: 'A1', at: '2026-06-01T00:00:00.000Z', arr: null },
        { accountExternalId: 'A2', at: '2026-03-01T00:00:00.000Z', arr: '9000.00' },
        { accountExternalId: 'UNKNOWN', at: '2026-03-01T00:00:00.000Z', arr: '1.00' },
      ];
      expect(await history.storeCrmHistory(crm, points)).toBe(2);
      expect(await history.storeCrmHistory(crm, points)).toBe(0);
      expect(await history.storeCrmHistory(crm, [{ accountExternalId: 'A2', at: '2026-03-01T00:00:00.000Z', arr: '9500.00' }])).toBe(0);
      expect((await snapshots()).filter((s) => s.source === 'crm')).toEqual([
        { external_id: 'A1', arr: '20000.00', source: 'crm' },
        { external_id: 'A2', arr: '9500.00', source: 'crm' },
      ]);

      await accounts.markArrHistoryRead(crm, ['A1', 'A2']);
      expect(await accounts.dueForArrHistory(crm, 10)).toEqual(['A3']);
      await accounts.markAllArrHistoryRead(crm);
      expect(await accounts.dueForArrHistory(crm, 10)).toEqual([]);
    });
  });

  describe('the pre-renewal plan’s candidates', () => {
    it('selects live, active accounts renewing 60–90 days ahead, with the renewal dates already surveyed', async () => {
      const inWindow = await fx.account(crm, { renewalDate: '2027-01-20' });
      await fx.account(crm, { renewalDate: '2027-01-08' }); // 59 days
      await fx.account(crm, { renewalDate: '2027-02-09' }); // 91 days
      await fx.account(crm, { renewalDate: '2027-01-20', active: false });
      const deleted = await fx.account(crm, { renewalDate: '2027-01-20' });
      await db.query(`UPDATE accounts SET deleted_at = now() WHERE id = $1`, [deleted]);
      const edge = await fx.account(crm, { renewalDate: '2027-02-08' }); // 90 days
      await db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, account_id, email, status, skip_reason, scheduled_at, source_ref)
         VALUES ('relational', 'pre_renewal', 'k1', $1, 'a@customer.example', 'sent', NULL, now(), '2027-01-20'),
                ('relational', 'pre_renewal', 'k2', $1, 'b@customer.example', 'cancelled', 'source_removed', now(), '2026-01-20')`,
        [inWindow],
      );

      const found = await new AccountsRepository(db.manager).renewingBetween(NOW, 60, 90);
      expect(found.sort((a, b) => a.renewal_date.localeCompare(b.renewal_date))).toEqual([
        { id: inWindow, renewal_date: '2027-01-20', surveyed: ['2027-01-20'] },
        { id: edge, renewal_date: '2027-02-08', surveyed: null },
      ]);
    });
  });

  describe('the nightly health refresh’s reads', () => {
    it('walks live account ids in chunks, in id order', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await fx.account(crm));
      await db.query(`UPDATE accounts SET deleted_at = now() WHERE id = $1`, [ids[2]]);
      const live = ids.filter((id) => id !== ids[2]).sort();
      const accounts = new AccountsRepository(db.manager);
      const first = await accounts.liveIdsAfter('00000000-0000-0000-0000-000000000000', 3);
      const second = await accounts.liveIdsAfter(first[first.length - 1], 3);
      expect(first).toEqual(live.slice(0, 3));
      expect(second).toEqual(live.slice(3));
      expect(await accounts.liveIdsAfter(second[second.length - 1], 3)).toEqual([]);
    });

    it('reads live accounts of live connections with the CRM fields last queued, and their ARR trend (the CRM’s history first)', async () => {
      const withHistory = await fx.account(crm, { externalId: 'A1' });
      const withoutHistory = await fx.account(crm, { externalId: 'A2' });
      const removedConnection = await fx.connection('hubspot');
      const orphan = await fx.account(removedConnection);
      await db.query(`UPDATE connections SET deleted_at = now() WHERE id = $1`, [removedConnection]);
      await db.query(
        `INSERT INTO arr_snapshots (account_id, arr, captured_at, source)
         VALUES ($1, '100.00', '2026-01-01', 'sync'), ($1, '200.00', '2026-02-01', 'crm'), ($2, '300.00', '2026-03-01', 'sync')`,
        [withHistory, withoutHistory],
      );
      await new AccountHealthRepository(db.manager).store({
        accountId: withHistory,
        sentiment: 'promoter',
        quadrant: 'champion',
        relationalNps: 100,
        decisionMakerNps: null,
        endUserNps: null,
        roleGap: null,
        roleGapFlagged: false,
        responses12m: 1,
        lastResponseDate: '2026-11-01',
        activity: 'high',
        activityBasis: 'usage',
        computedAt: NOW,
        queuedCrmFields: { NPS_Score__c: 100 },
      });

      const read = await db.transaction((tx) => new AccountsRepository(tx).forHealthRefresh([withoutHistory, withHistory, orphan]));
      expect(Object.fromEntries(read.map((a) => [a.external_id, [a.kind, a.crm_fields]]))).toEqual({ A1: ['salesforce', { NPS_Score__c: 100 }], A2: ['salesforce', null] });
      expect(read.map((a) => a.id)).toEqual([withHistory, withoutHistory].sort());

      const trend = await new ArrSnapshotsRepository(db.manager).trendOf([withHistory, withoutHistory]);
      expect(trend.map((p) => [p.account_id, p.arr])).toEqual([
        [withHistory, '200.00'],
        [withoutHistory, '300.00'],
      ]);
    });
  });

  describe('health refresh locks', () => {
    it('a refresh holding its accounts never blocks the sync writing them, and two refreshes of one account take turns', async () => {
      await new AccountsRepository(db.manager).upsertPage(crm, [account('A1'), account('A2')]);
      const ids = (await new AccountsRepository(db.manager).liveIdsAfter('00000000-0000-0000-0000-000000000000', 10)).sort();
      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstLocked!: () => void;
      const locked = new Promise<void>((resolve) => (firstLocked = resolve));
      const first = db.transaction(async (tx) => {
        await new AccountsRepository(tx).lockHealthRefreshOf(ids);
        await new AccountsRepository(tx).forHealthRefresh(ids);
        firstLocked();
        await firstHolds;
      });
      await locked;
      // The sync's page upsert of the same accounts, in the other order, goes through while the refresh holds them.
      expect(await new AccountsRepository(db.manager).upsertPage(crm, [account('A2', { arr: '1.00' }), account('A1', { arr: '2.00' })])).toEqual({ created: 0, updated: 2 });
      // A second refresh of one of them waits for the first to end.
      let secondDone = false;
      const second = db.transaction(async (tx) => {
        await new AccountsRepository(tx).lockHealthRefreshOf([ids[1]]);
        secondDone = true;
      });
      const [{ waiting }] = await waitForLockWaiters(db, 1);
      expect(waiting).toBe(1);
      expect(secondDone).toBe(false);
      releaseFirst();
      await Promise.all([first, second]);
      expect(secondDone).toBe(true);
    });
  });

  describe('what sending and answering read', () => {
    it('names the live owner as CSM, attributes a helpdesk organization case-insensitively, snapshots the segment', async () => {
      await fx.owner(crm, 'U1', 'Casey CSM', 'casey@vendor.example');
      const owned = await fx.account(crm, { externalId: '001ABC', owner: 'U1', arr: '120000.00', customerSince: '2020-02-03', tier: 'Enterprise' });
      const unowned = await fx.account(crm, { owner: 'U9' });
      const accounts = new AccountsRepository(db.manager);
      expect(await accounts.csmOf(owned)).toEqual({ name: 'Casey CSM', email: 'casey@vendor.example' });
      expect(await accounts.csmOf(unowned)).toBeUndefined();
      expect(await accounts.liveIdByCrmId('001abc')).toBe(owned);
      expect(await accounts.liveIdByCrmId('nope')).toBeNull();
      expect(await accounts.segmentOf(owned)).toEqual({ tier: 'Enterprise', arr: '120000.00', customer_since: '2020-02-03' });
      expect(await accounts.namesOf([owned, unowned])).toEqual(
        new Map([
          [owned, 'Acme Corp'],
          [unowned, 'Acme Corp'],
        ]),
      );
      expect(await accounts.softDeleteForConnection(crm)).toBe(2);
      expect(await accounts.liveIdByCrmId('001ABC')).toBeNull();
    });
  });
});

/** Resolves once `count` sessions wait on an advisory lock (looked up every 50 ms: the other transaction's own progress). */
async function waitForLockWaiters(db: DataSource, count: number): Promise<Array<{ waiting: number }>> {
  for (;;) {
    const rows: Array<{ waiting: number }> = await db.query(`SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
    if (rows[0].waiting >= count) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
