import { CrmObject, CrmRecordUpdate, CrmTaskInput, CrmWriteResult } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { BatchItem, writeInBatches } from './batch-writes';
import { HubSpotApi } from './hubspot-api';
import { blamedRecords, propertyValue } from './property-values';

const PRIORITY = { high: 'HIGH', normal: 'MEDIUM', low: 'LOW' } as const;
/** HubSpot record and owner ids are numbers (sent as strings). */
const HUBSPOT_ID = /^\d+$/;

type Association = { to: { id: string }; types: Array<{ associationCategory: 'HUBSPOT_DEFINED'; associationTypeId: number }> };
interface TaskCreateInput {
  objectWriteTraceId: string;
  properties: Record<string, string>;
  associations: Association[];
}

/**
 * The batch/create input for one task (rules §6: associated with the company, and with
 * the contact when there is one). hs_timestamp is the due instant; hs_task_type CALL for high
 * priority ("call the respondent", "check in ahead of the renewal"), TODO otherwise. The key
 * rides along as objectWriteTraceId, which HubSpot echoes on the result (and on 207 errors).
 */
function taskInput(task: CrmTaskInput): TaskCreateInput {
  const ids = hubspotDescriptor.associationTypeIds;
  const association = (id: string, typeId: number): Association => ({ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] });
  return {
    objectWriteTraceId: task.key,
    properties: {
      hs_timestamp: task.due.toISOString(),
      hs_task_subject: task.subject,
      hs_task_body: task.description,
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: PRIORITY[task.priority],
      hs_task_type: task.priority === 'high' ? 'CALL' : 'TODO',
      ...(task.ownerExternalId !== null ? { hubspot_owner_id: task.ownerExternalId } : {}),
    },
    associations: [association(task.accountExternalId, ids.taskToCompany), ...(task.contactExternalId !== null ? [association(task.contactExternalId, ids.taskToContact)] : [])],
  };
}

/** Why HubSpot would refuse this task before we ask it (then it is not sent at all). */
function taskProblem(task: CrmTaskInput): string | undefined {
  if (!Number.isFinite(task.due.getTime())) return 'due is not a valid date';
  if (!HUBSPOT_ID.test(task.accountExternalId)) return `company id ${JSON.stringify(task.accountExternalId)} is not a HubSpot id`;
  if (task.contactExternalId !== null && !HUBSPOT_ID.test(task.contactExternalId)) return `contact id ${JSON.stringify(task.contactExternalId)} is not a HubSpot id`;
  if (task.ownerExternalId !== null && !HUBSPOT_ID.test(task.ownerExternalId)) return `owner id ${JSON.stringify(task.ownerExternalId)} is not a HubSpot owner id`;
  return undefined;
}

/**
 * POST /crm/v3/objects/tasks/batch/create, 100 tasks per call (batch-writes.ts). Creates are
 * not idempotent in HubSpot, so a call is repeated only after a 429 (nothing written); a 5xx
 * or lost connection is OUTCOME_UNKNOWN (`outcomeUnknown`) for the caller to reconcile with
 * findTasksCreatedSince rather than risk duplicate tasks for a CSM.
 */
export async function createTasks(api: HubSpotApi, tasks: CrmTaskInput[], signal?: AbortSignal): Promise<CrmWriteResult[]> {
  const seen = new Set<string>();
  const duplicate = tasks.find((task) => seen.size === seen.add(task.key).size);
  if (duplicate !== undefined) throw new Error(`createTasks: key ${JSON.stringify(duplicate.key)} appears twice`);
  const refused = new Map<string, CrmWriteResult>();
  const items: Array<BatchItem<TaskCreateInput>> = [];
  for (const task of tasks) {
    const problem = taskProblem(task);
    if (problem) refused.set(task.key, { key: task.key, error: { code: 'INVALID_INPUT', message: problem, permanent: true } });
    else items.push({ key: task.key, input: taskInput(task) });
  }
  const written = await writeInBatches(items, {
    // `as never`: the SDK types associationCategory as its own enum.
    send: (inputs) => api.call('general', (client) => client.crm.objects.tasks.batchApi.createWithHttpInfo({ inputs } as never), signal, false),
    create: true,
    traced: true,
    culprits: blamedRecords,
  });
  const byKey = new Map(written.map((result) => [result.key, result]));
  return tasks.map((task) => refused.get(task.key) ?? byKey.get(task.key)!);
}

interface RecordUpdateInput {
  id: string;
  properties: Record<string, string>;
}

/**
 * POST /crm/v3/objects/{companies|contacts}/batch/update, 100 per call; results keyed by
 * externalId (the record id). Updates are idempotent, so retried. HubSpot refuses a batch that
 * names one id twice, so two updates of one record are merged (the later value wins) and share
 * one result. An update with nothing to write succeeds without a call.
 */
export async function updateRecords(api: HubSpotApi, object: CrmObject, updates: CrmRecordUpdate[], signal?: AbortSignal): Promise<CrmWriteResult[]> {
  const refused = new Map<CrmRecordUpdate, CrmWriteResult>();
  const merged = new Map<string, Record<string, string>>();
  for (const update of updates) {
    const properties: Record<string, string> = {};
    let problem = HUBSPOT_ID.test(update.externalId) ? undefined : `${JSON.stringify(update.externalId)} is not a HubSpot record id`;
    for (const [name, value] of Object.entries(update.fields)) {
      const converted = propertyValue(value);
      if (converted === undefined) problem ??= `${name} = ${String(value)} is not a number HubSpot can store`;
      else properties[name] = converted;
    }
    if (problem) refused.set(update, { key: update.externalId, error: { code: 'INVALID_INPUT', message: problem, permanent: true } });
    else merged.set(update.externalId, { ...merged.get(update.externalId), ...properties });
  }
  const items = [...merged].filter(([, properties]) => Object.keys(properties).length > 0).map(([id, properties]) => ({ key: id, input: { id, properties } }));
  const written = await writeInBatches<RecordUpdateInput>(items, {
    send: (inputs) =>
      api.call(
        'general',
        (client) => (object === 'account' ? client.crm.companies.batchApi.updateWithHttpInfo({ inputs }) : client.crm.contacts.batchApi.updateWithHttpInfo({ inputs })),
        signal,
      ),
    create: false,
    traced: false,
    culprits: blamedRecords,
  });
  const byId = new Map(written.map((result) => [result.key, result]));
  return updates.map((update) => refused.get(update) ?? byId.get(update.externalId) ?? { key: update.externalId, externalId: update.externalId });
}
