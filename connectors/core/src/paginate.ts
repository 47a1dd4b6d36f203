import { untilAborted } from './until-aborted';

/**
 * The one paging loop: follows `next` until the vendor says there is no more. Connectors give
 * a `fetchPage` (so tests need no network) and never write their own `while (true)`.
 *
 * With `prefetch`, the next page is fetched while the caller works on this one (maps it, reads
 * what it needs alongside, writes it), so a slow consumer need not leave the vendor budget
 * idle. Never more than one page ahead; the next page is asked for only once the vendor has
 * named it, so a finished list costs no extra call. A prefetched page that failed throws when
 * the caller reaches it (pages before it are still handed over). An abort, or the caller
 * stopping, starts no further page and aborts the signal handed to `fetchPage`; a caller that
 * stops early has still spent the call of the page in flight. Off by default: measured on
 * `npm run bench:sync` it gained nothing where the budget is the limit and raised peak memory
 * (a page in flight next to the page being written); turn it on where the write, not the
 * budget, is what a stream waits on.
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

export interface PaginateOptions {
  /** Fetch the next page while the caller works on this one (see above). Default false. */
  prefetch?: boolean;
}

const abortError = (signal: AbortSignal) => signal.reason ?? new Error('aborted');

export async function* paginate<T, C>(first: C | undefined, fetchPage: FetchPage<T, C>, signal?: AbortSignal, options: PaginateOptions = {}): AsyncGenerator<FetchedPage<T, C>> {
  if (signal?.aborted) throw abortError(signal);
  // Aborted by the caller's signal, or by us when the caller stops with a page in flight.
  const reading = new AbortController();
  const forward = () => reading.abort(abortError(signal!));
  signal?.addEventListener('abort', forward, { once: true });
  const startFetch = (cursor: C | undefined): Promise<FetchedPage<T, C>> => {
    const fetched = (async () => fetchPage(cursor, reading.signal))();
    // Handled here so a page nobody reaches (the caller stopped) cannot fail the process; the
    // caller still gets the error when it reaches that page.
    fetched.catch(() => undefined);
    return fetched;
  };
  try {
    let cursor = first;
    let ahead: Promise<FetchedPage<T, C>> | undefined;
    for (let page = 0; ; page++) {
      if (reading.signal.aborted) throw reading.signal.reason;
      const fetched = await untilAborted(ahead ?? startFetch(cursor), reading.signal);
      ahead = undefined;
      if (fetched.next === undefined) {
        yield fetched;
        return;
      }
      const repeated = page > 0 && fetched.next === cursor;
      if (!repeated) {
        cursor = fetched.next;
        if (options.prefetch) ahead = startFetch(cursor);
      }
      yield fetched;
      if (repeated) throw new Error('the vendor returned the same page cursor twice');
    }
  } finally {
    signal?.removeEventListener('abort', forward);
    if (!reading.signal.aborted) reading.abort(new Error('the caller stopped reading pages'));
  }
}
