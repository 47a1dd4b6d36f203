import { readAhead } from './read-ahead';

/** A source whose items the test hands out by hand: item n is "page n", the last is `last`. */
function handFedSource(last: number) {
  const asked: Array<{ n: number; give(error?: Error): void }> = [];
  const waiters: Array<() => void> = [];
  let signal: AbortSignal | undefined;
  let closed = false;
  async function* read(given: AbortSignal): AsyncGenerator<string> {
    signal = given;
    try {
      for (let n = 0; n <= last; n++) {
        yield await new Promise<string>((resolve, reject) => {
          asked.push({ n, give: (error) => (error ? reject(error) : resolve(`page ${n}`)) });
          waiters.splice(0).forEach((wake) => wake());
        });
      }
    } finally {
      closed = true;
    }
  }
  /** Resolves once `count` items have been asked for. */
  const askedFor = (count: number) =>
    new Promise<void>(function check(resolve) {
      if (asked.length >= count) resolve();
      else waiters.push(() => check(resolve));
    });
  return { asked, read, askedFor, signal: () => signal, closed: () => closed };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('readAhead', () => {
  it('reads the next item while the caller works on this one, never more than one ahead, in order', async () => {
    const source = handFedSource(3);
    const seen: string[] = [];
    const askedWhileHolding: number[] = [];
    const reading = (async () => {
      for await (const item of readAhead(source.read)) {
        await turn(); // the caller at work (a database write)
        askedWhileHolding.push(source.asked.length);
        seen.push(item);
      }
    })();
    for (let n = 0; n <= 3; n++) {
      await source.askedFor(n + 1);
      source.asked[n].give();
    }
    await reading;
    expect(seen).toEqual(['page 0', 'page 1', 'page 2', 'page 3']);
    // Holding item n the source had been asked for items 0..n+1; past the last there is nothing to ask.
    expect(askedWhileHolding).toEqual([2, 3, 4, 4]);
    expect(source.signal()?.aborted).toBe(false);
  });

  it('reads up to `depth` items ahead while the caller is held up on one, and no further', async () => {
    const source = handFedSource(9);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const reading = (async () => {
      for await (const item of readAhead(source.read, undefined, { depth: 3 })) {
        if (seen.push(item) === 1) await held; // a slow write of the first page
      }
    })();
    for (let n = 0; n <= 3; n++) {
      await source.askedFor(n + 1);
      source.asked[n].give();
    }
    await turn();
    await turn();
    // Holding page 0, pages 1 to 3 were read; page 4 waits until the caller moves on.
    expect(seen).toEqual(['page 0']);
    expect(source.asked).toHaveLength(4);
    release();
    for (let n = 4; n <= 9; n++) {
      await source.askedFor(n + 1);
      source.asked[n].give();
    }
    await reading;
    expect(seen).toEqual(Array.from({ length: 10 }, (_, n) => `page ${n}`));
  });

  it('throws the failure of the item read ahead when the caller reaches it, after the items before it', async () => {
    const source = handFedSource(5);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const item of readAhead(source.read)) seen.push(item);
    })();
    await source.askedFor(1);
    source.asked[0].give();
    await source.askedFor(2);
    source.asked[1].give(new Error('the vendor answered 502'));
    await expect(reading).rejects.toThrow('the vendor answered 502');
    expect(seen).toEqual(['page 0']);
  });

  it('abandons the item in flight when the caller fails on its item: aborted, its failure swallowed, the source closed', async () => {
    const source = handFedSource(5);
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', note);
    try {
      const reading = (async () => {
        for await (const item of readAhead(source.read)) throw new Error(`writing ${item} failed`);
      })();
      await source.askedFor(1);
      source.asked[0].give();
      // The caller does not wait for the item read ahead.
      await expect(reading).rejects.toThrow('writing page 0 failed');
      expect(source.asked).toHaveLength(2);
      expect(source.signal()?.aborted).toBe(true);
      source.asked[1].give(new Error('late failure'));
      await turn();
      await turn();
    } finally {
      process.off('unhandledRejection', note);
    }
    expect(unhandled).toEqual([]);
    expect(source.closed()).toBe(true);
  });

  it("stops at once on the caller's abort, even while the item in flight never answers", async () => {
    const source = handFedSource(5);
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const item of readAhead(source.read, controller.signal)) {
        seen.push(item);
        controller.abort(new Error('worker stopping'));
      }
    })();
    await source.askedFor(1);
    source.asked[0].give();
    await expect(reading).rejects.toThrow('worker stopping');
    expect(seen).toEqual(['page 0']);
    expect(source.signal()?.aborted).toBe(true);
  });
});
