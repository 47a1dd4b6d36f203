import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { RateLimiter, RateWindows, slotOf, VendorError } from '@connectors/core/src';
import { busiestWindow } from '@test/bench/rolling-window';
import { DatabaseProxy } from '@test/support/database-proxy';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { createDataSource } from './data-source';
import { runMigrations } from './migrate';
import { VENDOR_RATE_WINDOWS_TABLE, vendorRateWindowCounter } from './vendor-rate-windows';

/** 20 requests per rolling second: short enough for a test, the same arithmetic as HubSpot's 190 per 10 s. */
const BUDGET = { requests: 20, perMs: 1_000 };
const SLOT_MS = slotOf(BUDGET).durationMs;

/** One worker process: its own pool and its own counters, on the shared database. */
async function worker(url: string): Promise<{ db: DataSource; limiter: RateLimiter }> {
  const db = await createDataSource(url).initialize();
  const store = new RateWindows(vendorRateWindowCounter(db));
  return { db, limiter: new RateLimiter(BUDGET, { vendor: 'hubspot', name: 'burst', shared: { store, connectionKey: 'connection-1' } }) };
}

async function columns(db: DataSource, table: string) {
  return db.query(`SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name`, [table]);
}

describe('vendor rate budget shared through Postgres', () => {
  let database: TestDatabase;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await runMigrations(database.url);
  });
  afterAll(async () => {
    for (const db of opened) if (db.isInitialized) await db.destroy();
    await database.drop();
  });

  async function workers(n: number) {
    const made = await Promise.all(Array.from({ length: n }, () => worker(database.url)));
    opened.push(...made.map((w) => w.db));
    return made;
  }

  it("has the table rate-limiter-flexible would create for itself (the migration's copy)", async () => {
    const [{ db }] = await workers(1);
    await new Promise<void>((resolve, reject) => {
      new RateLimiterPostgres({ storeClient: db, storeType: 'typeorm', tableName: 'rlflx_reference', points: 1, duration: 1 }, (error?: Error) =>
        error ? reject(error) : resolve(),
      );
    });
    expect(await columns(db, VENDOR_RATE_WINDOWS_TABLE)).toEqual(await columns(db, 'rlflx_reference'));
    await db.query(`DROP TABLE rlflx_reference`);
  });

  it('keeps three processes hammering one connection within the budget in every rolling window, and spends it', async () => {
    const three = await workers(3);
    const starts: number[] = [];
    const perWorker = 20;
    const began = Date.now();
    await Promise.all(three.flatMap(({ limiter }) => Array.from({ length: perWorker }, () => limiter.schedule(async () => void starts.push(Date.now())))));
    const took = Date.now() - began;
    expect(starts).toHaveLength(3 * perWorker);
    expect(busiestWindow(starts, BUDGET.perMs)).toBeLessThanOrEqual(BUDGET.requests);
    // Spent, not hoarded: 60 calls need 59 slots; a quarter more for a busy machine's timers.
    expect(took).toBeLessThan(59 * SLOT_MS * 1.25);
    const [rows] = await three[0].db.query(`SELECT count(*)::int AS n FROM ${VENDOR_RATE_WINDOWS_TABLE} WHERE key = 'vendor:hubspot:connection-1:burst'`);
    expect(rows.n).toBe(1); // one row per connection and limit, whatever the number of processes
  });

  it('lets the others spend the whole budget once a process dies (it holds no share)', async () => {
    const [dying, ...living] = await workers(3);
    await Promise.all(Array.from({ length: 5 }, () => dying.limiter.schedule(async () => undefined)));
    await dying.db.destroy(); // the process is gone mid-run: nothing of it is left to release
    const starts: number[] = [];
    await Promise.all(living.flatMap(({ limiter }) => Array.from({ length: 20 }, () => limiter.schedule(async () => void starts.push(Date.now())))));
    expect(busiestWindow(starts, BUDGET.perMs)).toBeLessThanOrEqual(BUDGET.requests);
    const first = Math.min(...starts);
    // Every slot after the death went to the two left: 40 calls in about 40 slots.
    expect(Math.max(...starts) - first).toBeLessThan(39 * SLOT_MS * 1.25);
  });

  it('fails closed, making no call, when Postgres cannot be reached, and counts again once it is back', async () => {
    const proxy = new DatabaseProxy(new URL(database.url));
    await proxy.start();
    const through = new URL(proxy.url);
    through.pathname = new URL(database.url).pathname;
    const { db, limiter } = await worker(through.toString());
    opened.push(db);
    await limiter.schedule(async () => undefined);
    await proxy.stop();
    const call = jest.fn(async () => 'sent');
    const refused = await limiter.schedule(call).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(VendorError);
    expect(refused).toMatchObject({ kind: 'unavailable', retryable: true, details: { code: 'RATE_BUDGET_UNAVAILABLE' } });
    expect(call).not.toHaveBeenCalled();
    await proxy.start();
    expect(await limiter.schedule(call)).toBe('sent');
    await proxy.stop();
  });
});
