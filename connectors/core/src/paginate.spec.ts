import { FetchedPage, paginate } from './paginate';

/** A vendor whose pages the test answers by hand: page n's cursor is n, the last is `last`. */
function handAnsweredVendor(last: number) {
  const asked: Array<{ cursor: number; signal: AbortSignal; answer(page?: Error): void }> = [];
  const waiters: Array<() => void> = [];
  const fetchPage = (cursor: number | undefined, signal: AbortSignal) =>
    new Promise<FetchedPage<string, number>>((resolve, reject) => {
      const n = cursor ?? 0;
      asked.push({
        cursor: n,
        signal,
        answer: (error) => (error ? reject(error) : resolve({ items: [`record ${n}`], next: n < last ? n + 1 : undefined })),
      });
      waiters.splice(0).forEach((wake) => wake());
    });
  /** Resolves once `count` pages have been asked for. */
  const askedFor = (count: number) =>
    new Promise<void>(function check(resolve) {
      if (asked.length >= count) resolve();
      else waiters.push(() => check(resolve));
    });
  return { asked, fetchPage, askedFor };
}

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

  it('asks for the next page only when the caller wants it', async () => {
    const vendor = handAnsweredVendor(2);
    const askedWhileHolding: number[] = [];
    const reading = (async () => {
      for await (const page of paginate<string, number>(0, vendor.fetchPage)) {
        askedWhileHolding.push(vendor.asked.length);
        void page;
      }
    })();
    for (let n = 0; n <= 2; n++) {
      await vendor.askedFor(n + 1);
      vendor.asked[n].answer();
    }
    await reading;
    expect(askedWhileHolding).toEqual([1, 2, 3]);
  });

  it('on abort, aborts the page in flight, asks for no further page and throws the reason', async () => {
    const vendor = handAnsweredVendor(5);
    const controller = new AbortController();
    const items: string[] = [];
    const reading = (async () => {
      for await (const page of paginate<string, number>(0, vendor.fetchPage, controller.signal)) items.push(...page.items);
    })();
    await vendor.askedFor(1);
    vendor.asked[0].answer();
    await vendor.askedFor(2);
    controller.abort(new Error('worker stopping'));
    // The page in flight never answers: the abort alone ends the read.
    await expect(reading).rejects.toThrow('worker stopping');
    expect(items).toEqual(['record 0']);
    expect(vendor.asked.map((a) => [a.cursor, a.signal.aborted])).toEqual([
      [0, true],
      [1, true],
    ]);
  });
});
