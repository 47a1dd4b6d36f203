import { CrmArrPoint } from '@connectors/core/src';
import { instant, invalidValue, money } from './hubspot-values';

/** One entry of `propertiesWithHistory` as HubSpot (and the SDK, with a Date) sends it. */
interface HubSpotHistoryEntry {
  value: string;
  timestamp: Date | string;
  sourceType?: string;
}

/** A record with the property histories a read asked for. */
export interface HubSpotRecordWithHistory {
  id: string;
  propertiesWithHistory?: Record<string, HubSpotHistoryEntry[] | undefined>;
}

/**
 * A company's ARR points from its property history: every value the ARR property took, from
 * its timestamp on ('' is HubSpot's emptied value → null). Oldest first.
 */
export function mapArrHistory(company: HubSpotRecordWithHistory, arrProperty: string): CrmArrPoint[] {
  const id = String(company.id);
  const entries = company.propertiesWithHistory?.[arrProperty] ?? [];
  return entries
    .map((entry) => {
      const at = instant(entry.timestamp);
      if (!at) throw invalidValue('company', id, `${arrProperty} history timestamp`, entry.timestamp, 'an instant');
      const arr = money(entry.value);
      if (arr === undefined) throw invalidValue('company', id, `${arrProperty} history value`, entry.value, 'a number');
      return { accountExternalId: id, at, arr };
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
