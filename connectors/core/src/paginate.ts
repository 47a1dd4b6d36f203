import { untilAborted } from './until-aborted';

/**
 * The one paging loop: follows `next` until the vendor says there is no more. Connectors give
 * a `fetchPage` (so tests need no network) and never write their own `while (true)`.
 *
 * The next page is asked for when the caller wants it (`readAhead` reads ahead of a caller that
 * works between pages). An abort, or the caller stopping, starts no further page and aborts the
 * signal handed to `fetchPage`.
 */
export interface FetchedPage<T, C> {
  items: T[];
  /** undefined when this was the last page. */
  next: C | undefined;
  total?: number;
}

/**
 * Fetches one page. `signal` aborts when the caller's does or when the caller stops reading
 * (a page in flight nobody will consume): pass it on to the request so it is not spent.
 */
export type FetchPage<T, C> = (cursor: C | undefined, signal: AbortSignal) => Promise<FetchedPage<T, C>>;

const abortError = (signal: AbortSignal) => signal.reason ?? new Error('aborted');

export async function* paginate<T, C>(first: C | undefined, fetchPage: FetchPage<T, C>, signal?: AbortSignal): AsyncGenerator<FetchedPage<T, C>> {
  if (signal?.aborted) throw abortError(signal);
  // Aborted by the caller's signal, or by us when the caller stops with a page in flight.
  const reading = new AbortController();
  const forward = () => reading.abort(abortError(signal!));
  signal?.addEventListener('abort', forward, { once: true });
  const startFetch = (cursor: C | undefined): Promise<FetchedPage<T, C>> => {
    const fetched = (async () => fetchPage(cursor, reading.signal))();
    // Handled here so a page given up on an abort cannot fail the process later; the caller
    // still gets the error of the page it waits for.
    fetched.catch(() => undefined);
    return fetched;
  };
  try {
    let cursor = first;
    for (let page = 0; ; page++) {
      if (reading.signal.aborted) throw reading.signal.reason;
      const fetched = await untilAborted(startFetch(cursor), reading.signal);
      if (fetched.next === undefined) {
        yield fetched;
        return;
      }
      const repeated = page > 0 && fetched.next === cursor;
      if (!repeated) cursor = fetched.next;
      yield fetched;
      if (repeated) throw new Error('the vendor returned the same page cursor twice');
    }
  } finally {
    signal?.removeEventListener('abort', forward);
    if (!reading.signal.aborted) reading.abort(new Error('the caller stopped reading pages'));
  }
}
