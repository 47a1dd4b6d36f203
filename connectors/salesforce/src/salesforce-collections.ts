import { CrmWriteError, CrmWriteResult, UncertainWrite, VendorError } from '@connectors/core/src';
import { salesforceDescriptor } from '../descriptor';
import { SalesforceClient } from './salesforce-client';
import { PERMANENT_STATUS_CODES } from './salesforce-errors';

/** One record to send, under the key its result comes back with. */
export interface CollectionItem {
  key: string;
  record: Record<string, unknown>;
}

/** What sObject Collections answers per record, in input order. */
interface SaveResult {
  id?: string | null;
  success: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

const COLLECTIONS = '/composite/sobjects';
/** The deserializer's whole-request 400 for a field the object lacks (or hides from the user). */
const NO_SUCH_COLUMN = /No such column '([^']+)' on sobject of type/i;

const notSent = (why: string): CrmWriteError => ({ code: 'NOT_SENT', message: `not sent: ${why}`, permanent: false });

/**
 * ≤ 200 records a request, in input order; a record id already in the request starts the next
 * one, because one DML call cannot update the same row twice.
 */
function batches(items: CollectionItem[]): CollectionItem[][] {
  const out: CollectionItem[][] = [];
  let current: CollectionItem[] = [];
  let ids = new Set<unknown>();
  for (const item of items) {
    const id = item.record.Id;
    if (current.length === salesforceDescriptor.collectionBatchSize || (id !== undefined && ids.has(id))) {
      out.push(current);
      current = [];
      ids = new Set();
    }
    current.push(item);
    if (id !== undefined) ids.add(id);
  }
  if (current.length > 0) out.push(current);
  return out;
}

function saveError(result: SaveResult): CrmWriteError {
  const errors = result.errors ?? [];
  const code = errors[0]?.statusCode ?? 'UNKNOWN_ERROR';
  const message = errors.map((e) => e.message ?? e.statusCode).join('; ') || 'record not saved';
  return { code, message, permanent: PERMANENT_STATUS_CODES.has(code) };
}

/**
 * sObject Collections, POST (create) or PATCH (update), allOrNone false so one bad record never
 * sinks its neighbours, one request after another. Per call:
 * - a record Salesforce refused keeps its SaveResult error (permanent when it would fail again);
 * - a whole request refused with 400 naming a field (No such column 'X') fails the records that
 *   carry the field and resends the others; a 400 naming none fails the whole request;
 * - a create that got no usable answer (5xx, dropped connection) is reported outcomeUnknown and
 *   not resent; after it, and after any failure Salesforce did not answer for one record
 *   (limits, outage), the remaining requests are not sent (NOT_SENT);
 * - a refused session is thrown, except on a create once an earlier request of the call was
 *   written: throwing would lose the ids of tasks that exist, and a retry would duplicate them.
 */
export class CollectionWriter {
  constructor(private readonly client: SalesforceClient) {}

  async send(method: 'POST' | 'PATCH', items: CollectionItem[], signal?: AbortSignal): Promise<CrmWriteResult[]> {
    const create = method === 'POST';
    const results = new Map<CollectionItem, CrmWriteResult>();
    const fail = (batch: CollectionItem[], error: CrmWriteError) => batch.forEach((item) => results.set(item, { key: item.key, error }));
    let stopped: CrmWriteError | undefined;
    let written = false;
    for (const batch of batches(items)) {
      if (!stopped && signal?.aborted) stopped = notSent('the write was cancelled');
      if (stopped) {
        fail(batch, stopped);
        continue;
      }
      try {
        await this.sendBatch(method, batch, results, signal);
      } catch (error) {
        if (error instanceof VendorError && error.kind === 'auth' && (!create || !written)) throw error;
        const uncertain = error instanceof UncertainWrite;
        const known = error instanceof VendorError ? error : undefined;
        fail(
          batch.filter((item) => !results.has(item)),
          {
            code: known?.details.code ?? 'NOT_SENT',
            message: error instanceof Error ? error.message : String(error),
            permanent: false,
            ...(uncertain && create ? { outcomeUnknown: true } : {}),
          },
        );
        stopped = notSent(`an earlier request of this call failed (${known?.details.code ?? 'error'})`);
      }
      written ||= batch.some((item) => results.get(item)?.externalId !== undefined);
    }
    return items.map((item) => results.get(item) as CrmWriteResult);
  }

  /** One request, plus one more per field a 400 names, until every record of the batch has an outcome in `out`. */
  private async sendBatch(method: 'POST' | 'PATCH', batch: CollectionItem[], out: Map<CollectionItem, CrmWriteResult>, signal?: AbortSignal): Promise<void> {
    const create = method === 'POST';
    let pending = batch;
    while (pending.length > 0) {
      let answer: SaveResult[];
      try {
        const body = { allOrNone: false, records: pending.map((item) => item.record) };
        answer = await this.client.write<SaveResult[]>(method, COLLECTIONS, body, signal, { replayable: !create });
      } catch (error) {
        if (!(error instanceof VendorError) || (error.kind !== 'invalid' && error.kind !== 'not_found')) throw error;
        const field = NO_SUCH_COLUMN.exec(error.message)?.[1]?.toLowerCase();
        const carrying = field ? pending.filter((item) => Object.keys(item.record).some((name) => name.toLowerCase() === field)) : [];
        const refused = carrying.length > 0 ? carrying : pending;
        const reason: CrmWriteError = { code: error.details.code ?? 'INVALID_REQUEST', message: error.message, permanent: true };
        refused.forEach((item) => out.set(item, { key: item.key, error: reason }));
        pending = pending.filter((item) => !refused.includes(item));
        continue;
      }
      if (!Array.isArray(answer) || answer.length !== pending.length) {
        const problem = `sObject Collections answered ${Array.isArray(answer) ? answer.length : 'no'} results for ${pending.length} records`;
        const malformed = new VendorError('salesforce', 'unavailable', problem, { code: 'BAD_COLLECTION_RESPONSE' });
        // Records a create sent may exist even though the answer cannot say which.
        throw create ? this.client.http.uncertain(malformed) : malformed;
      }
      pending.forEach((item, i) => {
        const result = answer[i];
        out.set(item, result.success && result.id ? { key: item.key, externalId: result.id } : { key: item.key, error: saveError(result) });
      });
      pending = [];
    }
  }
}
