import { DataSource, EntityManager } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { createDataSource } from '../data-source';
import { runMigrations } from '../migrate';
import { NewSurvey, SurveysRepository } from './surveys.repository';

const NOW = new Date('2026-11-10T12:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

/** The planners' and the dispatcher's hot statements on surveys, on real Postgres. */
describe('SurveysRepository on Postgres', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
    db = await createDataSource(database.url).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await database.drop();
  });
  beforeEach(() => db.query(`TRUNCATE surveys CASCADE`));

  const relational = (key: string, overrides: Partial<NewSurvey> = {}): NewSurvey => ({
    stream: 'relational',
    trigger: 'quarterly',
    idempotencyKey: key,
    sourceConnectionId: null,
    sourceRef: '2026-Q4',
    contactId: null,
    accountId: null,
    email: 'pat@customer.example',
    recipientName: 'Pat',
    context: {},
    status: 'scheduled',
    skipReason: null,
    scheduledAt: NOW,
    sendDeadlineAt: null,
    ...overrides,
  });
  const ticket = (key: string): NewSurvey => relational(key, { stream: 'transactional', trigger: 'ticket_solved', sourceRef: '4711', context: { ticketId: '4711' } });

  const rows = (): Promise<Array<{ id: string; idempotency_key: string; status: string; skip_reason: string | null }>> =>
    db.query(`SELECT id, idempotency_key, status, skip_reason FROM surveys ORDER BY idempotency_key`);

  describe('the planners’ insert', () => {
    it('creates a relational and a ticket survey once: planning again returns null and adds nothing', async () => {
      const surveys = new SurveysRepository(db.manager);
      const first = await surveys.insert(relational('quarterly:2026-Q4:c1'));
      const firstTicket = await surveys.insert(ticket('ticket_solved:h1:4711'));
      expect(first).toEqual(expect.any(String));
      expect(firstTicket).toEqual(expect.any(String));

      // A second plan run (a second worker, a retried webhook) with other values: the first row stands.
      expect(await surveys.insert(relational('quarterly:2026-Q4:c1', { status: 'skipped', skipReason: 'suppressed' }))).toBeNull();
      expect(await surveys.insert(ticket('ticket_solved:h1:4711'))).toBeNull();
      expect(await rows()).toEqual([
        { id: first, idempotency_key: 'quarterly:2026-Q4:c1', status: 'scheduled', skip_reason: null },
        { id: firstTicket, idempotency_key: 'ticket_solved:h1:4711', status: 'scheduled', skip_reason: null },
      ]);
    });

    it('lets exactly one of four concurrent plan runs create the survey', async () => {
      const ids = await Promise.all(
        [1, 2, 3, 4].map(() => db.transaction((tx) => new SurveysRepository(tx).insert(relational('pre_renewal:a1:2027-02-01:c1', { trigger: 'pre_renewal' })))),
      );
      expect(ids.filter((id) => id !== null)).toHaveLength(1);
      expect(await rows()).toHaveLength(1);
    });

    it('finds the survey by key, cancels it on a reopen, and gives it back once on the next solve', async () => {
      const surveys = new SurveysRepository(db.manager);
      const id = await surveys.insert(ticket('ticket_solved:h1:4711'));
      expect(await surveys.cancelPending({ key: 'ticket_solved:h1:4711' }, 'ticket_reopened')).toBe(1);
      expect(await surveys.cancelPending({ key: 'ticket_solved:h1:4711' }, 'ticket_reopened')).toBe(0);
      expect(await surveys.findByKey('ticket_solved:h1:4711')).toEqual({ id, status: 'cancelled', skipReason: 'ticket_reopened' });
      await surveys.reschedule(id!, minutes(60), minutes(120), 'scheduled', null);
      await surveys.reschedule(id!, minutes(90), minutes(120), 'skipped', 'too_late'); // no longer cancelled: nothing changes
      expect(await rows()).toEqual([{ id, idempotency_key: 'ticket_solved:h1:4711', status: 'scheduled', skip_reason: null }]);
    });
  });

  describe("the dispatcher's claim", () => {
    /** `n` surveys due, a minute apart, the last one a minute ago; oldest first. */
    async function due(n: number): Promise<string[]> {
      const surveys = new SurveysRepository(db.manager);
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push((await surveys.insert(relational(`quarterly:2026-Q4:due${i}`, { scheduledAt: minutes(-n + i) })))!);
      return ids;
    }

    it('claims the oldest due first, only what is due and not waiting for a retry, and marks them sending', async () => {
      const [oldest, second, third] = await due(3);
      const surveys = new SurveysRepository(db.manager);
      await surveys.insert(relational('quarterly:2026-Q4:later', { scheduledAt: minutes(5) }));
      await surveys.releaseAfterSendFailure(third, 'scheduled', 1, minutes(1), 'SMTP 451');

      const claimed = await surveys.claimDue(NOW, 10);
      expect(claimed.map((s) => s.id).sort()).toEqual([oldest, second].sort());
      expect(await surveys.countSentOrSending(minutes(-60), minutes(60))).toBe(2);
      expect(await surveys.claimDue(NOW, 10)).toEqual([]);
      expect((await surveys.claimDue(minutes(1), 10)).map((s) => s.id)).toEqual([third]);
    });

    it('never gives one survey to two workers: a claim skips the rows another transaction holds', async () => {
      const ids = await due(6);
      const worker = db.createQueryRunner();
      await worker.connect();
      await worker.startTransaction();
      try {
        const first = await new SurveysRepository(worker.manager).claimDue(NOW, 2);
        // The first worker has not committed: its rows stay locked, the second takes the others.
        const second = await db.transaction((tx) => new SurveysRepository(tx).claimDue(NOW, 10));
        expect(first.map((s) => s.id).sort()).toEqual(ids.slice(0, 2).sort());
        expect(second.map((s) => s.id).sort()).toEqual(ids.slice(2).sort());
        await worker.commitTransaction();
      } finally {
        await worker.release();
      }
      expect((await db.query(`SELECT DISTINCT status FROM surveys`)).map((r: { status: string }) => r.status)).toEqual(['sending']);
    });

    it('splits the due surveys between many concurrent claims without a survey claimed twice', async () => {
      const ids = await due(20);
      const claims = await Promise.all([1, 2, 3, 4, 5].map(() => db.transaction((tx) => new SurveysRepository(tx).claimDue(NOW, 3))));
      const claimed = claims.flat().map((s) => s.id);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.every((id) => ids.includes(id))).toBe(true);
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM surveys WHERE status = 'sending'`);
      expect(n).toBe(claimed.length);
    });

    it('takes a claim older than the stale limit as sent, and a recent one not', async () => {
      const surveys = new SurveysRepository(db.manager);
      const stale = (await surveys.insert(relational('quarterly:2026-Q4:stale', { scheduledAt: minutes(-60) })))!;
      const recent = (await surveys.insert(relational('quarterly:2026-Q4:recent', { scheduledAt: minutes(-5) })))!;
      expect((await surveys.claimDue(minutes(-30), 10)).map((s) => s.id)).toEqual([stale]); // a worker that died 30 minutes ago
      expect((await surveys.claimDue(NOW, 10)).map((s) => s.id)).toEqual([recent]);
      await surveys.assumeStaleClaimsSent(NOW, 30, 10);
      expect(await surveys.sendOutcome(stale)).toEqual({ status: 'sent', skipReason: null, lastError: 'worker stopped while sending; assumed sent to avoid a second email' });
      expect(await surveys.sendOutcome(recent)).toMatchObject({ status: 'sending' });
    });
  });

  it('serialises planning for one recipient until the transaction ends', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = db.transaction(async (tx: EntityManager) => {
      await new SurveysRepository(tx).lockRecipient('Pat@Customer.example');
      order.push('first locked');
      await held;
      order.push('first done');
    });
    while (!order.length) await new Promise((resolve) => setImmediate(resolve));
    const second = db.transaction(async (tx) => {
      await new SurveysRepository(tx).lockRecipient('pat@customer.example');
      order.push('second locked');
    });
    // The same address in other letters: the second planner waits on the first one's lock.
    while (
      (
        await db.query(`SELECT count(*)::int AS n FROM pg_locks
         WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)
      )[0].n === 0
    ) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second locked']);
  });
});
