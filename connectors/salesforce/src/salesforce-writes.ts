import { paginate, VendorError } from '../../core/src';
import { salesforceDescriptor } from '../descriptor';
import { QueryResponse, SalesforceClient } from './salesforce-client';
import { soqlDateTime } from './salesforce-soql';
import { FieldReader, SalesforceRecord } from './salesforce-values';

/** One follow-up task to create (nps-program.md §6: WhoId = contact, WhatId = account, ActivityDate = due). */
export interface SalesforceTaskInput {
  /** Our own key for the task; results come back under it. */
  key: string;
  whoId: string;
  whatId: string;
  ownerId: string;
  /** Due date, YYYY-MM-DD. */
  activityDate: string;
  priority: 'High' | 'Normal' | 'Low';
  subject: string;
  description: string;
}

export interface SalesforceAccountUpdate {
  id: string;
  fields: Record<string, string | number | boolean | null>;
}

/** One record's outcome: the Salesforce id on success, Salesforce's first error otherwise. */
export interface SalesforceWriteResult {
  key: string;
  id?: string;
  error?: { code: string; message: string };
}

/** A follow-up task's state as read back for loop closure. */
export interface SalesforceTaskState {
  id: string;
  status: string;
  isClosed: boolean;
  /** CompletedDateTime, else LastModifiedDate when closed; null while open. */
  completedAt: string | null;
  modifiedAt: string;
}

/** What sObject Collections answers per record, in input order. */
interface SaveResult {
  id?: string | null;
  success: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

/** The Subject prefix of every task nps-bridge creates; readTasks reads only those. */
export const TASK_SUBJECT_PREFIX = 'NPS';
export const TASK_FIELDS = ['Id', 'Status', 'IsClosed', 'CompletedDateTime', 'LastModifiedDate', 'SystemModstamp'] as const;
const COLLECTIONS = '/composite/sobjects';

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** SaveResults matched to our keys by position (Salesforce answers in input order). */
function mapResults(keys: string[], results: SaveResult[]): SalesforceWriteResult[] {
  if (!Array.isArray(results) || results.length !== keys.length) {
    throw new VendorError('salesforce', 'invalid', `sObject Collections answered ${Array.isArray(results) ? results.length : 'no'} results for ${keys.length} records`, {
      code: 'BAD_COLLECTION_RESPONSE',
    });
  }
  return results.map((result, i) => {
    if (result.success && result.id) return { key: keys[i], id: result.id };
    const first = result.errors?.[0];
    return { key: keys[i], error: { code: first?.statusCode ?? 'UNKNOWN_ERROR', message: first?.message ?? 'record not saved' } };
  });
}

function taskRecord(task: SalesforceTaskInput): Record<string, unknown> {
  return {
    attributes: { type: 'Task' },
    Subject: task.subject,
    WhoId: task.whoId,
    WhatId: task.whatId,
    OwnerId: task.ownerId,
    ActivityDate: task.activityDate,
    Priority: task.priority,
    Status: 'Not Started',
    Description: task.description,
  };
}

export function mapTaskState(raw: SalesforceRecord): SalesforceTaskState {
  const task = new FieldReader('Task', raw);
  const isClosed = task.boolean('IsClosed');
  const completed = task.raw('CompletedDateTime') === null ? null : task.instant('CompletedDateTime');
  return {
    id: task.id,
    status: task.requiredString('Status'),
    isClosed,
    completedAt: completed ?? (isClosed ? task.instant('LastModifiedDate') : null),
    modifiedAt: task.instant('SystemModstamp'),
  };
}

/** The SOQL that reads our tasks, oldest change first, so every page ends at a safe resume point. */
export function taskQuery(since: string | null): string {
  const changed = since === null ? '' : ` AND SystemModstamp >= ${soqlDateTime(since)}`;
  return `SELECT ${TASK_FIELDS.join(', ')} FROM Task WHERE Subject LIKE '${TASK_SUBJECT_PREFIX}%'${changed} ORDER BY SystemModstamp ASC, Id ASC`;
}

/**
 * Closing-the-loop writes over sObject Collections: at most 200 records per request, sent one
 * request after another, allOrNone false so one bad record does not sink its 199 neighbours.
 * Each request is one API call on the meter and retried by the client on 5xx and
 * REQUEST_LIMIT_EXCEEDED.
 */
export class SalesforceWrites {
  constructor(private readonly client: SalesforceClient) {}

  async createTasks(tasks: SalesforceTaskInput[], signal?: AbortSignal): Promise<SalesforceWriteResult[]> {
    const out: SalesforceWriteResult[] = [];
    for (const batch of chunks(tasks, salesforceDescriptor.collectionBatchSize)) {
      const body = { allOrNone: false, records: batch.map(taskRecord) };
      const results = await this.client.write<SaveResult[]>('POST', COLLECTIONS, body, signal);
      out.push(...mapResults(batch.map((t) => t.key), results));
    }
    return out;
  }

  async updateAccounts(updates: SalesforceAccountUpdate[], signal?: AbortSignal): Promise<SalesforceWriteResult[]> {
    const out: SalesforceWriteResult[] = [];
    for (const batch of chunks(updates, salesforceDescriptor.collectionBatchSize)) {
      const records = batch.map((u) => ({ attributes: { type: 'Account' }, ...u.fields, Id: u.id }));
      const results = await this.client.write<SaveResult[]>('PATCH', COLLECTIONS, { allOrNone: false, records }, signal);
      out.push(...mapResults(batch.map((u) => u.id), results));
    }
    return out;
  }

  async *readTasks(since: string | null, signal?: AbortSignal): AsyncGenerator<SalesforceTaskState[]> {
    const fetchPage = async (url: string | undefined) => {
      const body = await this.client.get<QueryResponse<SalesforceRecord>>(url as string, signal);
      return { items: body.records, next: body.done ? undefined : body.nextRecordsUrl };
    };
    for await (const page of paginate(`/query?q=${encodeURIComponent(taskQuery(since))}`, fetchPage, signal)) {
      yield page.items.map(mapTaskState);
    }
  }
}
