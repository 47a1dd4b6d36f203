import { VendorError } from '../../core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotApi } from './hubspot-api';
import { HubSpotObject } from './hubspot-object';
import { instant } from './hubspot-values';
import { searchPages } from './object-pages';
import { sinceMs } from './read-cursor';

/** One follow-up task to create (nps-program.md §6: associated with the contact and the company). */
export interface HubSpotTaskInput {
  /** Our own key for the task; its result comes back under it. Unique within one call. */
  key: string;
  contactId: string;
  companyId: string;
  /** The account's CSM; null leaves the task unassigned. */
  ownerId: string | null;
  dueAt: Date;
  priority: 'HIGH' | 'MEDIUM' | 'LOW';
  subject: string;
  body: string;
  /** hs_task_type; default CALL for HIGH priority (detractor, pre-renewal: "call the respondent"), else TODO. */
  type?: 'CALL' | 'TODO';
}

export interface HubSpotCompanyUpdate {
  id: string;
  properties: Record<string, string>;
}

/** One record's outcome: HubSpot's id on success, an error code and message otherwise. */
export interface HubSpotWriteResult {
  key: string;
  id?: string;
  error?: { code: string; message: string };
}

/** A follow-up task's state as read back for loop closure. */
export interface HubSpotTaskState {
  id: string;
  /** hs_task_status: NOT_STARTED, COMPLETED (HubSpot also knows IN_PROGRESS, WAITING, DEFERRED). */
  status: string;
  /** hs_task_completion_date when COMPLETED (else the modification time); null while open. */
  completedAt: string | null;
  modifiedAt: string;
}

/** The outcome codes this module adds to HubSpot's own. */
export const WRITE_ERROR = {
  /** A 5xx or dropped connection on a create: HubSpot may have created the tasks; not resent. */
  outcomeUnknown: 'OUTCOME_UNKNOWN',
  /** An earlier batch failed in a way later ones would too (auth, daily limit): not sent. */
  notSent: 'NOT_SENT',
  /** HubSpot's answer named neither a result nor an error for this record. */
  missingResult: 'MISSING_RESULT',
} as const;

export const TASK_MODIFIED_PROPERTY = 'hs_lastmodifieddate';
export const TASK_PROPERTIES = ['hs_task_status', 'hs_task_completion_date', TASK_MODIFIED_PROPERTY];

/** What a batch endpoint answers (201/200, or 207 with `errors`). */
interface BatchAnswer {
  results?: Array<{ id: string | number; objectWriteTraceId?: string }>;
  errors?: Array<{ message?: string; category?: string; context?: Record<string, string[] | undefined> }>;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The batch/create input for one task: properties plus inline task→contact (204) and task→company (192) associations. */
export function taskInput(task: HubSpotTaskInput) {
  const ids = hubspotDescriptor.associationTypeIds;
  const association = (id: string, typeId: number) => ({ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] });
  return {
    objectWriteTraceId: task.key,
    properties: {
      hs_timestamp: task.dueAt.toISOString(),
      hs_task_subject: task.subject,
      hs_task_body: task.body,
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: task.priority,
      hs_task_type: task.type ?? (task.priority === 'HIGH' ? 'CALL' : 'TODO'),
      ...(task.ownerId !== null ? { hubspot_owner_id: task.ownerId } : {}),
    },
    associations: [association(task.contactId, ids.taskToContact), association(task.companyId, ids.taskToCompany)],
  };
}

/**
 * Results matched to keys: by the `objectWriteTraceId` HubSpot echoes when every result has
 * one, else by position (HubSpot answers a batch in input order). 207 errors are matched by the
 * trace ids or record ids in their context; a key in neither gets MISSING_RESULT.
 */
function matchResults(keys: string[], answer: BatchAnswer, traced: boolean): HubSpotWriteResult[] {
  const results = answer.results ?? [];
  const byKey = new Map<string, HubSpotWriteResult>();
  const byTrace = traced && results.length > 0 && results.every((r) => r.objectWriteTraceId !== undefined);
  if (byTrace) results.forEach((r) => byKey.set(r.objectWriteTraceId!, { key: r.objectWriteTraceId!, id: String(r.id) }));
  else if (!traced) results.forEach((r) => byKey.set(String(r.id), { key: String(r.id), id: String(r.id) }));
  else if (results.length === keys.length) results.forEach((r, i) => byKey.set(keys[i], { key: keys[i], id: String(r.id) }));
  for (const error of answer.errors ?? []) {
    const named = [...(error.context?.objectWriteTraceId ?? []), ...(error.context?.ids ?? []), ...(error.context?.id ?? [])];
    const failure = { code: error.category ?? 'VALIDATION_ERROR', message: error.message ?? 'record not written' };
    for (const key of named) if (!byKey.has(key)) byKey.set(key, { key, error: failure });
  }
  return keys.map(
    (key) => byKey.get(key) ?? { key, error: { code: WRITE_ERROR.missingResult, message: 'HubSpot answered without a result for this record' } },
  );
}

