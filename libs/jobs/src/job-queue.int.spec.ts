import PgBoss from 'pg-boss';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { JobQueue } from './job-queue';
import { QUEUES, QueuePolicy } from './queues';

const FAST_RETRY: QueuePolicy = { policy: 'standard', retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 30 };

function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      try {
        const value = await check();
        if (value !== undefined) return resolve(value);
        if (Date.now() > deadline) return reject(new Error('timed out waiting'));
        setTimeout(tick, 100);
      } catch (error) {
        reject(error);
      }
    };
    void tick();
  });
}

describe('JobQueue on pg-boss', () => {
  let db: TestDatabase;
  let boss: PgBoss;
  let queue: JobQueue;

  beforeAll(async () => {
    db = await createTestDatabase();
    boss = new PgBoss({ connectionString: db.url, supervise: true, schedule: false });
    await boss.start();
    queue = new JobQueue(boss);
  });
  afterAll(async () => {
    await boss.stop({ graceful: false, wait: true });
    await db.drop();
  });

  it('delivers an enqueued job to a worker and retries a failing attempt', async () => {
    await queue.declare('test.flaky', FAST_RETRY);
    const attempts: number[] = [];
    await queue.work<{ n: number }>(
      'test.flaky',
      async (job) => {
        attempts.push(job.data.n);
        if (attempts.length === 1) throw new Error('vendor answered 503');
      },
      { pollingIntervalSeconds: 0.5 },
    );
    await queue.enqueue('test.flaky', { n: 42 });
    await waitFor(async () => (attempts.length >= 2 ? true : undefined));
    expect(attempts).toEqual([42, 42]);
  });

  it('keeps a job that is enqueued in a rolled-back transaction out of the queue, and one in a committed one in', async () => {
    await queue.declare('test.tx', FAST_RETRY);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const inTx = (sql: string, values: unknown[]) => client.query(sql, values as unknown[]).then((r) => r.rows);
    try {
      await client.query('BEGIN');
      await queue.enqueue('test.tx', { keep: false }, { transaction: inTx });
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await queue.enqueue('test.tx', { keep: true }, { transaction: inTx });
      await client.query('COMMIT');
      const { rows } = await client.query(`SELECT data FROM pgboss.job WHERE name = 'test.tx'`);
      expect(rows.map((r) => r.data)).toEqual([{ keep: true }]);
    } finally {
      await client.end();
    }
  });

  it('refuses a queue nobody declared', async () => {
    await expect(queue.enqueue('test.nowhere', {})).rejects.toThrow(/not declared/);
  });

  it('with the stately policy, holds one queued job per key at a time', async () => {
    await queue.declare('test.single', { ...FAST_RETRY, policy: 'stately' });
    const first = await queue.enqueue('test.single', {}, { singletonKey: 'connection-1' });
    const second = await queue.enqueue('test.single', {}, { singletonKey: 'connection-1' });
    const other = await queue.enqueue('test.single', {}, { singletonKey: 'connection-2' });
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
    expect(other).toEqual(expect.any(String));
  });

  it('reports healthy while its pool answers', async () => {
    expect(await queue.isHealthy()).toBe(true);
  });

  describe('jobs held by a dead worker', () => {
    const HELD: QueuePolicy = { policy: 'standard', retryLimit: 3, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 3 };
    const state = async (id: string) => (await boss.getDb().executeSql(`SELECT state FROM pgboss.job WHERE id = $1`, [id])).rows[0]?.state as string;
    /** As if the job had been active for an hour: what a long sync looks like to maintenance. */
    const startedAnHourAgo = (id: string) => boss.getDb().executeSql(`UPDATE pgboss.job SET started_on = started_on - interval '1 hour' WHERE id = $1`, [id]);
    const expiresLater = async (id: string) =>
      (await boss.getDb().executeSql(`SELECT started_on + expire_in > now() AS later FROM pgboss.job WHERE id = $1`, [id])).rows[0]?.later === true ? true : undefined;

    it('a job its live worker holds is renewed, so maintenance leaves it running however long it takes', async () => {
      await queue.declare('test.long', HELD);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let running: string | undefined;
      await queue.work(
        'test.long',
        async (job) => {
          running = job.id;
          await gate;
        },
        { pollingIntervalSeconds: 0.5 },
      );
      const id = (await queue.enqueue('test.long', {}))!;
      await waitFor(async () => (running === id ? true : undefined));
      await startedAnHourAgo(id);
      await waitFor(() => expiresLater(id)); // the next renewal moved the deadline past now
      await boss.maintain();
      expect(await state(id)).toBe('active');
      release();
      await waitFor(async () => ((await state(id)) === 'completed' ? true : undefined));
    });

    it('a job nobody renews (its worker was killed) is failed back to retry once its short expiry passes', async () => {
      await queue.declare('test.orphan', HELD);
      const id = (await queue.enqueue('test.orphan', {}))!;
      const [fetched] = (await boss.fetch('test.orphan'))!; // a worker takes it, then dies
      expect(fetched.id).toBe(id);
      const { rows } = await boss.getDb().executeSql(`SELECT extract(epoch FROM expire_in)::int AS seconds FROM pgboss.job WHERE id = $1`, [id]);
      expect(rows[0].seconds).toBe(3);
      await startedAnHourAgo(id);
      await boss.maintain();
      expect(await state(id)).toBe('retry');
    });

    it('an existing queue is brought to the declared expiry (a queue created with hours gets minutes)', async () => {
      await queue.declare('test.upgraded', { ...HELD, expireInSeconds: 4 * 60 * 60 });
      await queue.declare('test.upgraded', HELD);
      const { rows } = await boss.getDb().executeSql(`SELECT expire_seconds FROM pgboss.queue WHERE name = 'test.upgraded'`, []);
      expect(rows[0].expire_seconds).toBe(3);
    });

    it('no queue of the service lets a dead worker hold a job for more than 10 minutes', () => {
      for (const [name, policy] of Object.entries(QUEUES)) expect([name, policy.expireInSeconds <= 600]).toEqual([name, true]);
    });
  });
});
