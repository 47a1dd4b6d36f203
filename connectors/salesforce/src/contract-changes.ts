import { paginate } from '@connectors/core/src';
import { accountSelectList } from './map-account';
import { QueryResponse, SalesforceClient } from './salesforce-client';
import { SalesforceFieldMapping } from './salesforce-settings';
import { soqlDateTime } from './salesforce-soql';
import { idBatches, queryUrl } from './soql-batches';
import { SalesforceRecord } from './salesforce-values';

/**
 * Renewal dates that change through Contracts: activating or extending a Contract does not move
 * its Account's SystemModstamp (README "Child changes"), so an incremental accounts read also
 * asks which Contracts changed since the cursor (queryAll: a deleted contract can change the
 * latest one too) and reads their accounts again by id.
 */
function changedContractsSoql(since: string): string {
  return `SELECT AccountId FROM Contract WHERE SystemModstamp >= ${soqlDateTime(since)}`;
}

/** The account ids of the Contracts changed at or after `since`, without those in `skip`. */
export async function accountsWithChangedContracts(client: SalesforceClient, since: string, skip: ReadonlySet<string>, signal?: AbortSignal): Promise<string[]> {
  const accounts = new Set<string>();
  const fetchPage = async (url: string | undefined) => {
    const body = await client.get<QueryResponse<SalesforceRecord>>(url as string, signal);
    return { items: body.records, next: body.done ? undefined : body.nextRecordsUrl };
  };
  for await (const page of paginate(queryUrl('queryAll', changedContractsSoql(since)), fetchPage, signal)) {
    for (const row of page.items) {
      if (typeof row.AccountId === 'string' && !skip.has(row.AccountId)) accounts.add(row.AccountId);
    }
  }
  return [...accounts];
}

/** The query URLs that read these accounts again, with the same fields as the accounts stream. */
export function accountsByIdUrls(mapping: SalesforceFieldMapping, ids: string[]): string[] {
  const fields = accountSelectList(mapping).join(', ');
  return idBatches(ids, (inList) => `SELECT ${fields} FROM Account WHERE Id IN (${inList})`);
}
