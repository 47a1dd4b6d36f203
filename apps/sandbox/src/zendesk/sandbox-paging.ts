/**
 * Cursor pagination of Zendesk's list endpoints (webhooks, triggers, tickets, ticket fields,
 * comments): `page[size]` ≤ 100, `page[after]` from the last page's `meta.after_cursor`,
 * `meta.has_more`, and `links.next`.
 */
export function cursorPage<T extends { id: string | number }>(items: T[], query: URLSearchParams, key: string, path: string) {
  const size = Math.min(100, Math.max(1, Number(query.get('page[size]') ?? 100) || 100));
  const after = query.get('page[after]');
  const start = after ? items.findIndex((i) => String(i.id) === Buffer.from(after, 'base64').toString('utf8')) + 1 : 0;
  const page = items.slice(start, start + size);
  const hasMore = start + size < items.length;
  const afterCursor = page.length ? Buffer.from(String(page[page.length - 1].id)).toString('base64') : null;
  return {
    [key]: page,
    meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: null },
    links: { next: hasMore && afterCursor ? `${path}?page[after]=${afterCursor}&page[size]=${size}` : null, prev: null },
  };
}
