import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { untilAborted } from './until-aborted';

/** A full collection (the flag is set for this process, then `gc` is taken from a fresh context). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('untilAborted', () => {
  it('gives what the promise gives, and its failure', async () => {
    const signal = new AbortController().signal;
    await expect(untilAborted(Promise.resolve('page'), signal)).resolves.toBe('page');
    await expect(untilAborted(Promise.reject(new Error('vendor down')), signal)).rejects.toThrow('vendor down');
  });

  it('rejects with the reason as soon as the signal aborts, though the promise never settles', async () => {
    const reading = new AbortController();
    const waiting = untilAborted(new Promise(() => undefined), reading.signal);
    reading.abort(new Error('the caller stopped reading'));
    await expect(waiting).rejects.toThrow('the caller stopped reading');
    await expect(untilAborted(Promise.resolve('late'), reading.signal)).rejects.toThrow('the caller stopped reading');
  });

  it('does not keep what it gave reachable through the signal (pages of a long listing are let go)', async () => {
    const reading = new AbortController();
    const given: Array<WeakRef<object>> = [];
    for (let n = 0; n < 20; n++) {
      const page = await untilAborted(Promise.resolve({ items: new Array(1000).fill(n) }), reading.signal);
      given.push(new WeakRef(page));
    }
    // Let the settled promises' reactions run out before collecting.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    // Every page before the last (which the test's own frame may still hold).
    expect(given.slice(0, -1).filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    reading.abort();
  });
});
