import { DataSource } from 'typeorm';
import { CrmFixtures } from '@test/support/crm-fixtures';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { createDataSource } from '../data-source';
import { runMigrations } from '../migrate';
import { AccountsRepository } from './accounts.repository';
import { ContactRoleRow, ContactRolesRepository } from './contact-roles.repository';
import { ContactRow, ContactsRepository } from './contacts.repository';

const contact = (externalId: string, accountExternalId: string | null, overrides: Partial<ContactRow> = {}): ContactRow => ({
  externalId,
  accountExternalId,
  email: `${externalId.toLowerCase()}@customer.example`,
  firstName: 'Pat',
  lastName: 'Lee',
  modifiedAt: '2026-11-01T10:00:00.000Z',
  ...overrides,
});

const relation = (externalId: string, accountExternalId: string, contactExternalId: string, roles: string[], role: string): ContactRoleRow => ({
  externalId,
  accountExternalId,
  contactExternalId,
  roles,
  role,
  modifiedAt: '2026-11-01T10:00:00.000Z',
});

/** The sync's and the planners' statements on contacts and contact roles, on real Postgres. */
describe('ContactsRepository and ContactRolesRepository on Postgres', () => {
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
    await db.query(`TRUNCATE surveys, opt_outs, contact_roles, contacts, accounts, connections CASCADE`);
    crm = await fx.connection('salesforce');
  });

  const contacts = (): Promise<Array<Record<string, unknown>>> =>
    db.query(
      `SELECT c.external_id, a.external_id AS account, c.email, c.first_name, c.last_name, c.role, c.source_roles, c.deleted_at IS NOT NULL AS deleted
       FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id WHERE c.connection_id = $1 ORDER BY c.external_id`,
      [crm],
    );
  const relations = (): Promise<Array<Record<string, unknown>>> =>
    db.query(
      `SELECT r.external_id, r.source_roles, r.role, a.external_id AS account, c.external_id AS contact, r.deleted_at IS NOT NULL AS deleted
       FROM contact_roles r LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN contacts c ON c.id = r.contact_id
       WHERE r.connection_id = $1 ORDER BY r.external_id`,
      [crm],
    );

  describe('the sync page write', () => {
    it('upserts contacts by (connection, external id): the same page twice changes nothing; a later account is linked afterwards', async () => {
      await fx.account(crm, { externalId: 'A1' });
      const repo = new ContactsRepository(db.manager);
      const page = [contact('C1', 'A1'), contact('C2', 'A2')];
      expect(await repo.upsertPage(crm, page)).toEqual({ created: 2, updated: 0 });
      const first = await contacts();
      expect(first.map((c) => [c.external_id, c.account])).toEqual([
        ['C1', 'A1'],
        ['C2', null],
      ]);
      expect(await repo.upsertPage(crm, page)).toEqual({ created: 0, updated: 0 });
      expect(await contacts()).toEqual(first);

      expect(await repo.upsertPage(crm, [contact('C1', 'A1', { email: 'new@customer.example' })])).toEqual({ created: 0, updated: 1 });
      await fx.account(crm, { externalId: 'A2' });
      await repo.linkAccounts(crm);
      expect((await contacts()).map((c) => [c.external_id, c.account, c.email])).toEqual([
        ['C1', 'A1', 'new@customer.example'],
        ['C2', 'A2', 'c2@customer.example'],
      ]);
    });

    it('upserts relations by (connection, external id): the same page twice changes nothing; the contact takes its primary account’s role', async () => {
      await new AccountsRepository(db.manager).upsertPage(crm, [
        {
          externalId: 'A1',
          name: 'One',
          arr: null,
          arrCurrency: null,
          renewalDate: null,
          tier: null,
          customerSince: null,
          ownerExternalId: null,
          usageScore: null,
          modifiedAt: '2026-11-01T10:00:00.000Z',
        },
      ]);
      const people = new ContactsRepository(db.manager);
      const roles = new ContactRolesRepository(db.manager);
      const page = [relation('R1', 'A1', 'C1', ['Economic Buyer', 'Business User'], 'decision_maker'), relation('R2', 'A1', 'C9', [], 'other')];
      expect(await roles.upsertPage(crm, page)).toEqual({ created: 2, updated: 0 });
      const first = await relations();
      expect(await roles.upsertPage(crm, page)).toEqual({ created: 0, updated: 0 });
      expect(await relations()).toEqual(first);
      expect(first.map((r) => [r.external_id, r.source_roles, r.role])).toEqual([
        ['R1', ['Economic Buyer', 'Business User'], 'decision_maker'],
        ['R2', [], 'other'],
      ]);

      await people.upsertPage(crm, [contact('C1', 'A1')]);
      await roles.linkAccountsAndContacts(crm);
      await roles.deleteWithoutBothEnds(crm); // R2's contact C9 was never stored
      await people.takeRolesFromPrimaryAccount(crm);
      expect((await relations()).map((r) => [r.external_id, r.account, r.contact, r.deleted])).toEqual([
        ['R1', 'A1', 'C1', false],
        ['R2', null, null, true], // linked only once both ends are stored
      ]);
      expect((await contacts()).map((c) => [c.external_id, c.role, c.source_roles])).toEqual([['C1', 'decision_maker', ['Economic Buyer', 'Business User']]]);

      // A vendor that reports all roles of a contact at once: the ones it no longer lists go.
      await roles.upsertPage(crm, [relation('R3', 'A1', 'C1', ['Admin'], 'admin')]);
      expect(await roles.deleteNotIn(crm, { contactExternalIds: ['C1'] }, ['R3'])).toBe(1);
      await people.takeRolesFromPrimaryAccount(crm);
      expect((await contacts()).map((c) => c.role)).toEqual(['admin']);
    });

    it('marks reported deletions and sweeps what a full read did not see', async () => {
      const repo = new ContactsRepository(db.manager);
      await repo.upsertPage(crm, [contact('C1', null), contact('C2', null), contact('C3', null)]);
      expect(await repo.markDeleted(crm, ['C1'])).toBe(1);
      const [{ now: since }] = await db.query(`SELECT now() AS now`);
      await repo.upsertPage(crm, [contact('C2', null)]);
      expect(await repo.sweepUnseen(crm, since)).toBe(1);
      expect((await contacts()).map((c) => [c.external_id, c.deleted])).toEqual([
        ['C1', true],
        ['C2', false],
        ['C3', true],
      ]);
      expect(await repo.softDeleteForConnection(crm)).toBe(1);
    });
  });

  describe('the planners’ candidates', () => {
    it('gives an account’s live contacts with whether they opted out (in the CRM or through any survey)', async () => {
      const account = await fx.account(crm);
      const kept = await fx.contact(crm, account, { email: 'Kim@Customer.example', role: 'decision_maker' });
      const unsubscribed = await fx.contact(crm, account, { unsubscribed: true });
      const deleted = await fx.contact(crm, account);
      await db.query(`UPDATE contacts SET deleted_at = now() WHERE id = $1`, [deleted]);
      await db.query(`INSERT INTO opt_outs (email) VALUES ('kim@customer.example')`);
      const notOptedOut = await fx.contact(crm, account);

      const found = await new ContactsRepository(db.manager).ofAccountForPlanning(account);
      expect(Object.fromEntries(found.map((c) => [c.id, c.opted_out]))).toEqual({ [kept]: true, [unsubscribed]: true, [notOptedOut]: false });
      expect(found.find((c) => c.id === kept)).toEqual({
        id: kept,
        email: 'Kim@Customer.example',
        first_name: 'Pat',
        role: 'decision_maker',
        opted_out: true,
        account_id: account,
        connection_id: crm,
      });
    });

    it('pages the quarterly wave’s contacts by id, with whether their account is active and this quarter’s survey planned', async () => {
      const active = await fx.account(crm);
      const inactive = await fx.account(crm, { active: false });
      const ids = [
        await fx.contact(crm, active, { id: '00000000-0000-0000-0000-000000000001' }),
        await fx.contact(crm, inactive, { id: '00000000-0000-0000-0000-000000000002' }),
        await fx.contact(crm, null, { id: '00000000-0000-0000-0000-000000000003' }),
        await fx.contact(crm, active, { id: '00000000-0000-0000-0000-000000000004' }),
      ];
      await db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, email, status, scheduled_at)
         VALUES ('relational', 'quarterly', 'quarterly:2026-Q4:' || $1::text, $1::uuid, 'x@customer.example', 'scheduled', now())`,
        [ids[3]],
      );
      const repo = new ContactsRepository(db.manager);
      const first = await repo.quarterlyCandidatesAfter('00000000-0000-0000-0000-000000000000', '2026-Q4', 2);
      expect(first.map((c) => [c.id, c.account_active, c.planned])).toEqual([
        [ids[0], true, false],
        [ids[1], false, false],
      ]);
      const second = await repo.quarterlyCandidatesAfter(ids[1], '2026-Q4', 2);
      expect(second.map((c) => [c.id, c.account_active, c.planned])).toEqual([[ids[3], true, true]]);
      expect((await repo.quarterlyCandidatesAfter(ids[1], '2027-Q1', 2)).map((c) => c.planned)).toEqual([false]);
    });

    it('finds a ticket requester and the CRM addresses among a list whatever their case', async () => {
      const account = await fx.account(crm);
      const pat = await fx.contact(crm, account, { email: 'Pat@Customer.example' });
      const repo = new ContactsRepository(db.manager);
      expect(await repo.liveByEmail('pat@customer.EXAMPLE')).toEqual([{ id: pat, email: 'Pat@Customer.example', account_id: account }]);
      expect(await repo.liveEmailsAmong(['PAT@customer.example', 'nobody@customer.example'])).toEqual(new Set(['pat@customer.example']));
      await repo.markUnsubscribed('pat@customer.example', new Date('2026-11-10T12:00:00Z'));
      await repo.markUnsubscribed('pat@customer.example', new Date('2026-12-01T12:00:00Z'));
      const [row] = await db.query(`SELECT unsubscribed_at FROM contacts WHERE id = $1`, [pat]);
      expect(row.unsubscribed_at).toEqual(new Date('2026-11-10T12:00:00Z'));
      expect(await repo.roleOf(pat)).toBe('other');
    });
  });

  describe('the score fields a contact gives the CRM', () => {
    it('reads the latest settled answer per stream, merges what was queued and forgets refused fields', async () => {
      const account = await fx.account(crm, { externalId: 'A1' });
      const id = await fx.contact(crm, account);
      const [{ external_id: externalId }] = await db.query(`SELECT external_id FROM contacts WHERE id = $1`, [id]);
      const answer = async (key: string, score: number, settledAt: string) => {
        const [survey] = await db.query(
          `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, email, status, scheduled_at) VALUES ('relational', 'quarterly', $1, $2, 'x@customer.example', 'answered', now()) RETURNING id`,
          [key, id],
        );
        await db.query(
          `INSERT INTO responses (survey_id, stream, trigger, contact_id, score, category, first_answered_at, last_changed_at, settled_at)
           VALUES ($1, 'relational', 'quarterly', $2, $3, 'passive', $4, $4, $4)`,
          [survey.id, id, score, settledAt],
        );
      };
      await answer('k1', 7, '2026-10-01T00:00:00Z');
      await answer('k2', 8, '2026-11-01T00:00:00Z');
      const repo = new ContactsRepository(db.manager);
      expect((await repo.latestScores([id])).map((r) => [r.stream, r.score, r.kind])).toEqual([['relational', 8, 'salesforce']]);

      await repo.recordQueuedNpsFields(id, { NPS_Score__c: 8, NPS_Date__c: '2026-11-01' });
      await repo.recordQueuedNpsFields(id, { NPS_Score__c: 9 });
      await repo.forgetQueuedNpsFields(crm, externalId, ['NPS_Date__c']);
      expect((await repo.latestScores([id]))[0].crm_nps_fields).toEqual({ NPS_Score__c: 9 });
    });
  });
});
