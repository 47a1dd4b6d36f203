import { ArrHistoryScope, CrmArrPoint, paginate, VendorError } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { ACCOUNT_HISTORY_FIELDS, ArrHistoryGroups } from './map-arr-history';
import { QueryResponse, SalesforceClient } from './salesforce-client';
import { idBatches, queryUrl, soqlString } from './soql-batches';
import { SalesforceRecord } from './salesforce-values';

/** Salesforce refuses the query when the user may not read AccountHistory or the field is not history-able. */
const NO_HISTORY_CODES = new Set(['INVALID_TYPE', 'INVALID_FIELD', 'INSUFFICIENT_ACCESS']);

/**
 * The mapped ARR field's field history (README "Field history"): AccountHistory rows
 * with Field = the ARR field, plus each account's 'created' row, ordered by account so each
 * account's points come out whole. All accounts: one statement, ⌈rows/2000⌉ calls. Named
 * accounts: `AccountId IN (…)` statements of ~430 ids each. A field without tracking has no
 * rows (no points); a refused query (no access to AccountHistory) also means no history.
 */
export async function* readArrHistory(
  client: SalesforceClient,
  arrField: string,
  accounts: ArrHistoryScope,
  signal?: AbortSignal,
  log?: (message: string, fields?: Record<string, unknown>) => void,
): AsyncGenerator<CrmArrPoint[]> {
  // Tracking is per field of the Account itself; a relationship path (Parent.ARR__c) has none here.
  if (arrField.includes('.') || (accounts !== 'all' && accounts.length === 0)) return;
  const select = `SELECT ${ACCOUNT_HISTORY_FIELDS.join(', ')} FROM ${salesforceDescriptor.accountHistoryObject}`;
  const fields = `Field IN (${soqlString(salesforceDescriptor.historyCreatedField)}, ${soqlString(arrField)})`;
  const order = ' ORDER BY AccountId ASC, CreatedDate ASC';
  const urls =
    accounts === 'all' ? [queryUrl('query', `${select} WHERE ${fields}${order}`)] : idBatches(accounts, (ids) => `${select} WHERE ${fields} AND AccountId IN (${ids})${order}`);
  const groups = new ArrHistoryGroups(arrField);
  const fetchPage = async (url: string | undefined) => {
    const body = await client.get<QueryResponse<SalesforceRecord>>(url as string, signal);
    return { items: body.records, next: body.done ? undefined : body.nextRecordsUrl };
  };
  try {
    for (const url of urls) {
      for await (const page of paginate(url, fetchPage, signal)) {
        const points = groups.add(page.items);
        if (points.length > 0) yield points;
      }
    }
  } catch (error) {
    if (error instanceof VendorError && error.kind === 'invalid' && NO_HISTORY_CODES.has(String(error.details.code))) {
      log?.('salesforce: ARR field history is not readable; using our own snapshots', { code: error.details.code, message: error.message });
      return;
    }
    throw error;
  }
  const last = groups.flush();
  if (last.length > 0) yield last;
}
