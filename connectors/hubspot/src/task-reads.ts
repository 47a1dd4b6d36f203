import { CrmTaskMatch, CrmTaskState, NPS_TASK_SUBJECT_PREFIX } from '@connectors/core/src';
import { HubSpotApi } from './hubspot-api';
import { HubSpotObject } from './hubspot-object';
import { instant } from './hubspot-values';
import { searchPages, SearchFilter } from './object-pages';
import { sinceMs } from './read-cursor';

const TASK_MODIFIED_PROPERTY = 'hs_lastmodifieddate';
const TASK_CREATED_PROPERTY = 'hs_createdate';

/**
 * Narrows the search to tasks whose subject has the token "NPS" (CONTAINS_TOKEN matches whole
 * words); the exact rule, "starts with NPS", is applied to what comes back.
 */
const NPS_SUBJECT: SearchFilter = { propertyName: 'hs_task_subject', operator: 'CONTAINS_TOKEN', value: NPS_TASK_SUBJECT_PREFIX };

const ours = (task: HubSpotObject) => (task.properties?.hs_task_subject ?? '').startsWith(NPS_TASK_SUBJECT_PREFIX);

function taskState(task: HubSpotObject): CrmTaskState {
  const props = task.properties ?? {};
  const modifiedAt = instant(props[TASK_MODIFIED_PROPERTY] ?? undefined) ?? instant(task.updatedAt) ?? '';
  // HubSpot also knows IN_PROGRESS, WAITING and DEFERRED: all still open.
  const completed = props.hs_task_status === 'COMPLETED';
  const completedAt = completed ? (instant(props.hs_task_completion_date ?? undefined) ?? modifiedAt) : null;
  return { externalId: String(task.id), completed, completedAt, modifiedAt };
}

/**
 * Our tasks modified at or after `since` (all when null), oldest first: POST
 * /crm/v3/objects/tasks/search on hs_lastmodifieddate, 200 per page, through the search limiter,
 * in windows that stay under HubSpot's 10,000-result cap (object-pages' searchPages).
 */
export async function* readTasks(api: HubSpotApi, since: string | null, signal?: AbortSignal): AsyncGenerator<CrmTaskState[]> {
  const properties = ['hs_task_subject', 'hs_task_status', 'hs_task_completion_date', TASK_MODIFIED_PROPERTY];
  for await (const page of searchPages(api, 'tasks', TASK_MODIFIED_PROPERTY, sinceMs(since) ?? 0, properties, signal, [NPS_SUBJECT])) {
    const states = page.items.filter(ours).map(taskState);
    if (states.length > 0) yield states;
  }
}

/**
 * Our tasks created at or after `since`, to find what a create with an unknown outcome did:
 * the same search on hs_createdate. Search results carry no associations, so contact and
 * account are null (the caller matches on subject and due date); dueDate is the UTC date of
 * hs_timestamp. HubSpot indexes a new task for search within seconds, not instantly.
 */
export async function* findTasksCreatedSince(api: HubSpotApi, since: Date, signal?: AbortSignal): AsyncGenerator<CrmTaskMatch[]> {
  if (!Number.isFinite(since.getTime())) throw new Error('findTasksCreatedSince: since is not a valid date');
  const properties = ['hs_task_subject', 'hs_timestamp', TASK_CREATED_PROPERTY];
  for await (const page of searchPages(api, 'tasks', TASK_CREATED_PROPERTY, since.getTime(), properties, signal, [NPS_SUBJECT])) {
    const matches = page.items.filter(ours).flatMap((task): CrmTaskMatch[] => {
      const due = instant(task.properties.hs_timestamp ?? undefined);
      if (due === undefined) return [];
      return [{ externalId: String(task.id), subject: task.properties.hs_task_subject!, contactExternalId: null, accountExternalId: null, dueDate: due.slice(0, 10) }];
    });
    if (matches.length > 0) yield matches;
  }
}
