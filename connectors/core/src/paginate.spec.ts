import { paginate } from './paginate';

describe('paginate', () => {
  it('follows next until the vendor says there is no more', async () => {
    const pages: Record<string, { items: number[]; next?: string }> = {
      start: { items: [1, 2], next: 'b' },
      b: { items: [3, 4], next: 'c' },
      c: { items: [5] },
    };
    const seen: Array<string | undefined> = [];
    const items: number[] = [];
    for await (const page of paginate<number, string>(undefined, async (cursor) => {
      seen.push(cursor);
      const p = pages[cursor ?? 'start'];
      return { items: p.items, next: p.next };
    })) {
      items.push(...page.items);
    }
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toEqual([undefined, 'b', 'c']);
  });

  it('stops on a vendor that hands out the same cursor twice instead of looping forever', async () => {
    const run = async () => {
      for await (const _ of paginate<number, string>('x', async () => ({ items: [1], next: 'x' }))) void _;
    };
    await expect(run()).rejects.toThrow(/same page cursor twice/);
  });

  it('stops between pages when aborted', async () => {
    const controller = new AbortController();
    const run = async () => {
      let n = 0;
      for await (const _ of paginate<number, number>(0, async (c) => ({ items: [c ?? 0], next: (c ?? 0) + 1 }), controller.signal)) {
        if (++n === 2) controller.abort(new Error('worker stopping'));
      }
    };
    await expect(run()).rejects.toThrow('worker stopping');
  });
});
