import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { ConnectorBuilder } from '@libs/app/src/connections/connector-builder';
import { CrmSyncService } from '@libs/app/src/sync/crm-sync.service';
import { CRM_CONNECTORS } from '@connectors/core/registry';
import { CLOCK, Clock } from '@libs/config/src';
import { quarterlyWave } from '@libs/nps/src';
import { CrmFixtures } from './support/crm-fixtures';
import { ScriptedCrmData, scriptedCrmFactory } from './support/scripted-crm';
import { startTestService, TestService } from './support/service';

const NOW = new Date('2026-10-30T08:00:00Z'); // Friday; November (wave 1 of Q4) starts on Sunday

function idInWave(wave: number): string {
  for (;;) {
    const id = randomUUID();
    if (quarterlyWave(id) === wave) return id;
  }
}

/** Rows in every table a plan could write, so "writes nothing" is checked everywhere. */
async function rowCounts(db: DataSource): Promise<Record<string, number>> {
  const [row] = await db.query(
    `SELECT (SELECT count(*) FROM surveys)::int AS surveys, (SELECT count(*) FROM surveys WHERE status = 'cancelled')::int AS cancelled,
            (SELECT count(*) FROM pgboss.job)::int AS jobs, (SELECT max(updated_at) FROM surveys)::text AS last_update`,
  );
  return row;
}

