import { ArrHistoryScope, CrmArrPoint, paginate } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotApi } from './hubspot-api';
import { HubSpotRecordWithHistory, mapArrHistory } from './map-arr-history';

/**
 * The mapped ARR property's history (HubSpot keeps every value a property took). Named
 * companies: batch read with `propertiesWithHistory`, 50 ids per call (HubSpot's cap for
 * property histories, README "Batch"). All companies: list pages of 50 with the history,
 * which also costs ⌈N/50⌉ calls and needs no ids. Archived or unknown ids are simply absent.
 */
export async function* readArrHistory(api: HubSpotApi, arrProperty: string | null, accounts: ArrHistoryScope, signal?: AbortSignal): AsyncGenerator<CrmArrPoint[]> {
  if (!arrProperty) return;
  const size = hubspotDescriptor.historyBatchSize;
  const toPoints = (records: HubSpotRecordWithHistory[]) => records.flatMap((record) => mapArrHistory(record, arrProperty));
  if (accounts === 'all') {
    const pages = paginate<HubSpotRecordWithHistory, string>(
      undefined,
      async (after) => {
        const page = await api.call(
          'general',
          (client) => client.crm.companies.basicApi.getPageWithHttpInfo(size, after, ['hs_object_id'], [arrProperty], undefined, false),
          signal,
        );
        return { items: page.results as unknown as HubSpotRecordWithHistory[], next: page.paging?.next?.after };
      },
      signal,
    );
    for await (const page of pages) yield toPoints(page.items);
    return;
  }
  const ids = [...new Set(accounts)];
  for (let start = 0; start < ids.length; start += size) {
    const inputs = ids.slice(start, start + size).map((id) => ({ id }));
    const answer = await api.call(
      'general',
      (client) => client.crm.companies.batchApi.readWithHttpInfo({ inputs, properties: ['hs_object_id'], propertiesWithHistory: [arrProperty] }, false),
      signal,
    );
    yield toPoints(answer.results as unknown as HubSpotRecordWithHistory[]);
  }
}
