import { DeliveryBatcher, DeliveryNotStorable, DeliveryStore, PendingDelivery } from './delivery-batcher';

/** Recorded as Postgres would with ON CONFLICT DO NOTHING: new by delivery id and by content key. */
function recordLikePostgres(seen: Set<string>, rows: PendingDelivery[]) {
  return rows.filter((r) => !seen.has(`id:${r.deliveryId}`) && !seen.has(`content:${r.contentKey}`) && (seen.add(`id:${r.deliveryId}`), seen.add(`content:${r.contentKey}`), true));
}

/** A store that answers each INSERT when the test says so, to observe batching. */
function gatedStore() {
  const calls: Array<{ ids: string[]; answer: (error?: Error) => void }> = [];
  const seen = new Set<string>();
  const store: DeliveryStore = {
    recordNew: (rows) =>
      new Promise((resolve, reject) => {
        calls.push({
          ids: rows.map((r) => r.deliveryId),
          answer: (error) => (error ? reject(error) : resolve(recordLikePostgres(seen, rows))),
        });
      }),
  };
  return { store, calls };
}

/**
 * A store that fails the whole statement, as Postgres does, when any row holds a NUL (22P05
 * untranslatable_character) or when the database is down (a connection error, no SQLSTATE).
 */
function postgresLikeStore(downFromStatement = Infinity) {
  const statements: string[][] = [];
  const seen = new Set<string>();
  const store: DeliveryStore = {
    recordNew: async (rows) => {
      statements.push(rows.map((r) => r.deliveryId));
      if (statements.length > downFromStatement) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      if (rows.some((r) => JSON.stringify(r.payload).includes('\\u0000'))) {
        throw Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05', severity: 'ERROR', detail: '\\u0000 cannot be converted to text.' });
      }
      return recordLikePostgres(seen, rows);
    },
  };
  return { store, statements, stored: () => [...seen].filter((k) => k.startsWith('id:')).map((k) => k.slice(3)) };
}

const delivery = (id: string, content = `content-${id}`, subject = 'Export fails'): PendingDelivery => ({
  connectionId: 'c',
  source: 'zendesk',
  deliveryId: id,
  contentKey: content,
  eventType: 'ticket.solved',
  payload: { subject },
});
const tick = () => new Promise((resolve) => setImmediate(resolve));
const outcome = (p: Promise<boolean>) =>
  p.then(
    (isNew) => (isNew ? 'new' : 'repeat'),
    (error: Error) => error,
  );

describe('DeliveryBatcher', () => {
  it('writes a lone call at once, and gathers the calls that arrive during a write into the next INSERT', async () => {
    const { store, calls } = gatedStore();
    const batcher = new DeliveryBatcher(store, 1);
    const first = batcher.record(delivery('a'));
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([['a']]);

    const rest = ['b', 'c', 'b', 'd'].map((id) => batcher.record(delivery(id)));
    await tick();
    expect(calls).toHaveLength(1); // still waiting on the first commit
    calls[0].answer();
    await expect(first).resolves.toBe(true);
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([['a'], ['b', 'c', 'b', 'd']]);
    calls[1].answer();
    // the second 'b' in the same batch is the repeat
    await expect(Promise.all(rest)).resolves.toEqual([true, true, false, true]);
  });

  it('fails a whole batch the database could not take (an outage), without retrying row by row; later calls are still written', async () => {
    const { store, calls } = gatedStore();
    const batcher = new DeliveryBatcher(store, 1);
    const failing = [batcher.record(delivery('x')), batcher.record(delivery('w'))];
    await tick();
    const later = batcher.record(delivery('y'));
    // A socket error: its code looks like nothing Postgres answered.
    calls[0].answer(Object.assign(new Error('Connection terminated unexpectedly'), { code: 'EPIPE' }));
    await expect(failing[0]).rejects.toThrow('Connection terminated unexpectedly');
    await expect(failing[1]).rejects.toThrow('Connection terminated unexpectedly');
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([['x', 'w'], ['y']]);
    calls[1].answer();
    await expect(later).resolves.toBe(true);
  });

  it('a batch with one row Postgres refuses rejects only that row; the others are recorded', async () => {
    const { store, statements, stored } = postgresLikeStore();
    const batcher = new DeliveryBatcher(store);
    const ids = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8'];
    const answers = ids.map((id) => outcome(batcher.record(delivery(id, `content-${id}`, id === 't6' ? 'Export\u0000fails' : 'Export fails'))));
    const results = await Promise.all(answers);

    expect(statements[0]).toEqual(ids); // they did share one INSERT
    expect(results.filter((r) => r === 'new')).toHaveLength(7);
    const refused = results[5];
    expect(refused).toBeInstanceOf(DeliveryNotStorable);
    expect(refused).toMatchObject({ sqlState: '22P05', message: 'unsupported Unicode escape sequence' });
    expect(stored().sort()).toEqual(ids.filter((id) => id !== 't6'));
    // Halving, not one statement per row: 1 + 2 + 2 + 2 statements for 8 rows.
    expect(statements.length).toBeLessThanOrEqual(7);
  });

  it('keeps repeats right while it isolates a refused row: a copy in the second half is still a repeat', async () => {
    const { store, stored } = postgresLikeStore();
    const batcher = new DeliveryBatcher(store);
    const answers = [
      batcher.record(delivery('a')),
      batcher.record(delivery('bad', 'content-bad', '\u0000')),
      batcher.record(delivery('b')),
      batcher.record(delivery('a')), // same invocation id again
      batcher.record(delivery('a-replayed', 'content-b')), // b's signed content under another invocation id
    ].map(outcome);
    const [a, bad, b, aAgain, replay] = await Promise.all(answers);
    expect([a, b, aAgain, replay]).toEqual(['new', 'new', 'repeat', 'repeat']);
    expect(bad).toBeInstanceOf(DeliveryNotStorable);
    expect(stored().sort()).toEqual(['a', 'b']);
  });

  it('a replay of signed content under another delivery id is a repeat, in the same batch and later', async () => {
    const { store } = postgresLikeStore();
    const batcher = new DeliveryBatcher(store);
    await expect(Promise.all([batcher.record(delivery('inv-1', 'same')), batcher.record(delivery('inv-2', 'same'))])).resolves.toEqual([true, false]);
    await expect(batcher.record(delivery('inv-3', 'same'))).resolves.toBe(false);
    await expect(batcher.record(delivery('inv-3', 'other'))).resolves.toBe(true);
  });

  it('an outage met while isolating a refused row fails the rows still unwritten with the outage, not as refused', async () => {
    // The first statement fails on the NUL; the database is down by the time the halves are written.
    const { store, statements } = postgresLikeStore(1);
    const batcher = new DeliveryBatcher(store);
    const [bad, ok] = await Promise.all([outcome(batcher.record(delivery('bad', 'content-bad', '\u0000'))), outcome(batcher.record(delivery('ok')))]);
    expect(statements).toEqual([['bad', 'ok'], ['bad'], ['ok']]);
    expect(bad).not.toBeInstanceOf(DeliveryNotStorable);
    expect((bad as Error).message).toMatch(/ECONNREFUSED/);
    expect((ok as Error).message).toMatch(/ECONNREFUSED/);
  });
});
