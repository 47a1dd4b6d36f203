import { salesforceDescriptor } from '../descriptor';

/** A quoted SOQL string literal (ids and field names never hold quotes, but escape anyway). */
export const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The query resource's URL for one statement. */
export const queryUrl = (resource: 'query' | 'queryAll', soql: string) => `/${resource}?q=${encodeURIComponent(soql)}`;

/**
 * `… IN (…)` statements over many ids, as few as fit: each request's URL stays within
 * salesforceDescriptor.queryUrlBudgetBytes, so the URI plus headers stay under Salesforce's
 * 16,384 bytes (README "URI length"). `statement` builds the SOQL for one list of ids.
 */
export function idBatches(ids: readonly string[], statement: (inList: string) => string, resource: 'query' | 'queryAll' = 'query'): string[] {
  const budget = salesforceDescriptor.queryUrlBudgetBytes;
  const unique = [...new Set(ids)];
  const fixed = queryUrl(resource, statement('')).length;
  const urls: string[] = [];
  let batch: string[] = [];
  let size = fixed;
  for (const id of unique) {
    const cost = encodeURIComponent(`${soqlString(id)}, `).length;
    if (batch.length > 0 && size + cost > budget) {
      urls.push(queryUrl(resource, statement(batch.map(soqlString).join(', '))));
      batch = [];
      size = fixed;
    }
    batch.push(id);
    size += cost;
  }
  if (batch.length > 0) urls.push(queryUrl(resource, statement(batch.map(soqlString).join(', '))));
  return urls;
}
