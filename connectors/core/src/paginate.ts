/**
 * The one paging loop: follows `next` until the vendor says there is no more. Connectors give
 * a `fetchPage` (so tests need no network) and never write their own `while (true)`.
 */
export interface FetchedPage<T, C> {
  items: T[];
  /** undefined when this was the last page. */
  next: C | undefined;
  total?: number;
}

export async function* paginate<T, C>(
  first: C | undefined,
  fetchPage: (cursor: C | undefined) => Promise<FetchedPage<T, C>>,
  signal?: AbortSignal,
): AsyncGenerator<FetchedPage<T, C>> {
  let cursor = first;
  for (let page = 0; ; page++) {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    const fetched = await fetchPage(cursor);
    yield fetched;
    if (fetched.next === undefined) return;
    if (page > 0 && fetched.next === cursor) throw new Error('the vendor returned the same page cursor twice');
    cursor = fetched.next;
  }
}
