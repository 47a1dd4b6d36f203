import {
  CrmFieldValue,
  CrmObject,
  CrmRecordUpdate,
  CrmTaskInput,
  CrmTaskMatch,
  CrmTaskState,
  CrmWriteError,
  CrmWriteResult,
  NPS_TASK_SUBJECT_PREFIX,
  paginate,
  TaskPriority,
} from '@connectors/core/src';
import { CollectionItem, CollectionWriter } from './salesforce-collections';
import { QueryResponse, SalesforceClient } from './salesforce-client';
import { soqlDateTime } from './salesforce-soql';
import { FieldReader, SalesforceRecord } from './salesforce-values';

const TASK_STATE_FIELDS = ['Id', 'IsClosed', 'CompletedDateTime', 'LastModifiedDate', 'SystemModstamp'] as const;
const TASK_MATCH_FIELDS = ['Id', 'Subject', 'WhoId', 'WhatId', 'ActivityDate'] as const;

const SOBJECT_TYPE: Record<CrmObject, string> = { account: 'Account', contact: 'Contact' };
const PRIORITY: Record<TaskPriority, string> = { high: 'High', normal: 'Normal', low: 'Low' };
const ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;
const SUBJECT_FILTER = `Subject LIKE '${NPS_TASK_SUBJECT_PREFIX}%'`;

const refused = (code: string, message: string): CrmWriteError => ({ code, message, permanent: true });

/** A problem we can see before sending, so one bad input cannot cost its neighbours a request. */
function taskProblem(task: CrmTaskInput): CrmWriteError | undefined {
  const ids = { WhatId: task.accountExternalId, WhoId: task.contactExternalId, OwnerId: task.ownerExternalId };
  for (const [field, id] of Object.entries(ids)) {
    if (id !== null && (typeof id !== 'string' || !ID.test(id))) return refused('MALFORMED_ID', `${field}: ${JSON.stringify(id)} is not a Salesforce id`);
  }
  if (!(task.due instanceof Date) || Number.isNaN(task.due.getTime())) return refused('BAD_VALUE', `due: ${String(task.due)} is not a date`);
  if (!Object.prototype.hasOwnProperty.call(PRIORITY, task.priority)) return refused('BAD_VALUE', `priority: ${JSON.stringify(task.priority)} is not high, normal or low`);
  return undefined;
}

/** The Task rules §6 asks for: WhoId = contact, WhatId = account, ActivityDate = the UTC date due. */
function taskRecord(task: CrmTaskInput): Record<string, unknown> {
  return {
    attributes: { type: 'Task' },
    Subject: task.subject,
    ...(task.contactExternalId === null ? {} : { WhoId: task.contactExternalId }),
    WhatId: task.accountExternalId,
    ...(task.ownerExternalId === null ? {} : { OwnerId: task.ownerExternalId }),
    ActivityDate: task.due.toISOString().slice(0, 10),
    Priority: PRIORITY[task.priority],
    Status: 'Not Started',
    Description: task.description,
  };
}

/** JSON has no NaN, Infinity or undefined: JSON.stringify would quietly turn them into a clear. */
function valueProblem(fields: Record<string, CrmFieldValue>): CrmWriteError | undefined {
  for (const [name, value] of Object.entries(fields)) {
    const ok = value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) return refused('BAD_VALUE', `${name}: ${String(value)} is not a value Salesforce can store`);
    if (name.toLowerCase() === 'id' || name === 'attributes') return refused('BAD_VALUE', `${name} cannot be written`);
  }
  return undefined;
}

function mapTaskState(raw: SalesforceRecord): CrmTaskState {
  const task = new FieldReader('Task', raw);
  const completed = task.boolean('IsClosed');
  const completedAt = task.raw('CompletedDateTime') === null ? null : task.instant('CompletedDateTime');
  return {
    externalId: task.id,
    completed,
    // Tasks closed before CompletedDateTime existed (API 46) or by automation may lack it.
    completedAt: completed ? (completedAt ?? task.instant('LastModifiedDate')) : null,
    modifiedAt: task.instant('SystemModstamp'),
  };
}

