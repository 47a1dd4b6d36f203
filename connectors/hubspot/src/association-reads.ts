import { paginate } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotApi } from './hubspot-api';
import { HubSpotAssociatedRecord } from './map-association';
import { ObjectType } from './object-pages';

interface BatchInput {
  id: string;
  after?: string;
}

/** What the SDK hands back for one input of a v4 batch read (it renames `from` to `_from`). */
interface BatchResult {
  _from?: { id: string };
  from?: { id: string };
  to: HubSpotAssociatedRecord[];
  paging?: { next?: { after?: string } };
}

/**
 * The associations of up to any number of records, with their labels:
 * POST /crm/v4/associations/{from}/{to}/batch/read, 100 ids per call. A record with more
 * associations than one answer holds comes back with its own `paging.next.after`; those records
 * are asked again (batched) until none has more. Records without associations are absent from
 * the answer (HubSpot lists them under `errors` with a 207) and get [].
 */
export async function readAssociations(
  api: HubSpotApi,
  from: ObjectType,
  to: ObjectType,
  ids: string[],
  signal?: AbortSignal,
  log?: (message: string, fields?: Record<string, unknown>) => void,
): Promise<Map<string, HubSpotAssociatedRecord[]>> {
  const associations = new Map<string, HubSpotAssociatedRecord[]>(ids.map((id) => [id, []]));
  const size = hubspotDescriptor.associationBatchSize;
  for (let start = 0; start < ids.length; start += size) {
    const first: BatchInput[] = ids.slice(start, start + size).map((id) => ({ id }));
    const pages = paginate<BatchResult, BatchInput[]>(
      first,
      async (inputs) => {
        const answer = await api.call('general', (client) => client.crm.associations.v4.batchApi.getPageWithHttpInfo(from, to, { inputs: inputs ?? first }), signal);
        const unexpected = ('errors' in answer ? (answer.errors ?? []) : []).filter((e) => !/NO_ASSOCIATIONS_FOUND/i.test(String(e.subCategory ?? '')));
        if (unexpected.length > 0) log?.('hubspot: association batch read reported errors', { from, to, errors: unexpected.map((e) => e.message) });
        const results = answer.results as unknown as BatchResult[];
        const more = results.filter((r) => r.paging?.next?.after !== undefined).map((r) => ({ id: String((r._from ?? r.from)!.id), after: r.paging!.next!.after }));
        return { items: results, next: more.length > 0 ? more : undefined };
      },
      signal,
    );
    for await (const page of pages) {
      for (const result of page.items) {
        const id = String((result._from ?? result.from)!.id);
        const list = associations.get(id) ?? [];
        list.push(...(result.to ?? []));
        associations.set(id, list);
      }
    }
  }
  return associations;
}
