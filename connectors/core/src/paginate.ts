/**
 * The one paging loop: follows `next` until the vendor says there is no more. Connectors give
 * a `fetchPage` (so tests need no network) and never write their own `while (true)`.
 *
 * While the caller works on a page (maps it, reads what it needs alongside, writes it), the
 * next page is already being fetched: one sync stream can then keep the vendor budget busy
 * instead of leaving it idle during every database write. Never more than one page ahead, so
 * memory stays that of two pages; the next page is asked for only once the vendor has named
 * it, so a finished list costs no extra call. A prefetched page that failed throws when the
 * caller reaches it (pages before it are still handed over). An abort, or the caller stopping,
 * starts no further page and aborts the signal handed to `fetchPage`.
 */
export interface FetchedPage<T, C> {
  items: T[];
  /** undefined when this was the last page. */
  next: C | undefined;
  total?: number;
}

/**
 * Fetches one page. `signal` aborts when the caller's does or when the caller stops reading
 * (a prefetched page nobody will consume): pass it on to the request so it is not spent.
 */
export type FetchPage<T, C> = (cursor: C | undefined, signal: AbortSignal) => Promise<FetchedPage<T, C>>;

const abortError = (signal: AbortSignal) => signal.reason ?? new Error('aborted');

export async function* paginate<T, C>(first: C | undefined, fetchPage: FetchPage<T, C>, signal?: AbortSignal): AsyncGenerator<FetchedPage<T, C>> {
  if (signal?.aborted) throw abortError(signal);
  // Aborted by the caller's signal, or by us when the caller stops with a page in flight.
  const reading = new AbortController();
  const forward = () => reading.abort(abortError(signal!));
  signal?.addEventListener('abort', forward, { once: true });
  // Rejects on an abort, so the caller stops at once even if fetchPage ignores its signal.
  const stopped = new Promise<never>((_, reject) => reading.signal.addEventListener('abort', () => reject(reading.signal.reason), { once: true }));
  stopped.catch(() => undefined);
  const fetchAhead = (cursor: C | undefined): Promise<FetchedPage<T, C>> => {
    const fetched = (async () => fetchPage(cursor, reading.signal))();
    // Handled here so a page nobody reaches (the caller stopped) cannot fail the process; the
    // caller still gets the error when it reaches that page.
    fetched.catch(() => undefined);
    return fetched;
  };
  try {
    let cursor = first;
    let ahead = fetchAhead(cursor);
    for (let page = 0; ; page++) {
      if (reading.signal.aborted) throw reading.signal.reason;
      const fetched = await Promise.race([stopped, ahead]);
      if (fetched.next === undefined) {
        yield fetched;
        return;
      }
      const repeated = page > 0 && fetched.next === cursor;
      if (!repeated) ahead = fetchAhead((cursor = fetched.next));
      yield fetched;
      if (repeated) throw new Error('the vendor returned the same page cursor twice');
    }
  } finally {
    signal?.removeEventListener('abort', forward);
    if (!reading.signal.aborted) reading.abort(new Error('the caller stopped reading pages'));
  }
}