function mapTaskMatch(raw: SalesforceRecord): CrmTaskMatch {
  const task = new FieldReader('Task', raw);
  // A CSM may clear the due date; '' then matches no input's date.
  const dueDate = task.optionalDate('ActivityDate');
  return {
    externalId: task.id,
    subject: task.requiredString('Subject'),
    contactExternalId: task.optionalId('WhoId'),
    accountExternalId: task.optionalId('WhatId'),
    dueDate: dueDate ?? '',
  };
}

/** Our tasks changed at or after `since`, oldest change first, so every page ends at a safe resume point. */
export function taskStateQuery(since: string | null): string {
  const changed = since === null ? '' : ` AND SystemModstamp >= ${soqlDateTime(since)}`;
  return `SELECT ${TASK_STATE_FIELDS.join(', ')} FROM Task WHERE ${SUBJECT_FILTER}${changed} ORDER BY SystemModstamp ASC, Id ASC`;
}

/** Our tasks created at or after `since`: what a create without an answer may have made. */
export function tasksCreatedQuery(since: Date): string {
  return `SELECT ${TASK_MATCH_FIELDS.join(', ')} FROM Task WHERE ${SUBJECT_FILTER} AND CreatedDate >= ${soqlDateTime(since.toISOString())} ORDER BY CreatedDate, Id`;
}

/**
 * Closing-the-loop writes: follow-up Tasks and rules §8 field values over sObject Collections
 * (CollectionWriter: 200 a request, sequential, allOrNone false), and the Task reads that find
 * them again. Inputs we can tell are wrong get a permanent error without a request.
 */
export class SalesforceWrites {
  private readonly collections: CollectionWriter;

  constructor(private readonly client: SalesforceClient) {
    this.collections = new CollectionWriter(client);
  }

  createTasks(tasks: CrmTaskInput[], signal?: AbortSignal): Promise<CrmWriteResult[]> {
    return this.sendChecked(
      'POST',
      tasks.map((task) => ({ key: task.key, problem: taskProblem(task), record: () => taskRecord(task) })),
      signal,
    );
  }

  updateRecords(object: CrmObject, updates: CrmRecordUpdate[], signal?: AbortSignal): Promise<CrmWriteResult[]> {
    const type = SOBJECT_TYPE[object];
    return this.sendChecked(
      'PATCH',
      updates.map((u) => ({
        key: u.externalId,
        problem: ID.test(u.externalId) ? valueProblem(u.fields) : refused('MALFORMED_ID', `${JSON.stringify(u.externalId)} is not a Salesforce id`),
        record: () => ({ attributes: { type }, ...u.fields, Id: u.externalId }),
      })),
      signal,
    );
  }

  async *readTasks(since: string | null, signal?: AbortSignal): AsyncGenerator<CrmTaskState[]> {
    for await (const page of this.query(taskStateQuery(since), signal)) yield page.map(mapTaskState);
  }

  async *findTasksCreatedSince(since: Date, signal?: AbortSignal): AsyncGenerator<CrmTaskMatch[]> {
    for await (const page of this.query(tasksCreatedQuery(since), signal)) yield page.map(mapTaskMatch);
  }

  private async sendChecked(
    method: 'POST' | 'PATCH',
    inputs: { key: string; problem: CrmWriteError | undefined; record: () => Record<string, unknown> }[],
    signal?: AbortSignal,
  ): Promise<CrmWriteResult[]> {
    const valid = inputs.filter((input) => !input.problem);
    const items: CollectionItem[] = valid.map((input) => ({ key: input.key, record: input.record() }));
    const sent = await this.collections.send(method, items, signal);
    const byInput = new Map(valid.map((input, i) => [input, sent[i]]));
    return inputs.map((input) => (input.problem ? { key: input.key, error: input.problem } : (byInput.get(input) as CrmWriteResult)));
  }

  private async *query(soql: string, signal?: AbortSignal): AsyncGenerator<SalesforceRecord[]> {
    const fetchPage = async (url: string | undefined) => {
      const body = await this.client.get<QueryResponse<SalesforceRecord>>(url as string, signal);
      return { items: body.records, next: body.done ? undefined : body.nextRecordsUrl };
    };
    for await (const page of paginate(`/query?q=${encodeURIComponent(soql)}`, fetchPage, signal)) yield page.items;
  }
}