/**
 * Sends `inputs` in batches of 100, one call each. A batch HubSpot refuses (400: one bad input
 * fails all 100) gives its error to each of its records and the next batch still goes. Any
 * other failure (auth, daily limit, an outage that outlasted the retries) ends the run: its
 * records and all later ones get the error, so the ids already created are never lost.
 */
async function sendBatches<I>(
  keys: string[],
  inputs: I[],
  send: (inputs: I[]) => Promise<BatchAnswer>,
  traced: boolean,
  create: boolean,
): Promise<HubSpotWriteResult[]> {
  const size = hubspotDescriptor.batchSize;
  const out: HubSpotWriteResult[] = [];
  let stop: { code: string; message: string } | undefined;
  for (let start = 0; start < inputs.length; start += size) {
    const batchKeys = keys.slice(start, start + size);
    if (stop) {
      out.push(...batchKeys.map((key) => ({ key, error: { code: WRITE_ERROR.notSent, message: `not sent: ${stop!.message}` } })));
      continue;
    }
    try {
      out.push(...matchResults(batchKeys, await send(inputs.slice(start, start + size)), traced));
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      const ambiguous = create && (error.kind === 'unavailable' || error.details.status === undefined);
      const code = ambiguous ? WRITE_ERROR.outcomeUnknown : (error.details.code ?? error.kind.toUpperCase());
      out.push(...batchKeys.map((key) => ({ key, error: { code, message: error.message } })));
      if (error.kind !== 'invalid') stop = { code, message: error.message };
    }
  }
  return out;
}

/**
 * POST /crm/v3/objects/tasks/batch/create, 100 tasks per call. Each input carries its key as
 * `objectWriteTraceId`, which HubSpot echoes on the result, so results are matched by key (by
 * position as a fallback). Creates are not idempotent in HubSpot, so a call is repeated only
 * after a 429 (nothing written); a 5xx or lost connection is reported as OUTCOME_UNKNOWN for
 * the caller to reconcile (readTasks) rather than risk duplicate tasks for a CSM.
 */
export async function createTasks(api: HubSpotApi, tasks: HubSpotTaskInput[], signal?: AbortSignal): Promise<HubSpotWriteResult[]> {
  const keys = tasks.map((t) => t.key);
  const seen = new Set<string>();
  const duplicate = keys.find((key) => seen.size === seen.add(key).size);
  if (duplicate !== undefined) throw new Error(`createTasks: key ${JSON.stringify(duplicate)} appears twice`);
  const send = (inputs: ReturnType<typeof taskInput>[]) =>
    api.call(
      'general',
      (client) => client.crm.objects.tasks.batchApi.createWithHttpInfo({ inputs } as never),
      signal,
      false,
    ) as Promise<BatchAnswer>;
  return sendBatches(keys, tasks.map(taskInput), send, true, true);
}

/** POST /crm/v3/objects/companies/batch/update, 100 per call; results keyed by company id. Updates are idempotent, so retried. */
export function updateCompanies(api: HubSpotApi, updates: HubSpotCompanyUpdate[], signal?: AbortSignal): Promise<HubSpotWriteResult[]> {
  const inputs = updates.map((u) => ({ id: u.id, properties: u.properties }));
  const send = (batch: typeof inputs) =>
    api.call('general', (client) => client.crm.companies.batchApi.updateWithHttpInfo({ inputs: batch }), signal) as Promise<BatchAnswer>;
  return sendBatches(
    updates.map((u) => u.id),
    inputs,
    send,
    false,
    false,
  );
}

export function taskState(task: HubSpotObject): HubSpotTaskState {
  const props = task.properties ?? {};
  const modifiedAt = instant(props[TASK_MODIFIED_PROPERTY] ?? undefined) ?? instant(task.updatedAt) ?? '';
  const status = props.hs_task_status ?? 'NOT_STARTED';
  const completedAt = status === 'COMPLETED' ? (instant(props.hs_task_completion_date ?? undefined) ?? modifiedAt) : null;
  return { id: String(task.id), status, completedAt, modifiedAt };
}

/**
 * Tasks modified at or after `since` (all tasks when null), oldest first: POST
 * /crm/v3/objects/tasks/search on hs_lastmodifieddate, 200 per page, through the search limiter,
 * in windows that stay under HubSpot's 10,000-result cap (object-pages' searchPages).
 */
export async function* readTasks(api: HubSpotApi, since: string | null, signal?: AbortSignal): AsyncGenerator<HubSpotTaskState[]> {
  for await (const page of searchPages(api, 'tasks', TASK_MODIFIED_PROPERTY, sinceMs(since) ?? 0, TASK_PROPERTIES, signal)) {
    if (page.items.length > 0) yield page.items.map(taskState);
  }
}
