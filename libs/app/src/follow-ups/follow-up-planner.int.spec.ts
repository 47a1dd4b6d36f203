import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '../admin-keys/admin-key.service';
import { CLOCK, Clock } from '@libs/config/src';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { CrmFixtures } from '@test/support/crm-fixtures';
import { startTestService, TestService } from '@test/support/service';
import { ResponseSettler } from '../responses/settle-responses';
import { ProgramService } from '../program/program.service';
import { FollowUpPlanner } from './follow-up-planner';
import { HealthNightly } from './health-nightly';

const NOW = Date.parse('2026-11-10T12:00:00Z');

/** Rows in Postgres only: what a settle commits, before any vendor is called. */
describe('follow-ups, outbox and fields from settled responses (rules §6–§8)', () => {
  let service: TestService;
  let db: DataSource;
  let fx: CrmFixtures;
  let clock: Clock;
  let settler: ResponseSettler;
  let crm: string;

  beforeAll(async () => {
    // The API too: skipped follow-ups are listed at /api/write-backs.
    service = await startTestService({ api: true, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    fx = new CrmFixtures(db);
    clock = service.app.get(CLOCK);
    clock.now = () => new Date(NOW);
    settler = service.app.get(ResponseSettler);
  });
  afterAll(() => service.close());

  beforeEach(async () => {
    await db.query(`TRUNCATE outbox, follow_ups, responses, surveys, account_health, contacts, accounts, connections CASCADE`);
    crm = await fx.connection('salesforce');
  });

  /** An answered relational survey whose response settles at the next settleDue (30 min after its click). */
  async function answered(accountId: string, contactId: string, score: number, role = 'admin', trigger = 'quarterly'): Promise<string> {
    const at = new Date(NOW - 31 * 60_000);
    const [survey] = await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, account_id, email, status, scheduled_at, sent_at)
       VALUES ('relational', $1, gen_random_uuid()::text, $2, $3, 'pat@customer.example', 'answered', $4, $4) RETURNING id`,
      [trigger, contactId, accountId, at],
    );
    const category = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
    const [response] = await db.query(
      `INSERT INTO responses (survey_id, stream, trigger, contact_id, account_id, score, category, role_snapshot, first_answered_at, last_changed_at)
       VALUES ($1, 'relational', $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
      [survey.id, trigger, contactId, accountId, score, category, role, at],
    );
    return response.id;
  }

  const outbox = () =>
    db.query(`SELECT operation, dedupe_key, payload, follow_up_id, status FROM outbox ORDER BY id`) as Promise<
      Array<{ operation: string; dedupe_key: string; payload: Record<string, any>; follow_up_id: string | null; status: string }>
    >;

  it('a settle commits the follow-up, its task in the outbox, and the account and contact fields, together', async () => {
    const account = await fx.account(crm, { externalId: '001A', owner: '005CSM', tier: 'Mid-Market', arr: '25000.00' });
    const contact = await fx.contact(crm, account, { role: 'decision_maker' });
    const responseId = await answered(account, contact, 3, 'decision_maker');
    expect(await settler.settleDue()).toBe(1);

    const [followUp] = await db.query(`SELECT id, kind, owner_kind, owner_external_id, due_at, priority, status, target_system, account_id FROM follow_ups`);
    const settledAt = new Date(NOW - 60_000); // last click + 30 min
    expect(followUp).toMatchObject({
      kind: 'detractor_call',
      owner_kind: 'account_owner',
      owner_external_id: '005CSM',
      priority: 'high',
      status: 'pending',
      target_system: 'salesforce',
      account_id: account,
    });
    expect((followUp.due_at as Date).toISOString()).toBe(new Date(settledAt.getTime() + 48 * 3600_000).toISOString());

    const rows = await outbox();
    expect(rows.map((r) => r.operation).sort()).toEqual(['crm.create_task', 'crm.update_record', 'crm.update_record']);
    const task = rows.find((r) => r.operation === 'crm.create_task')!;
    expect(task).toMatchObject({ dedupe_key: `task:${followUp.id}`, follow_up_id: followUp.id });
    expect(task.payload.task).toMatchObject({ key: followUp.id, accountExternalId: '001A', ownerExternalId: '005CSM', priority: 'high' });
    // The link is a permalink issued in the settle's transaction (rules §6), not the admin API.
    expect(task.payload.task.description).toMatch(/\nResponse: http\S+\/r\/[A-Za-z0-9_-]{43}(\n|$)/);
    expect(await db.query(`SELECT count(*)::int AS n FROM response_permalinks WHERE response_id = $1 AND revoked_at IS NULL`, [responseId])).toEqual([{ n: 1 }]);
    const accountUpdate = rows.find((r) => r.payload.object === 'account')!;
    expect(accountUpdate.payload).toEqual({
      object: 'account',
      externalId: '001A',
      fields: {
        NPS_Relational__c: -100,
        NPS_Decision_Maker__c: -100,
        NPS_Responses_12m__c: 1,
        NPS_Last_Response_Date__c: '2026-11-10',
        NPS_Sentiment__c: 'detractor',
        // No usage field and no ARR history 180 days deep: activity unknown, never churn_risk (rules §7).
        NPS_Health_Quadrant__c: 'unknown',
      },
    });
    const contactUpdate = rows.find((r) => r.payload.object === 'contact')!;
    expect(contactUpdate.payload.fields).toEqual({ NPS_Last_Score__c: 3, NPS_Last_Category__c: 'detractor', NPS_Last_Response_Date__c: '2026-11-10' });
  });

  it('an enterprise detractor adds the escalation to the leadership owner; nothing is planned twice', async () => {
    await db.query(`UPDATE program_settings SET settings = '{"rules": {"leadershipOwnerId": "005VP"}}'`);
    try {
      const account = await fx.account(crm, { externalId: '001E', owner: '005CSM', tier: 'Enterprise', arr: '250000.00' });
      const responseId = await answered(account, await fx.contact(crm, account), 1);
      await settler.settleDue();
      const { rules } = await service.app.get(ProgramService).get();
      await db.transaction((tx) => new FollowUpPlanner(tx, rules, 'http://x', new Date(NOW)).planSettled([responseId]));
      const followUps = await db.query(`SELECT kind, owner_kind, owner_external_id FROM follow_ups ORDER BY kind`);
      expect(followUps).toEqual([
        { kind: 'detractor_call', owner_kind: 'account_owner', owner_external_id: '005CSM' },
        { kind: 'leadership_escalation', owner_kind: 'leadership', owner_external_id: '005VP' },
      ]);
      expect((await outbox()).filter((r) => r.operation === 'crm.create_task')).toHaveLength(2);
    } finally {
      await db.query(`UPDATE program_settings SET settings = '{}'`);
    }
  });

  it('queues only values that changed, merged into the pending update of the same record', async () => {
    const account = await fx.account(crm, { externalId: '001M', tier: 'Mid-Market' });
    const first = await fx.contact(crm, account, { role: 'end_user' });
    const second = await fx.contact(crm, account, { role: 'end_user' });
    await answered(account, first, 10, 'end_user');
    await settler.settleDue();
    await answered(account, second, 0, 'end_user');
    await settler.settleDue();
    const accountRows = (await outbox()).filter((r) => r.payload.object === 'account');
    expect(accountRows).toHaveLength(1); // the second settle merged into the first, still pending
    expect(accountRows[0].payload.fields).toMatchObject({
      NPS_Relational__c: 0,
      NPS_End_User__c: 0,
      NPS_Responses_12m__c: 2,
      NPS_Sentiment__c: 'detractor',
      NPS_Health_Quadrant__c: 'unknown',
    });

    // Delivered, then nothing changed: the nightly refresh queues nothing for this account.
    await db.query(`UPDATE outbox SET status = 'delivered'`);
    expect(await service.app.get(HealthNightly).refreshAll()).toEqual({ accounts: 1, queued: 0 });
  });

  it('a ticket detractor writes back to its ticket and gets a task ticket for the solving group', async () => {
    const [{ id: helpdesk }] = await db.query(
      `INSERT INTO connections (kind, name, credentials_encrypted, status, settings) VALUES ('zendesk', 'zd', 'v1.x.y.z', 'active', '{"npsScoreFieldId": 360001}') RETURNING id`,
    );
    const at = new Date(NOW - 31 * 60_000);
    const [survey] = await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, source_connection_id, source_ref, email, status, scheduled_at, sent_at, context)
       VALUES ('transactional', 'ticket_solved', 'ticket_solved:x:42', $1, '42', 'pat@customer.example', 'answered', $2, $2,
               '{"ticketId": "42", "groupId": "360007"}') RETURNING id`,
      [helpdesk, at],
    );
    const [response] = await db.query(
      `INSERT INTO responses (survey_id, stream, trigger, score, category, comment, role_snapshot, first_answered_at, last_changed_at, settled_at)
       VALUES ($1, 'transactional', 'ticket_solved', 2, 'detractor', 'Took a week', 'other', $2, $2, NULL) RETURNING id`,
      [survey.id, at],
    );
    await settler.settleDue();
    const rows = await outbox();
    expect(rows.map((r) => r.operation)).toEqual(['helpdesk.write_back', 'helpdesk.create_ticket']);
    const writeBack = rows[0].payload;
    expect(writeBack).toMatchObject({
      ticketId: '42',
      closed: false,
      update: { score: 2, tags: ['nps_detractor'] },
      externalId: `nps-bridge:write-back:${response.id}`,
    });
    expect(writeBack.update.privateNote).toContain('NPS score: 2 (detractor)');
    expect(writeBack.update.privateNote).toContain('"Took a week"');
    const [followUp] = await db.query(`SELECT id, kind, owner_kind, owner_external_id, due_at, target_system FROM follow_ups`);
    expect(followUp).toMatchObject({ kind: 'detractor_task_ticket', owner_kind: 'helpdesk_group', owner_external_id: '360007', target_system: 'zendesk' });
    expect(rows[1].payload.ticket).toMatchObject({
      type: 'task',
      groupId: '360007',
      dueAt: new Date(NOW - 60_000 + 48 * 3600_000).toISOString(),
      tags: ['nps_detractor'],
      externalId: `nps-bridge:follow-up:${followUp.id}`,
    });
  });

  it('a claim whose worker died is offered again, marked as a create of unknown outcome', async () => {
    const account = await fx.account(crm, { externalId: '001C', owner: '005CSM' });
    await answered(account, await fx.contact(crm, account), 8);
    await settler.settleDue();
    const repo = new OutboxRepository(db.manager);
    const [claimed] = await repo.claim(crm, 'crm.create_task', 10, new Date(NOW));
    expect(claimed.outcomeUnknownSince).toBeNull();
    expect(await repo.claim(crm, 'crm.create_task', 10, new Date(NOW + 60_000))).toEqual([]); // still held
    const [again] = await repo.claim(crm, 'crm.create_task', 10, new Date(NOW + 11 * 60_000));
    expect(again.id).toBe(claimed.id);
    expect(again.attempts).toBe(2);
    expect(again.outcomeUnknownSince?.toISOString()).toBe(new Date(NOW).toISOString());
  });
  /** Runs `body` with these program rules, then puts the defaults back. */
  async function withRules(rules: Record<string, unknown>, body: () => Promise<void>): Promise<void> {
    await db.query(`UPDATE program_settings SET settings = $1`, [JSON.stringify({ rules })]);
    try {
      await body();
    } finally {
      await db.query(`UPDATE program_settings SET settings = '{}'`);
    }
  }

  it('a pre_renewal score of 5 gets exactly one follow-up: the +24 h check-in, no detractor call', async () => {
    await withRules({ leadershipOwnerId: '005VP' }, async () => {
      const account = await fx.account(crm, { externalId: '001R', owner: '005CSM', tier: 'Mid-Market', arr: '25000.00' });
      await answered(account, await fx.contact(crm, account), 5, 'decision_maker', 'pre_renewal');
      expect(await settler.settleDue()).toBe(1);
      const followUps = await db.query(`SELECT kind, status, due_at FROM follow_ups`);
      expect(followUps.map((f: { kind: string; status: string }) => [f.kind, f.status])).toEqual([['renewal_check_in', 'pending']]);
      expect((followUps[0].due_at as Date).toISOString()).toBe(new Date(NOW - 60_000 + 24 * 3600_000).toISOString());
      expect((await outbox()).filter((r) => r.operation === 'crm.create_task')).toHaveLength(1);
    });
  });

  it('an enterprise detractor without a leadership owner: the escalation is skipped no_leadership_owner and listed at /api/write-backs', async () => {
    const account = await fx.account(crm, { externalId: '001NOVP', name: 'Globex', owner: '005CSM', tier: 'Enterprise', arr: '250000.00' });
    const responseId = await answered(account, await fx.contact(crm, account), 2);
    await settler.settleDue();

    const followUps = await db.query(`SELECT id, kind, status, skip_reason, owner_external_id FROM follow_ups ORDER BY kind`);
    expect(followUps.map((f: Record<string, unknown>) => [f.kind, f.status, f.skip_reason, f.owner_external_id])).toEqual([
      ['detractor_call', 'pending', null, '005CSM'],
      ['leadership_escalation', 'skipped', 'no_leadership_owner', null],
    ]);
    // Nothing goes to the CRM for it: only the CSM's call is queued.
    const tasks = (await outbox()).filter((r) => r.operation === 'crm.create_task');
    expect(tasks.map((t) => t.follow_up_id)).toEqual([followUps[0].id]);

    const auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
    const listed = await request(service.url).get('/api/write-backs').set(auth);
    expect(listed.status).toBe(200);
    expect(listed.body.failed).toEqual([]);
    expect(listed.body.skipped).toEqual([
      expect.objectContaining({ id: followUps[1].id, responseId, kind: 'leadership_escalation', reason: 'no_leadership_owner', connectionId: crm, accountName: 'Globex' }),
    ]);
    expect(listed.body.skippedSummary).toEqual([expect.objectContaining({ connectionId: crm, kind: 'leadership_escalation', reason: 'no_leadership_owner', count: 1 })]);
    // Past both dues, a skipped escalation is no overdue follow-up: loop closure counts only the call.
    clock.now = () => new Date(NOW + 3 * 24 * 3600_000);
    try {
      const closure = await request(service.url).get('/api/loop-closure').set(auth);
      expect(closure.body.streams.relational.byCategory.detractor).toMatchObject({ closed: 0, overdue: 1 });
    } finally {
      clock.now = () => new Date(NOW);
    }
    expect((await request(service.url).get(`/api/write-backs?status=pending`).set(auth)).body.skipped).toHaveLength(1);
  });

  it('an enterprise ticket detractor gets its Zendesk task ticket and never a CRM escalation', async () => {
    await withRules({ leadershipOwnerId: '005VP' }, async () => {
      const account = await fx.account(crm, { externalId: '001ENT', owner: '005CSM', tier: 'Enterprise', arr: '900000.00' });
      const contact = await fx.contact(crm, account, { role: 'decision_maker' });
      const [{ id: helpdesk }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, status) VALUES ('zendesk', 'zd', 'v1.x.y.z', 'active') RETURNING id`);
      const at = new Date(NOW - 31 * 60_000);
      const [survey] = await db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, source_connection_id, source_ref, contact_id, account_id, email, status, scheduled_at, sent_at, context)
         VALUES ('transactional', 'ticket_solved', 'ticket_solved:y:77', $1, '77', $2, $3, 'pat@customer.example', 'answered', $4, $4,
                 '{"ticketId": "77", "groupId": "360007"}') RETURNING id`,
        [helpdesk, contact, account, at],
      );
      await db.query(
        `INSERT INTO responses (survey_id, stream, trigger, contact_id, account_id, score, category, role_snapshot, first_answered_at, last_changed_at)
         VALUES ($1, 'transactional', 'ticket_solved', $2, $3, 1, 'detractor', 'decision_maker', $4, $4)`,
        [survey.id, contact, account, at],
      );
      await settler.settleDue();
      expect(await db.query(`SELECT kind, target_system FROM follow_ups`)).toEqual([{ kind: 'detractor_task_ticket', target_system: 'zendesk' }]);
      const operations = (await outbox()).map((r) => r.operation);
      expect(operations).not.toContain('crm.create_task');
      expect(operations.filter((o) => o.startsWith('helpdesk.')).sort()).toEqual(['helpdesk.create_ticket', 'helpdesk.write_back']);
    });
  });
});
