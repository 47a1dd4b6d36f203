import { paginate } from '@connectors/core/src';
import { PathSegments, RawService, rawSend, ZendeskApi } from './zendesk-api';
import { CursorListPage } from './zendesk-records';

/** Zendesk's cursor pagination allows at most 100 records a page. */
const PAGE_SIZE = 100;

export interface CursorListRequest {
  service: RawService;
  /** Path segments before the query, e.g. ['tickets']. */
  path: string[];
  /** The list's key in the response body ("tickets", "ticket_fields", …). */
  key: string;
  query?: Record<string, string | number>;
  /**
   * 'retry' (default): each page is retried per core withRetry. 'once': one attempt per page, for
   * lookups that already run inside a caller's retry loop (ZendeskApi.writeGuarded).
   */
  attempts?: 'retry' | 'once';
  signal?: AbortSignal;
}

/**
 * Every record of one of Zendesk's cursor-paginated lists (webhooks, triggers, tickets, ticket
 * fields): `page[size]`, then `page[after]` from `meta.after_cursor` while `meta.has_more`,
 * through core paginate.
 */
export async function listAll<T>(api: ZendeskApi, request: CursorListRequest): Promise<T[]> {
  const found: T[] = [];
  const fetchPage = async (after: string | undefined) => {
    const query = { ...request.query, 'page[size]': PAGE_SIZE, ...(after ? { 'page[after]': after } : {}) };
    const send = rawSend(request.service, 'GET', [...request.path, query] as PathSegments);
    const page =
      request.attempts === 'once'
        ? await api.once<CursorListPage & Record<string, unknown>>('general', send)
        : await api.call<CursorListPage & Record<string, unknown>>('general', send, request.signal);
    const next = page.meta?.has_more && page.meta.after_cursor ? page.meta.after_cursor : undefined;
    return { items: (page[request.key] as T[] | undefined) ?? [], next };
  };
  for await (const page of paginate<T, string>(undefined, fetchPage, request.signal)) found.push(...page.items);
  return found;
}
