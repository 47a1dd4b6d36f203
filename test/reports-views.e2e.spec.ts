import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { CLOCK, Clock } from '@libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { ReportDataset, loadReportDataset, NOW } from './support/report-dataset';
import { startTestService, TestService } from './support/service';

describe('the account view and the person view', () => {
  let service: TestService;
  let auth: Record<string, string>;
  let data: ReportDataset;
  let db: DataSource;
  const get = (path: string) => request(service.url).get(path).set(auth);

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: false, sandbox: false });
    const clock: Clock = service.app.get(CLOCK);
    clock.now = () => new Date(NOW);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('reports', 'test')).key}` };
    db = service.app.get(DataSource);
    data = await loadReportDataset(db, new CrmFixtures(db));
  });
  afterAll(() => service.close());

  it('shows an account: people and roles, responses, NPS per quarter per stream, health, follow-ups', async () => {
    const [detractor] = await db.query(`SELECT id FROM responses WHERE contact_id = $1 AND score = 3`, [data.contacts.eu1]);
    await db.query(
      `INSERT INTO follow_ups (response_id, kind, owner_kind, due_at, priority, subject, body, target_system, status)
       VALUES ($1, 'detractor_call', 'account_owner', '2026-05-04T10:00:00Z', 'high', 'Call', 'Call them', 'crm', 'open')`,
      [detractor.id],
    );
    const res = await get(`/api/reports/accounts/${data.accounts.a1}`);
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({ id: data.accounts.a1, tier: 'enterprise', arr: '200000.00', active: true, removed: false });
    expect(res.body.health).toMatchObject({ quadrant: 'champion', sentiment: 'promoter' });
    expect(res.body.people.map((p: any) => [p.id, p.role])).toEqual([
      [data.contacts.dm1, 'decision_maker'],
      ...[data.contacts.eu1, data.contacts.eu2].sort().map((id) => [id, 'end_user']),
    ]);
    expect(res.body.responses).toHaveLength(7); // six relational (one still open) and one ticket
    expect(res.body.responses[0]).toMatchObject({ score: 0, settledAt: null, stream: 'relational' });
    const rel = res.body.npsByQuarter.relational;
    expect(rel.map((p: any) => [p.period, p.summary.n, p.summary.promoters, p.summary.detractors])).toEqual([
      ['2026-Q1', 2, 1, 1],
      ['2026-Q2', 3, 1, 2],
    ]);
    expect(rel[1].change.significant).toBe(false);
    expect(res.body.npsByQuarter.transactional.map((p: any) => [p.period, p.summary.n])).toEqual([['2026-Q1', 1]]);
    expect(res.body.followUps).toEqual([expect.objectContaining({ responseId: detractor.id, kind: 'detractor_call', status: 'open', priority: 'high' })]);
  });

  it('shows a person: answers, surveys sent and skipped with reasons, the next planned survey, unsubscribe state', async () => {
    const dm1 = data.contacts.dm1;
    for (const [status, reason, at] of [
      ['scheduled', null, '2026-09-01T09:00:00Z'],
      ['scheduled', null, '2026-07-01T09:00:00Z'],
      ['skipped', 'suppressed', '2026-03-01T09:00:00Z'],
    ]) {
      await db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, email, status, skip_reason, scheduled_at, contact_id)
         VALUES ('relational', 'quarterly', gen_random_uuid()::text, 'dm1@customer.example', $1, $2, $3, $4)`,
        [status, reason, at, dm1],
      );
    }
    const res = await get(`/api/reports/people/${dm1}`);
    expect(res.status).toBe(200);
    expect(res.body.person).toMatchObject({ id: dm1, role: 'decision_maker', accountId: data.accounts.a1, unsubscribedAt: null });
    expect(res.body.unsubscribed).toBe(false);
    expect(res.body.answers.map((a: any) => [a.score, a.trigger])).toEqual([
      [0, 'quarterly'],
      [9, 'pre_renewal'],
      [10, 'quarterly'],
    ]);
    expect(res.body.sent).toHaveLength(3);
    expect(res.body.skipped.map((s: any) => [s.status, s.skipReason])).toEqual([['skipped', 'suppressed']]);
    expect(res.body.nextPlanned).toMatchObject({ status: 'scheduled', scheduledAt: '2026-07-01T09:00:00.000Z' });

    const [eu2] = await db.query(`SELECT email FROM contacts WHERE id = $1`, [data.contacts.eu2]);
    await db.query(`INSERT INTO opt_outs (email, opted_out_at) VALUES (lower($1), '2026-05-04T08:00:00Z')`, [eu2.email]);
    const unsubscribed = await get(`/api/reports/people/${data.contacts.eu2}`);
    expect([unsubscribed.body.unsubscribed, unsubscribed.body.person.unsubscribedAt, unsubscribed.body.nextPlanned]).toEqual([true, '2026-05-04T08:00:00.000Z', null]);
  });

  it('answers 404 for an unknown id and 400 for one that is not a UUID', async () => {
    expect((await get('/api/reports/accounts/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/api/reports/people/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await get('/api/reports/people/42');
    expect([bad.status, bad.body.message]).toEqual([400, ['id: must be a UUID']]);
  });
});
