import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { RelationalSurveyPlanner } from '@libs/app/src/planning/relational-survey-planner';
import { CLOCK, Clock } from '@libs/config/src';
import { OutboxRepository } from '@libs/db/src/repositories/outbox.repository';
import { CrmFixtures } from './support/crm-fixtures';
import { startTestService, TestService } from './support/service';

const NOW = new Date('2026-10-05T08:00:00Z');
const DAY = 86_400_000;
const renewsIn = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString().slice(0, 10);

/** rules §4 "Removed sources": DELETE /api/connections/:id, as an admin and a report see it. */
describe('deleting a connection', () => {
  let service: TestService;
  let db: DataSource;
  let fx: CrmFixtures;
  let auth: { Authorization: string };

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    fx = new CrmFixtures(db);
    const clock: Clock = service.app.get(CLOCK);
    clock.now = () => NOW;
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
  });
  afterAll(() => service.close());

  const surveysOf = (contactIds: string[]) =>
    db.query(`SELECT contact_id, trigger, status, skip_reason FROM surveys WHERE contact_id = ANY($1::uuid[]) ORDER BY created_at`, [contactIds]) as Promise<
      Array<{ contact_id: string; trigger: string; status: string; skip_reason: string | null }>
    >;

  /** An earlier answered survey with its response and a follow-up closed in the CRM in time. */
  async function earlierResponse(connectionId: string, accountId: string, contactId: string): Promise<string> {
    const at = new Date(NOW.getTime() - 40 * DAY);
    const [survey] = await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, account_id, email, status, scheduled_at, sent_at)
       VALUES ('relational', 'quarterly', gen_random_uuid()::text, $1, $2, 'earlier@customer.example', 'answered', $3, $3) RETURNING id`,
      [contactId, accountId, at],
    );
    const [response] = await db.query(
      `INSERT INTO responses (survey_id, stream, trigger, contact_id, account_id, score, category, role_snapshot, first_answered_at, last_changed_at, settled_at)
       VALUES ($1, 'relational', 'quarterly', $2, $3, 2, 'detractor', 'decision_maker', $4, $4, $4) RETURNING id`,
      [survey.id, contactId, accountId, at],
    );
    await db.query(
      `INSERT INTO follow_ups (response_id, kind, owner_kind, owner_external_id, due_at, priority, subject, body, target_connection_id, target_system,
                               account_id, external_id, status, completed_at)
       VALUES ($1, 'detractor_call', 'account_owner', '005CSM', $2, 'high', 's', 'b', $3, 'salesforce', $4, '00T1', 'completed', $5)`,
      [response.id, new Date(at.getTime() + 2 * DAY), connectionId, accountId, new Date(at.getTime() + DAY)],
    );
    return response.id;
  }

  it('a CRM: its people get no survey, pending ones and pending writes are cancelled, credentials erased, earlier responses still reported', async () => {
    const removed = await fx.connection('salesforce');
    const kept = await fx.connection('salesforce');
    const goneAccount = await fx.account(removed, { externalId: '001GONE', renewalDate: renewsIn(75) });
    const gone = [await fx.contact(removed, goneAccount, { role: 'decision_maker' }), await fx.contact(removed, goneAccount, { role: 'decision_maker' })];
    const keptAccount = await fx.account(kept, { externalId: '001KEPT', renewalDate: renewsIn(75) });
    const stay = [await fx.contact(kept, keptAccount, { role: 'decision_maker' })];
    const responseId = await earlierResponse(removed, goneAccount, gone[0]);

    const planner = service.app.get(RelationalSurveyPlanner);
    await planner.planAll();
    expect((await surveysOf(gone)).filter((s) => s.trigger === 'pre_renewal').map((s) => s.status)).toEqual(['scheduled', 'scheduled']);

    const outbox = new OutboxRepository(db.manager);
    await outbox.enqueueFieldUpdate(removed, 'account', '001GONE', { NPS_Relational__c: -100 }, NOW);
    await outbox.enqueue({ connectionId: removed, operation: 'crm.create_task', dedupeKey: 'task:gone', payload: {} }, NOW);
    await outbox.enqueue({ connectionId: removed, operation: 'crm.create_task', dedupeKey: 'task:sent', payload: {} }, NOW);
    await db.query(`UPDATE outbox SET status = 'delivered' WHERE dedupe_key = 'task:sent'`);
    await outbox.enqueue({ connectionId: kept, operation: 'crm.create_task', dedupeKey: 'task:kept', payload: {} }, NOW);

    const closureBefore = (await request(service.url).get('/api/loop-closure').set(auth)).body.streams.relational.byCategory.detractor;
    expect(closureBefore).toMatchObject({ closed: 1 });

    const response = await request(service.url).delete(`/api/connections/${removed}`).set(auth);
    expect(response.status).toBe(204);

    // Pending surveys cancelled source_removed; nothing new at the next plan, while the other CRM's people still are surveyed.
    const cancelled = (await surveysOf(gone)).filter((s) => s.trigger === 'pre_renewal');
    expect(cancelled.map((s) => [s.status, s.skip_reason])).toEqual([
      ['cancelled', 'source_removed'],
      ['cancelled', 'source_removed'],
    ]);
    const before = (await surveysOf(gone)).length;
    await planner.planAll();
    const after = await surveysOf(gone);
    expect(after).toHaveLength(before);
    expect(after.filter((s) => s.status === 'scheduled')).toEqual([]);
    expect((await surveysOf(stay)).map((s) => [s.trigger, s.status])).toContainEqual(['pre_renewal', 'scheduled']);

    // Accounts and contacts soft-deleted; the other connection untouched.
    expect(await db.query(`SELECT count(*)::int AS n FROM contacts WHERE connection_id = $1 AND deleted_at IS NULL`, [removed])).toEqual([{ n: 0 }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM accounts WHERE connection_id = $1 AND deleted_at IS NULL`, [removed])).toEqual([{ n: 0 }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM contacts WHERE connection_id = $1 AND deleted_at IS NULL`, [kept])).toEqual([{ n: 1 }]);

    // Pending vendor writes cancelled; what was delivered stays delivered; other connections' writes go on.
    expect(await db.query(`SELECT dedupe_key, status, last_error FROM outbox WHERE connection_id = $1 ORDER BY id`, [removed])).toEqual([
      { dedupe_key: expect.stringMatching(/^update:/), status: 'cancelled', last_error: 'source_removed' },
      { dedupe_key: 'task:gone', status: 'cancelled', last_error: 'source_removed' },
      { dedupe_key: 'task:sent', status: 'delivered', last_error: null },
    ]);
    expect(await db.query(`SELECT status FROM outbox WHERE connection_id = $1`, [kept])).toEqual([{ status: 'pending' }]);

    // Credentials erased, in the same commit as the rest.
    const [connection] = await db.query(`SELECT credentials_encrypted, deleted_at FROM connections WHERE id = $1`, [removed]);
    expect(connection.credentials_encrypted).toBe('');
    // A token refresh that finishes after the removal (a sync was mid-call) writes nothing back.
    await service.app.get(ConnectorBuilder).saveCredentials(removed, { accessToken: 'refreshed' });
    expect((await db.query(`SELECT credentials_encrypted FROM connections WHERE id = $1`, [removed]))[0].credentials_encrypted).toBe('');
    expect(connection.deleted_at).not.toBeNull();
    const [other] = await db.query(`SELECT credentials_encrypted FROM connections WHERE id = $1`, [kept]);
    expect(other.credentials_encrypted).toBe('v1.x.y.z');

    // Earlier responses stay, and the loop-closure report still counts them.
    expect(await db.query(`SELECT id FROM responses WHERE id = $1`, [responseId])).toEqual([{ id: responseId }]);
    const closureAfter = (await request(service.url).get('/api/loop-closure').set(auth)).body.streams.relational.byCategory.detractor;
    expect(closureAfter).toEqual(closureBefore);

    // Gone for the API; a second delete finds nothing.
    expect((await request(service.url).get(`/api/connections/${removed}`).set(auth)).status).toBe(404);
    expect((await request(service.url).delete(`/api/connections/${removed}`).set(auth)).status).toBe(404);
  });

  it('a helpdesk: its pending ticket surveys and pending writes are cancelled source_removed', async () => {
    const [{ id: helpdesk }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, status) VALUES ('zendesk', 'zd', 'v1.x.y.z', 'active') RETURNING id`);
    const [{ id: otherDesk }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, status) VALUES ('zendesk', 'zd 2', 'v1.x.y.z', 'active') RETURNING id`);
    const ticketSurvey = (connectionId: string, ticket: string, status: string) =>
      db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, source_connection_id, source_ref, email, status, scheduled_at, sent_at)
         VALUES ('transactional', 'ticket_solved', $1, $2, $3, 'req@customer.example', $4, $5, CASE WHEN $4 = 'sent' THEN $5::timestamptz END)`,
        [`ticket_solved:${connectionId}:${ticket}`, connectionId, ticket, status, new Date(NOW.getTime() + DAY)],
      );
    await ticketSurvey(helpdesk, '1', 'scheduled');
    await ticketSurvey(helpdesk, '2', 'sent');
    await ticketSurvey(otherDesk, '3', 'scheduled');
    const outbox = new OutboxRepository(db.manager);
    await outbox.enqueue({ connectionId: helpdesk, operation: 'helpdesk.write_back', dedupeKey: 'write-back:zd', payload: {} }, NOW);

    expect((await request(service.url).delete(`/api/connections/${helpdesk}`).set(auth)).status).toBe(204);

    expect(await db.query(`SELECT source_ref, status, skip_reason FROM surveys WHERE trigger = 'ticket_solved' ORDER BY source_ref`)).toEqual([
      { source_ref: '1', status: 'cancelled', skip_reason: 'source_removed' },
      { source_ref: '2', status: 'sent', skip_reason: null },
      { source_ref: '3', status: 'scheduled', skip_reason: null },
    ]);
    expect(await db.query(`SELECT status, last_error FROM outbox WHERE connection_id = $1`, [helpdesk])).toEqual([{ status: 'cancelled', last_error: 'source_removed' }]);
    expect(await db.query(`SELECT credentials_encrypted FROM connections WHERE id = $1`, [helpdesk])).toEqual([{ credentials_encrypted: '' }]);
  });
});
