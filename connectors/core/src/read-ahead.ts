import { untilAborted } from './until-aborted';

export interface ReadAheadOptions {
  /** How many items may be read ahead of the one the caller works on. Default 1. */
  depth?: number;
}

/**
 * Reads ahead of the caller: while the caller works on an item (writes a page to the database,
 * say), the next ones are already being read, their vendor calls waiting for the rate budget and
 * going out meanwhile, so a caller that spends time between items does not leave a budget shared
 * with other workers idle. At most `depth` items ahead (a deeper read absorbs the odd slow write
 * at the cost of holding more pages); the items come in order, each once. It reads ahead of
 * whatever a read yields, such as a page and the association reads that complete it.
 *
 * `read` gets a signal that aborts when the caller's does or when the caller stops early (a
 * `break`, or an error while it works on an item). The items in flight are then abandoned: the
 * caller does not wait for them, their failures are swallowed, and the source is closed once
 * they settle. A caller that stops early may still spend the calls of the items read ahead. A
 * failure of an item the caller reaches is thrown there, after every item before it was handed over.
 */
export async function* readAhead<T>(read: (signal: AbortSignal) => AsyncIterable<T>, signal?: AbortSignal, options: ReadAheadOptions = {}): AsyncGenerator<T> {
  const depth = Math.max(1, options.depth ?? 1);
  const reading = new AbortController();
  const forward = () => reading.abort(signal!.reason);
  if (signal?.aborted) throw signal.reason;
  signal?.addEventListener('abort', forward, { once: true });
  const items = read(reading.signal)[Symbol.asyncIterator]();
  // Steps asked of the source and not yet handed over, oldest first (an async generator answers them in order).
  const ahead: Array<Promise<IteratorResult<T>>> = [];
  const askFor = (count: number) => {
    while (ahead.length < count) {
      const step = items.next();
      // Reached (and its failure thrown) in its turn, unless the caller stops first.
      step.catch(() => undefined);
      ahead.push(step);
    }
  };
  let finished = false;
  try {
    // The item the caller waits for plus `depth` more.
    askFor(1 + depth);
    for (;;) {
      const step: IteratorResult<T> = await untilAborted(ahead[0], reading.signal);
      ahead.shift();
      if (step.done) {
        finished = true;
        return;
      }
      askFor(depth);
      yield step.value;
    }
  } finally {
    signal?.removeEventListener('abort', forward);
    if (!finished && ahead.length > 0) {
      if (!reading.signal.aborted) reading.abort(new Error('the caller stopped reading'));
      // The source's own finally blocks run once the abandoned items settle.
      const close = () => items.return?.(undefined)?.catch(() => undefined);
      void Promise.allSettled(ahead).then(close);
    }
  }
}