describe('plan preview, plan now, and the first plan after the first full sync (rules §4)', () => {
  let service: TestService;
  let db: DataSource;
  let fx: CrmFixtures;
  let clock: Clock;
  let auth: { Authorization: string };
  const crm = new ScriptedCrmData();

  beforeAll(async () => {
    CRM_CONNECTORS.scripted = scriptedCrmFactory(crm);
    service = await startTestService({ api: true, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    fx = new CrmFixtures(db);
    clock = service.app.get(CLOCK);
    clock.now = () => NOW;
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
  });
  afterAll(async () => {
    await service.close();
    delete CRM_CONNECTORS.scripted;
  });

  it('answers 400 for days outside 1–90, and 401 without an admin key', async () => {
    for (const days of ['0', '91', 'abc', '1.5']) {
      const res = await request(service.url).get(`/api/plan/preview?days=${days}`).set(auth);
      expect([res.status, res.body.message]).toEqual([400, ['days: must be a whole number from 1 to 90']]);
    }
    expect((await request(service.url).get('/api/plan/preview')).status).toBe(401);
    expect((await request(service.url).post('/api/plan/run')).status).toBe(401);
  });

  it('previews who is surveyed on which day and why, and who is skipped and why, writing nothing; the plan then does the same', async () => {
    const conn = await fx.connection('crm');
    const renewing = await fx.account(conn, { name: 'Renews Soon', renewalDate: '2027-01-13' }); // 75 days ahead
    const dm = await fx.contact(conn, renewing, { id: idInWave(2), email: 'dm@renews.example', role: 'decision_maker' }); // December's wave: not in November's
    const quiet = await fx.account(conn, { name: 'Quiet Co', renewalDate: null });
    const wave1 = Array.from({ length: 6 }, () => idInWave(1)).sort();
    for (const [i, id] of wave1.entries()) await fx.contact(conn, quiet, { id, email: `w${i}@quiet.example`, unsubscribed: i === 5 });
    const pending = await fx.account(conn, { name: 'Pending Ltd', renewalDate: null });
    const ticketOnly = await fx.contact(conn, pending, { id: idInWave(0), email: 'ticket@pending.example' });
    await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, account_id, email, status, scheduled_at)
       VALUES ('transactional', 'ticket_solved', 'ticket_solved:x:1', $1, $2, 'ticket@pending.example', 'scheduled', '2026-11-02T09:00:00Z')`,
      [ticketOnly, pending],
    );

    const before = await rowCounts(db);
    const res = await request(service.url).get('/api/plan/preview?days=30').set(auth);
    expect(res.status).toBe(200);
    expect(await rowCounts(db)).toEqual(before);

    const preview = res.body;
    expect(preview).toMatchObject({ days: 30, timeZone: 'UTC', live: false, from: NOW.toISOString() });
    const pre = preview.surveys.find((s: { trigger: string }) => s.trigger === 'pre_renewal');
    expect(pre).toEqual({
      day: '2026-10-30',
      scheduledAt: '2026-10-30T09:00:00.000Z',
      trigger: 'pre_renewal',
      stream: 'relational',
      contactId: dm,
      email: 'dm@renews.example',
      accountId: renewing,
      accountName: 'Renews Soon',
      why: 'renews 2027-01-13 (75 days ahead)',
      alreadyScheduled: false,
    });
    expect(preview.surveys).toContainEqual(
      expect.objectContaining({ trigger: 'ticket_solved', email: 'ticket@pending.example', day: '2026-11-02', alreadyScheduled: true, accountName: 'Pending Ltd' }),
    );
    // November's wave of 5 reachable contacts, spread over its 21 business days: days 0, 4, 8, 12, 16.
    const quarterly = preview.surveys.filter((s: { trigger: string; accountId: string }) => s.trigger === 'quarterly' && s.accountId === quiet);
    expect(quarterly.map((s: { contactId: string; day: string }) => [s.contactId, s.day])).toEqual([
      [wave1[0], '2026-11-02'],
      [wave1[1], '2026-11-06'],
      [wave1[2], '2026-11-12'],
      [wave1[3], '2026-11-18'],
      [wave1[4], '2026-11-24'],
    ]);
    expect(quarterly[0].why).toBe('wave 1 of 2026-Q4, business day 1 of 21 (2026-11-02)');
    expect(preview.skipped).toContainEqual(expect.objectContaining({ contactId: wave1[5], reason: 'opted_out', accountName: 'Quiet Co', day: '2026-10-30' }));
    expect(preview.perReason.opted_out).toBe(1);
    expect(preview.perDay['2026-11-02']).toBe(2); // the ticket survey and the wave's first
    expect(Object.values(preview.perDay as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(preview.surveys.length);

    // Plan now does today's part of what the preview showed: the same people, the same times.
    clock.now = () => new Date('2026-10-31T00:00:00Z'); // the daily slot the preview's second run stands for
    const first = await request(service.url).post('/api/plan/run').set(auth);
    expect(first.status).toBe(200);
    clock.now = () => NOW;
    const rows: Array<{ contact_id: string; trigger: string; status: string; skip_reason: string | null; scheduled_at: Date }> = await db.query(
      `SELECT contact_id, trigger, status, skip_reason, scheduled_at FROM surveys WHERE trigger <> 'ticket_solved'`,
    );
    const planned = rows
      .filter((r) => r.status === 'scheduled')
      .map((r) => [r.contact_id, r.trigger, r.scheduled_at.toISOString()])
      .sort();
    const previewed = preview.surveys
      .filter((s: { alreadyScheduled: boolean }) => !s.alreadyScheduled)
      .map((s: { contactId: string; trigger: string; scheduledAt: string }) => [s.contactId, s.trigger, s.scheduledAt])
      .sort();
    expect(planned.filter((p) => p[1] === 'quarterly')).toEqual(previewed.filter((p: string[]) => p[1] === 'quarterly'));
    expect(rows.find((r) => r.contact_id === wave1[5])).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });
    expect(first.body.scheduled).toBe(planned.length);
  });

  it('runs the first plan of a new CRM connection right after its first full sync, and only then', async () => {
    await db.query(`TRUNCATE surveys, contacts, accounts, connections CASCADE`);
    crm.put('owners', { externalId: 'U1', name: 'Casey CSM', email: 'casey@vendor.example', active: true });
    crm.put('accounts', {
      externalId: 'A1',
      name: 'Renewing Inc',
      arr: '50000.00',
      arrCurrency: 'USD',
      renewalDate: '2027-01-13',
      tier: 'Mid-Market',
      customerSince: '2024-05-01',
      ownerExternalId: 'U1',
      usageScore: null,
    });
    crm.put('contacts', { externalId: 'C1', accountExternalId: 'A1', email: 'dm@renewing.example', firstName: 'Dana', lastName: 'M' });
    crm.put('contact_roles', { externalId: 'R1', accountExternalId: 'A1', contactExternalId: 'C1', roles: ['Decision Maker'] });
    const encrypted = service.app.get(ConnectorBuilder).encrypt({ token: 't' });
    const [{ id: connectionId }] = await db.query(`INSERT INTO connections (kind, name, credentials_encrypted, settings) VALUES ('scripted', 'new crm', $1, '{}') RETURNING id`, [
      encrypted,
    ]);
    const planJobs = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'surveys.plan-relational' AND data->>'connectionId' = $1`, [connectionId]))[0].n;

    expect((await service.app.get(CrmSyncService).run({ connectionId, trigger: 'manual' }))?.status).toBe('succeeded');
    expect(await planJobs()).toBe(1);
    // The worker takes the job: the decision maker's pre_renewal survey appears without a daily slot passing.
    const deadline = Date.now() + 20_000;
    let surveys: Array<{ email: string; trigger: string; status: string }> = [];
    while (!surveys.length && Date.now() < deadline) {
      surveys = await db.query(`SELECT email, trigger, status FROM surveys WHERE trigger = 'pre_renewal'`);
      if (!surveys.length) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(surveys).toEqual([{ email: 'dm@renewing.example', trigger: 'pre_renewal', status: 'scheduled' }]);

    expect((await service.app.get(CrmSyncService).run({ connectionId, trigger: 'manual', full: true }))?.status).toBe('succeeded');
    expect(await planJobs()).toBe(1);
  });
});
