import { Client } from '@hubspot/api-client';
import { FetchedPage, paginate, VendorError } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotApi } from './hubspot-api';
import { HubSpotObject } from './hubspot-object';
import { instant } from './hubspot-values';

export type ObjectType = 'companies' | 'contacts';

function objectApis(client: Client, type: ObjectType) {
  return type === 'companies' ? client.crm.companies : client.crm.contacts;
}

/** Objects searchPages can read: the two synced ones, and our follow-up tasks. */
export type SearchType = ObjectType | 'tasks';

function searchApi(client: Client, type: SearchType) {
  return type === 'tasks' ? client.crm.objects.tasks.searchApi : objectApis(client, type).searchApi;
}

/** GET /crm/v3/objects/{type} pages of 100, followed to the end by core's paginate. */
export function listPages(
  api: HubSpotApi,
  type: ObjectType,
  query: { properties: string[]; associations?: string[]; archived?: boolean },
  signal?: AbortSignal,
): AsyncGenerator<FetchedPage<HubSpotObject, string>> {
  return paginate<HubSpotObject, string>(
    undefined,
    async (after) => {
      const page = await api.call(
        'general',
        (client) =>
          objectApis(client, type).basicApi.getPageWithHttpInfo(hubspotDescriptor.listPageSize, after, query.properties, undefined, query.associations, query.archived ?? false),
        signal,
      );
      return { items: page.results as unknown as HubSpotObject[], next: page.paging?.next?.after };
    },
    signal,
  );
}

/** A search filter ANDed with the window's own (e.g. hs_task_subject CONTAINS_TOKEN NPS). */
export interface SearchFilter {
  propertyName: string;
  operator: string;
  value: string;
}

interface SearchCursor {
  /** The window's lower bound (GTE), epoch ms. */
  sinceMs: number;
  after?: string;
  /** Results this window has returned so far (HubSpot's cap counts per query). */
  readInWindow: number;
}

/**
 * POST /crm/v3/objects/{type}/search for records modified at or after `since`, oldest first,
 * 200 per page. HubSpot returns at most 10,000 results per query (asking past them is a 400),
 * so before a window would reach the cap a new query starts at the newest modification time
 * seen; the records at that exact millisecond, already read, are dropped from its first page.
 * `modifiedProperty` is whichever time the window moves on (hs_createdate works the same way);
 * `filters` narrow every query further.
 */
export function searchPages(
  api: HubSpotApi,
  type: SearchType,
  modifiedProperty: string,
  since: number,
  properties: string[],
  signal?: AbortSignal,
  filters: SearchFilter[] = [],
): AsyncGenerator<FetchedPage<HubSpotObject, SearchCursor>> {
  const size = hubspotDescriptor.searchPageSize;
  let total: number | undefined;
  let boundary = { ms: -Infinity, ids: new Set<string>() };
  const modifiedMs = (record: HubSpotObject) => Date.parse(instant(record.properties?.[modifiedProperty]) ?? instant(record.updatedAt) ?? '');

  return paginate<HubSpotObject, SearchCursor>(
    { sinceMs: since, readInWindow: 0 },
    async (cursor) => {
      const window = cursor ?? { sinceMs: since, readInWindow: 0 };
      const request = {
        filterGroups: [{ filters: [{ propertyName: modifiedProperty, operator: 'GTE', value: String(window.sinceMs) }, ...filters] }],
        // The SDK types sorts as strings; HubSpot takes { propertyName, direction } objects.
        sorts: [{ propertyName: modifiedProperty, direction: 'ASCENDING' }] as unknown as string[],
        properties: [...new Set([...properties, modifiedProperty])],
        limit: size,
        after: window.after,
      };
      const page = await api.call(
        'search',
        // `as never`: the SDK types the operator as its own enum and sorts as strings (see above).
        (client) => searchApi(client, type).doSearchWithHttpInfo(request as never),
        signal,
      );
      total ??= page.total;
      const results = page.results as unknown as HubSpotObject[];
      const items = results.filter((r) => !(modifiedMs(r) === boundary.ms && boundary.ids.has(String(r.id))));
      for (const record of results) {
        const ms = modifiedMs(record);
        if (ms > boundary.ms) boundary = { ms, ids: new Set([String(record.id)]) };
        else if (ms === boundary.ms) boundary.ids.add(String(record.id));
      }
      const readInWindow = window.readInWindow + results.length;
      const after = page.paging?.next?.after;
      if (after === undefined || results.length === 0) return { items, next: undefined, total };
      // HubSpot's `after` is the offset into the query's results; count them ourselves if it is not.
      const offset = /^\d+$/.test(after) ? Number(after) : readInWindow;
      if (offset + size <= hubspotDescriptor.searchResultCap) return { items, next: { sinceMs: window.sinceMs, after, readInWindow }, total };
      if (boundary.ms <= window.sinceMs) {
        throw new VendorError(
          'hubspot',
          'invalid',
          `more than ${hubspotDescriptor.searchResultCap} HubSpot ${type} share the modification time ${new Date(window.sinceMs).toISOString()}; search cannot page past them`,
          { code: 'SEARCH_WINDOW_STUCK' },
        );
      }
      return { items, next: { sinceMs: boundary.ms, readInWindow: 0 }, total };
    },
    signal,
  );
}
