import { DataSource } from 'typeorm';
import { DeliveryBatcher, PendingDelivery } from './delivery-batcher';

/** A database stand-in that answers each INSERT when the test says so, to observe batching. */
function gatedDatabase() {
  const calls: Array<{ ids: string[]; answer: (error?: Error) => void }> = [];
  const seen = new Set<string>();
  const db = {
    query: (_sql: string, params: unknown[][]) =>
      new Promise((resolve, reject) => {
        const ids = params[2] as string[];
        calls.push({
          ids,
          answer: (error) => {
            if (error) return reject(error);
            const fresh = ids.filter((id) => !seen.has(id) && (seen.add(id), true));
            resolve(fresh.map((id) => ({ source: 'zendesk', delivery_id: id })));
          },
        });
      }),
  } as unknown as DataSource;
  return { db, calls };
}

const delivery = (id: string): PendingDelivery => ({ connectionId: 'c', source: 'zendesk', deliveryId: id, eventType: 'ticket.solved', payload: {} });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('DeliveryBatcher', () => {
  it('writes a lone call at once, and gathers the calls that arrive during a write into the next INSERT', async () => {
    const { db, calls } = gatedDatabase();
    const batcher = new DeliveryBatcher(db, 1);
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

  it('rejects only the batch whose write failed; later calls are still written', async () => {
    const { db, calls } = gatedDatabase();
    const batcher = new DeliveryBatcher(db, 1);
    const failing = batcher.record(delivery('x'));
    await tick();
    const later = batcher.record(delivery('y'));
    calls[0].answer(new Error('connection reset'));
    await expect(failing).rejects.toThrow('connection reset');
    await tick();
    expect(calls[1].ids).toEqual(['y']);
    calls[1].answer();
    await expect(later).resolves.toBe(true);
  });
});
