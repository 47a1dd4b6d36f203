import request from 'supertest';
import { DataSource } from 'typeorm';
import { AdminKeyService } from '@libs/app/src/admin-keys/admin-key.service';
import { SurveyDispatcher } from '@libs/app/src/delivery/survey-dispatcher';
import { CLOCK, Clock } from '@libs/config/src';
import { CrmFixtures } from './support/crm-fixtures';
import { COMPLETE_PROFILE, goLive } from './support/program';
import { startTestService, TestService } from './support/service';

const MONDAY_0930 = new Date('2026-11-02T09:30:00Z'); // inside the default window (Mon–Fri 09:00–11:00 UTC)
const HOUR = 3600_000;

describe('going live, the send window and the daily cap (rules §4)', () => {
  let service: TestService;
  let db: DataSource;
  let fx: CrmFixtures;
  let clock: Clock;
  let dispatcher: SurveyDispatcher;
  let auth: { Authorization: string };

  beforeAll(async () => {
    service = await startTestService({ api: true, worker: true, sandbox: true });
    db = service.app.get(DataSource);
    fx = new CrmFixtures(db);
    clock = service.app.get(CLOCK);
    dispatcher = service.app.get(SurveyDispatcher);
    auth = { Authorization: `Bearer ${(await service.app.get(AdminKeyService).create('t', 't')).key}` };
  });
  afterAll(() => service.close());

  beforeEach(async () => {
    clock.now = () => MONDAY_0930;
    service.mail!.clear();
    await db.query(`TRUNCATE surveys, responses, opt_outs, contacts, accounts, connections CASCADE`);
    await db.query(`UPDATE program_settings SET settings = '{}'`);
  });

  const program = () => request(service.url).put('/api/program').set(auth);
  const statuses = async () =>
    (await db.query(`SELECT status, count(*)::int AS n FROM surveys WHERE trigger = 'pre_renewal' GROUP BY status ORDER BY status`)) as Array<{ status: string; n: number }>;

  it('a new program is a draft: GET shows what is missing, going live is refused with the list', async () => {
    const fresh = await request(service.url).get('/api/program').set(auth);
    expect(fresh.status).toBe(200);
    const missing = ['companyName', 'productName', 'senderName', 'senderEmail', 'rules.leadershipOwnerId'];
    expect(fresh.body).toMatchObject({ live: false, missing, profile: { companyName: null, productName: null, senderName: null, senderEmail: null } });

    const refused = await program().send({ live: true });
    expect(refused.status).toBe(400);
    expect(refused.body.missing).toEqual(missing);
    expect(refused.body.message).toEqual([expect.stringContaining('companyName, productName, senderName, senderEmail, rules.leadershipOwnerId')]);

    const partly = await program().send({ companyName: 'Acme Inc', productName: 'Beacon', rules: { enterpriseEscalation: false }, live: true });
    expect([partly.status, partly.body.missing]).toEqual([400, ['senderName', 'senderEmail']]);
    expect((await request(service.url).get('/api/program').set(auth)).body).toMatchObject({ live: false, profile: { companyName: null } }); // nothing stored

    const live = await program().send({ ...COMPLETE_PROFILE, rules: { leadershipOwnerId: '005VP' }, live: true });
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ live: true, missing: [], profile: COMPLETE_PROFILE, rules: { leadershipOwnerId: '005VP', enterpriseEscalation: true } });
    // A set item can be changed but not removed (issue 13): null is refused naming the item.
    const unset = await program().send({ senderEmail: null });
    expect([unset.status, unset.body.message]).toEqual([400, [expect.stringMatching(/^senderEmail: /)]]);
    expect((await program().send({ live: false })).body).toMatchObject({ live: false, missing: [] });
  });

  it('refuses bad window and cap rules with 400 naming the rule', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ timeZone: 'Mars/Olympus_Mons' }, /^rules\.timeZone: /],
      [{ sendWindowStart: '11:00', sendWindowEnd: '09:00' }, /^rules\.sendWindowEnd: must be later/],
      [{ sendWindowStart: '10:00', sendWindowEnd: '10:00' }, /^rules\.sendWindowEnd: must be later/],
      [{ sendDays: [] }, /^rules\.sendDays: /],
      [{ sendDays: ['monday', 'someday'] }, /^rules\.sendDays: "someday"/],
      [{ dailySendCap: 0 }, /^rules\.dailySendCap: must be a whole number from 1 to 100000$/],
      [{ dailySendCap: 12.5 }, /^rules\.dailySendCap: must be a whole number from 1 to 100000$/],
      [{ dailySendCap: '500' }, /^rules\.dailySendCap: must be a whole number from 1 to 100000$/],
    ];
    for (const [rules, message] of cases) {
      const res = await program().send({ rules });
      expect([res.status, res.body.message]).toEqual([400, [expect.stringMatching(message)]]);
    }
    const ok = await program().send({
      rules: { sendDays: ['Monday', 'wednesday'], sendWindowStart: '08:30', sendWindowEnd: '24:00', timeZone: 'Europe/Berlin', dailySendCap: 120 },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.rules).toMatchObject({ sendDays: ['Monday', 'wednesday'], sendWindowEnd: '24:00', timeZone: 'Europe/Berlin', dailySendCap: 120 });
  });

  it('a draft plans but sends nothing; going live sends; pausing stops sending again', async () => {
    const conn = await fx.connection('crm');
    for (let i = 0; i < 3; i++) {
      const account = await fx.account(conn, { renewalDate: '2027-01-16' }); // 75 days ahead
      await fx.contact(conn, account, { email: `dm${i}@customer.example`, role: 'decision_maker' });
    }
    const planned = await request(service.url).post('/api/plan/run').set(auth);
    expect([planned.status, planned.body]).toEqual([200, expect.objectContaining({ scheduled: 3, cancelled: 0 })]);

    expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, skipped: 0, failed: 0 });
    clock.now = () => new Date(MONDAY_0930.getTime() + HOUR);
    await dispatcher.dispatchDue();
    expect(service.mail!.messages()).toEqual([]);
    expect(await statuses()).toEqual([{ status: 'scheduled', n: 3 }]);

    await goLive(service.url, auth);
    clock.now = () => new Date(MONDAY_0930.getTime() + 24 * HOUR); // Tuesday 09:30
    expect(await dispatcher.dispatchDue()).toEqual({ sent: 3, skipped: 0, failed: 0 });
    await service.mail!.waitFor((m) => m.to.some((t) => t.address === 'dm2@customer.example'), 5000);
    expect(
      service
        .mail!.messages()
        .map((m) => m.to[0].address)
        .sort(),
    ).toEqual(['dm0@customer.example', 'dm1@customer.example', 'dm2@customer.example']);

    expect((await program().send({ live: false })).status).toBe(200);
    const account = await fx.account(conn, { renewalDate: '2027-01-20' });
    await fx.contact(conn, account, { email: 'later@customer.example', role: 'decision_maker' });
    await request(service.url).post('/api/plan/run').set(auth);
    expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(await statuses()).toEqual([
      { status: 'scheduled', n: 1 },
      { status: 'sent', n: 3 },
    ]);
  });

  it('sends 2,000 due surveys at most 500 a local day, only inside the window, oldest due first', async () => {
    const zone = 'America/New_York';
    await goLive(service.url, auth, {
      enterpriseEscalation: false,
      timeZone: zone,
      sendDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      sendWindowStart: '09:00',
      sendWindowEnd: '11:00',
      dailySendCap: 500,
    });
    const due = new Date('2026-11-01T12:00:00Z');
    await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, email, recipient_name, status, scheduled_at, send_deadline_at, source_ref)
       SELECT 'relational', 'quarterly', 'cap:' || g, 'p' || g || '@cap.example', 'Pat', 'scheduled', $1::timestamptz - g * interval '1 second',
              '2026-12-01T04:59:59.999Z', '2026-Q4'
       FROM generate_series(1, 2000) g`,
      [due],
    );
    // Step through Monday 00:00 to Saturday 00:00 in New York, 20 minutes at a time.
    const caughtPerDay: number[] = [];
    for (let t = Date.parse('2026-11-02T05:00:00Z'); t < Date.parse('2026-11-07T05:00:00Z'); t += 20 * 60_000) {
      if ((t - Date.parse('2026-11-02T05:00:00Z')) % (24 * HOUR) === 0) {
        if (t > Date.parse('2026-11-02T05:00:00Z')) caughtPerDay.push(service.mail!.messages().length);
        service.mail!.clear();
      }
      clock.now = () => new Date(t);
      while ((await dispatcher.dispatchDue()).sent > 0);
    }
    caughtPerDay.push(service.mail!.messages().length);

    const perDay: Array<{ day: string; n: number; first: string; last: string; oldest: string; newest: string }> = await db.query(
      `SELECT to_char(sent_at AT TIME ZONE $1, 'YYYY-MM-DD') AS day, count(*)::int AS n,
              to_char(min(sent_at AT TIME ZONE $1), 'HH24:MI') AS first, to_char(max(sent_at AT TIME ZONE $1), 'HH24:MI') AS last,
              min(scheduled_at)::text AS oldest, max(scheduled_at)::text AS newest
       FROM surveys WHERE status = 'sent' GROUP BY 1 ORDER BY 1`,
      [zone],
    );
    expect(perDay.map((d) => [d.day, d.n])).toEqual([
      ['2026-11-02', 500],
      ['2026-11-03', 500],
      ['2026-11-04', 500],
      ['2026-11-05', 500],
    ]);
    expect(caughtPerDay).toEqual([500, 500, 500, 500, 0]);
    for (const d of perDay) expect(d.first >= '09:00' && d.last < '11:00').toBe(true);
    // Oldest due first: each day's surveys were all due before the next day's.
    for (let i = 1; i < perDay.length; i++) expect(perDay[i - 1].newest < perDay[i].oldest).toBe(true);
    const [outside] = await db.query(
      `SELECT count(*)::int AS n FROM surveys WHERE status = 'sent'
         AND ((sent_at AT TIME ZONE $1)::time < '09:00' OR (sent_at AT TIME ZONE $1)::time >= '11:00' OR extract(isodow FROM sent_at AT TIME ZONE $1) > 5)`,
      [zone],
    );
    expect(outside.n).toBe(0);
  }, 180_000);

  it('skips a relational survey `capacity` once its month is over unsent, when the cap kept it out', async () => {
    await goLive(service.url, auth, { enterpriseEscalation: false, dailySendCap: 1 });
    await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, email, status, scheduled_at, send_deadline_at, source_ref)
       VALUES ('relational', 'quarterly', 'q:a', 'a@cap.example', 'scheduled', '2026-11-30T09:00:00Z', '2026-11-30T23:59:59.999Z', '2026-Q4'),
              ('relational', 'quarterly', 'q:b', 'b@cap.example', 'scheduled', '2026-11-30T09:00:01Z', '2026-11-30T23:59:59.999Z', '2026-Q4')`,
    );
    clock.now = () => new Date('2026-11-30T09:30:00Z');
    while ((await dispatcher.dispatchDue()).sent > 0);
    clock.now = () => new Date('2026-12-01T09:30:00Z');
    await dispatcher.dispatchDue();
    expect(await db.query(`SELECT email, status, skip_reason FROM surveys ORDER BY email`)).toEqual([
      { email: 'a@cap.example', status: 'sent', skip_reason: null },
      { email: 'b@cap.example', status: 'skipped', skip_reason: 'capacity' },
    ]);
  });
});
