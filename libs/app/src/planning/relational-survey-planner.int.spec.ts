import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@libs/config/src';
import { quarterlyWave } from '@libs/nps/src';
import { CrmFixtures } from '@test/support/crm-fixtures';
import { startTestService, TestService } from '@test/support/service';
import { RelationalSurveyPlanner } from './relational-survey-planner';

const NOW = new Date('2026-10-05T08:00:00Z'); // Q4 2026: wave months Oct (0), Nov (1), Dec (2)

function daysAhead(days: number): string {
  return new Date(Date.UTC(2026, 9, 5 + days)).toISOString().slice(0, 10);
}

/** A contact id in the given quarterly wave (hash(contact id) mod 3). */
function idInWave(wave: number): string {
  for (;;) {
    const id = randomUUID();
    if (quarterlyWave(id) === wave) return id;
  }
}

describe('relational survey planner (rules §4)', () => {
  let service: TestService;
  let db: DataSource;
  let fx: CrmFixtures;
  let planner: RelationalSurveyPlanner;
  let clock: Clock;
  let conn: string;

  beforeAll(async () => {
    service = await startTestService({ api: false, worker: true, sandbox: false });
    db = service.app.get(DataSource);
    fx = new CrmFixtures(db);
    planner = service.app.get(RelationalSurveyPlanner);
    clock = service.app.get(CLOCK);
  });
  afterAll(() => service.close());

  beforeEach(async () => {
    await db.query(`TRUNCATE surveys, responses, opt_outs, contacts, accounts, connections CASCADE`);
    conn = await fx.connection();
    clock.now = () => NOW;
    await db.query(`UPDATE program_settings SET settings = '{}'`);
  });

  const setRules = (rules: Record<string, unknown>) => db.query(`UPDATE program_settings SET settings = $1`, [{ rules }]);

  const preRenewal = () => fx.surveys(`trigger = 'pre_renewal'`);

  it('surveys accounts renewing 60 to 90 calendar days ahead, not 59 or 91', async () => {
    for (const days of [59, 60, 90, 91]) {
      const account = await fx.account(conn, { name: `renews in ${days}`, renewalDate: daysAhead(days) });
      await fx.contact(conn, account, { email: `dm${days}@customer.example`, role: 'decision_maker' });
    }
    await planner.planAll();
    const rows = await preRenewal();
    expect(rows.map((r) => [r.email, r.status, r.source_ref])).toEqual([
      ['dm60@customer.example', 'scheduled', daysAhead(60)],
      ['dm90@customer.example', 'scheduled', daysAhead(90)],
    ]);
    // Monday 08:00 UTC: they go at the first send window, 09:00 the same day (default Mon–Fri 09:00–11:00 UTC).
    expect(rows.every((r) => (r.scheduled_at as Date).toISOString() === '2026-10-05T09:00:00.000Z')).toBe(true);
  });

  it('asks decision makers, else admins, else up to 5 contacts', async () => {
    const withDm = await fx.account(conn, { renewalDate: daysAhead(75) });
    await fx.contact(conn, withDm, { email: 'dm@a.example', role: 'decision_maker' });
    await fx.contact(conn, withDm, { email: 'admin@a.example', role: 'admin' });
    await fx.contact(conn, withDm, { email: 'user@a.example', role: 'end_user' });
    const withAdmin = await fx.account(conn, { renewalDate: daysAhead(75) });
    await fx.contact(conn, withAdmin, { email: 'admin@b.example', role: 'admin' });
    await fx.contact(conn, withAdmin, { email: 'user@b.example', role: 'end_user' });
    const onlyOthers = await fx.account(conn, { renewalDate: daysAhead(75) });
    for (let i = 1; i <= 7; i++) await fx.contact(conn, onlyOthers, { email: `other${i}@c.example`, role: i <= 2 ? 'end_user' : 'other' });

    await planner.planAll();
    const byAccount = (id: string) =>
      preRenewal().then((rows) =>
        rows
          .filter((r) => r.account_id === id)
          .map((r) => r.email)
          .sort(),
      );
    expect(await byAccount(withDm)).toEqual(['dm@a.example']);
    expect(await byAccount(withAdmin)).toEqual(['admin@b.example']);
    const others = await byAccount(onlyOthers);
    expect(others).toHaveLength(5);
    expect(others).toEqual(expect.arrayContaining(['other1@c.example', 'other2@c.example'])); // end users first
  });

  it('never surveys an unsubscribed contact; the role fallback moves past them', async () => {
    const account = await fx.account(conn, { renewalDate: daysAhead(70) });
    await fx.contact(conn, account, { email: 'dm-out@d.example', role: 'decision_maker', unsubscribed: true });
    await fx.contact(conn, account, { email: 'admin@d.example', role: 'admin' });
    await db.query(`INSERT INTO opt_outs (email) VALUES ('admin2@d.example')`);
    await fx.contact(conn, account, { email: 'ADMIN2@d.example', role: 'admin' });
    await planner.planAll();
    expect((await preRenewal()).map((r) => r.email)).toEqual(['admin@d.example']);
  });

  it('applies the 30-day suppression: a survey 29 days ago suppresses, 30 days ago does not', async () => {
    const account = await fx.account(conn, { renewalDate: daysAhead(80) });
    const recent = await fx.contact(conn, account, { email: 'recent@e.example', role: 'decision_maker' });
    const older = await fx.contact(conn, account, { email: 'older@e.example', role: 'decision_maker' });
    for (const [contact, email, days] of [
      [recent, 'recent@e.example', 29],
      [older, 'older@e.example', 30],
    ] as const) {
      const sentAt = new Date(NOW.getTime() - days * 86_400_000);
      await db.query(
        `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, email, status, scheduled_at, sent_at)
         VALUES ('transactional', 'ticket_solved', $1, $2, $3, 'sent', $4, $4)`,
        [`ticket_solved:x:${email}`, contact, email, sentAt],
      );
    }
    await planner.planAll();
    expect((await preRenewal()).map((r) => [r.email, r.status, r.skip_reason])).toEqual(
      expect.arrayContaining([
        ['recent@e.example', 'skipped', 'suppressed'],
        ['older@e.example', 'scheduled', null],
      ]),
    );
  });

  it('a pre_renewal survey cancels the contact’s pending quarterly survey', async () => {
    const account = await fx.account(conn, { renewalDate: daysAhead(65) });
    const contact = await fx.contact(conn, account, { email: 'dm@f.example', role: 'decision_maker' });
    await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, account_id, email, status, scheduled_at)
       VALUES ('relational', 'quarterly', 'quarterly:2026Q4:pending', $1, $2, 'dm@f.example', 'scheduled', $3)`,
      [contact, account, new Date(NOW.getTime() + 10 * 86_400_000)],
    );
    await planner.planAll();
    const rows = await fx.surveys(`email = 'dm@f.example'`);
    expect(rows.map((r) => [r.trigger, r.status, r.skip_reason])).toEqual(
      expect.arrayContaining([
        ['quarterly', 'cancelled', 'superseded_by_pre_renewal'],
        ['pre_renewal', 'scheduled', null],
      ]),
    );
  });

  it('surveys each account once per renewal date, however often the plan runs', async () => {
    const account = await fx.account(conn, { renewalDate: daysAhead(61) });
    await fx.contact(conn, account, { email: 'dm@g.example', role: 'decision_maker' });
    await planner.planAll();
    clock.now = () => new Date(NOW.getTime() + 86_400_000);
    await planner.planAll();
    expect(await preRenewal()).toHaveLength(1);
  });

  it('puts each contact in wave hash(id) mod 3 and surveys it in its wave month only', async () => {
    const account = await fx.account(conn, { renewalDate: null });
    const waves = [0, 1, 2].map((wave) => idInWave(wave));
    for (const [wave, id] of waves.entries()) await fx.contact(conn, account, { id, email: `wave${wave}@h.example` });

    await planner.planAll(); // 5 October: wave 0's month
    expect((await fx.surveys(`trigger = 'quarterly'`)).map((r) => [r.email, r.status, r.source_ref])).toEqual([['wave0@h.example', 'scheduled', '2026-Q4']]);

    clock.now = () => new Date('2026-10-31T08:00:00Z'); // wave 1 starts tomorrow: a wave of one goes on November's first business day
    await planner.planAll();
    const wave1 = await fx.surveys(`trigger = 'quarterly' AND email = 'wave1@h.example'`);
    expect(wave1.map((r) => [r.status, (r.scheduled_at as Date).toISOString()])).toEqual([['scheduled', '2026-11-02T09:00:00.000Z']]);

    clock.now = () => new Date('2026-12-10T08:00:00Z');
    await planner.planAll();
    expect((await fx.surveys(`trigger = 'quarterly'`)).map((r) => r.email)).toEqual(['wave0@h.example', 'wave1@h.example', 'wave2@h.example']);
  });

  it('excludes nobody for open tickets or a low past score (no score theater)', async () => {
    const account = await fx.account(conn, { renewalDate: daysAhead(70) });
    const contact = await fx.contact(conn, account, { email: 'unhappy@i.example', role: 'decision_maker' });
    const [old] = await db.query(
      `INSERT INTO surveys (stream, trigger, idempotency_key, contact_id, account_id, email, status, scheduled_at, sent_at)
       VALUES ('relational', 'quarterly', 'quarterly:2025-Q4:x', $1, $2, 'unhappy@i.example', 'answered', $3, $3) RETURNING id`,
      [contact, account, new Date('2025-11-01T00:00:00Z')],
    );
    await db.query(`INSERT INTO responses (survey_id, stream, trigger, score, category) VALUES ($1, 'relational', 'quarterly', 0, 'detractor')`, [old.id]);
    await planner.planAll();
    expect((await preRenewal()).map((r) => [r.email, r.status])).toEqual([['unhappy@i.example', 'scheduled']]);
  });
  it('spreads a quarterly wave over the business days of its month: survey i of n (by contact id) on day ⌊i·k/n⌋', async () => {
    const account = await fx.account(conn, { renewalDate: null });
    const ids = Array.from({ length: 42 }, () => idInWave(1)).sort();
    for (const [i, id] of ids.entries()) await fx.contact(conn, account, { id, email: `w${i}@spread.example` });
    const businessDays: string[] = [];
    for (let d = 1; d <= 30; d++) {
      const date = new Date(Date.UTC(2026, 10, d));
      if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) businessDays.push(date.toISOString().slice(0, 10));
    }
    expect(businessDays).toHaveLength(21);

    clock.now = () => new Date('2026-10-31T08:00:00Z'); // November's wave is planned the day before
    expect(await planner.planAll()).toMatchObject({ scheduled: 42, skipped: 0 });
    const rows: Array<{ contact_id: string; scheduled_at: Date; send_deadline_at: Date }> = await db.query(
      `SELECT contact_id, scheduled_at, send_deadline_at FROM surveys WHERE trigger = 'quarterly' ORDER BY contact_id`,
    );
    expect(rows.map((r) => r.contact_id)).toEqual(ids);
    expect(rows.map((r) => r.scheduled_at.toISOString())).toEqual(ids.map((_, i) => `${businessDays[Math.floor((i * 21) / 42)]}T09:00:00.000Z`));
    expect(new Set(rows.map((r) => r.send_deadline_at.toISOString()))).toEqual(new Set(['2026-11-30T23:59:59.999Z']));
  });

  it('skips a quarterly survey `capacity` when its month has no send window left', async () => {
    const account = await fx.account(conn, { renewalDate: null });
    await fx.contact(conn, account, { id: idInWave(0), email: 'late@october.example' });
    clock.now = () => new Date('2026-10-30T11:00:00Z'); // Friday, the window just closed; October has no business day left
    await planner.planAll();
    expect((await fx.surveys(`trigger = 'quarterly'`)).map((r) => [r.email, r.status, r.skip_reason])).toEqual([['late@october.example', 'skipped', 'capacity']]);
  });

  it('sends pre_renewal at the first window in the program time zone, and skips `capacity` when that is after the renewal window', async () => {
    await setRules({ sendDays: ['sunday'], timeZone: 'Asia/Tokyo' });
    const soon = await fx.account(conn, { renewalDate: daysAhead(60) });
    await fx.contact(conn, soon, { email: 'dm@soon.example', role: 'decision_maker' });
    const later = await fx.account(conn, { renewalDate: daysAhead(70) });
    await fx.contact(conn, later, { email: 'dm@later.example', role: 'decision_maker' });
    await planner.planAll(); // Monday: the next window is Sunday 11 October 09:00 in Tokyo (00:00 UTC), 6 days on
    const rows = await preRenewal();
    expect(rows.map((r) => [r.email, r.status, r.skip_reason, r.status === 'scheduled' ? (r.scheduled_at as Date).toISOString() : null]).sort()).toEqual([
      ['dm@later.example', 'scheduled', null, '2026-10-11T00:00:00.000Z'],
      ['dm@soon.example', 'skipped', 'capacity', null],
    ]);
  });
});
