import { SandboxPortal } from './sandbox-data';
import { badRequest, BATCH_MAX, hubspotError, invalidProperties, PropertyProblem, propertyValuesBody, SandboxAnswer, tooManyInputs } from './sandbox-errors';
import { SEARCH_CAP, SEARCH_MAX } from './sandbox-objects';
import { searchTasks, TaskSearchBody } from './sandbox-task-search';

const ENUMS: Record<string, readonly string[]> = {
  hs_task_status: ['NOT_STARTED', 'COMPLETED'],
  hs_task_priority: ['LOW', 'MEDIUM', 'HIGH'],
  hs_task_type: ['EMAIL', 'CALL', 'TODO'],
};
const TASK_PROPERTIES = new Set(['hs_timestamp', 'hs_task_subject', 'hs_task_body', 'hubspot_owner_id', ...Object.keys(ENUMS)]);
/** Association type ids a task may be created with (SDK AssociationTypes): task→contact, task→company. */
const TASK_TO = { 204: 'contacts', 192: 'companies' } as const;

/** A task as stored: its properties as HubSpot would return them, and its associations. */
export interface SandboxTask {
  id: string;
  properties: Record<string, string>;
  contactIds: string[];
  companyIds: string[];
  createdMs: number;
  modifiedMs: number;
}

/** A task as tests read it: what a CSM sees in HubSpot. */
export interface SandboxTaskView {
  id: string;
  subject: string | null;
  body: string | null;
  ownerId: string | null;
  /** hs_timestamp as an ISO instant. */
  dueAt: string | null;
  priority: string | null;
  type: string | null;
  status: string;
  completedAt: string | null;
  contactIds: string[];
  companyIds: string[];
  createdAt: string;
  modifiedAt: string;
  properties: Record<string, string>;
}

type TaskInput = {
  properties?: Record<string, unknown>;
  associations?: Array<{ to?: { id?: string }; types?: Array<{ associationCategory?: string; associationTypeId?: number }> }>;
  objectWriteTraceId?: string;
};

const iso = (ms: number) => new Date(ms).toISOString();

function envelope(status: number, results: unknown[], errors: unknown[] = []): SandboxAnswer {
  const now = iso(Date.now());
  return { status, body: { status: 'COMPLETE', results, ...(errors.length ? { numErrors: errors.length, errors } : {}), startedAt: now, completedAt: now } };
}

/** The follow-up tasks created through the API. */
export class SandboxTasks {
  readonly all: SandboxTask[] = [];
  private readonly byId = new Map<string, SandboxTask>();
  private nextId = 90_000_000_001;

  constructor(private readonly portal: SandboxPortal) {}

  /** Tasks saved before a restart (sandbox-state.ts): kept, and new ids continue after theirs. */
  restore(tasks: SandboxTask[]): void {
    for (const task of tasks) {
      this.all.push(task);
      this.byId.set(task.id, task);
      this.nextId = Math.max(this.nextId, Number(task.id) + 1);
    }
  }

  /**
   * POST /crm/v3/objects/tasks/batch/create. Every association must name a live record, else
   * the whole batch is refused (400). Invalid property values refuse the whole batch too,
   * unless every input carries an objectWriteTraceId: then, as HubSpot's multi-status mode
   * does, the valid tasks are created and the others come back under `errors` (207).
   */
  create(body: { inputs?: TaskInput[] }): SandboxAnswer {
    const inputs = body.inputs;
    if (!Array.isArray(inputs)) return badRequest('inputs is required');
    if (inputs.length > BATCH_MAX) return tooManyInputs();
    for (const association of inputs.flatMap((input) => input.associations ?? [])) {
      const refused = this.associationError(association);
      if (refused) return refused;
    }
    const problems = inputs.map((input) => this.problems(input.properties ?? {}));
    const traced = inputs.every((input) => typeof input.objectWriteTraceId === 'string' && input.objectWriteTraceId !== '');
    if (!traced && problems.some((p) => p.length > 0)) return invalidProperties(problems.flat());
    const results: unknown[] = [];
    const errors: unknown[] = [];
    inputs.forEach((input, i) => {
      if (problems[i].length > 0) {
        errors.push({ ...propertyValuesBody(problems[i]), context: { objectWriteTraceId: [input.objectWriteTraceId!] } });
        return;
      }
      const task = this.store(input);
      results.push({ ...this.json(task), ...(input.objectWriteTraceId !== undefined ? { objectWriteTraceId: input.objectWriteTraceId } : {}) });
    });
    return errors.length > 0 ? envelope(207, results, errors) : envelope(201, results);
  }

  /** POST /crm/v3/objects/tasks/search (see sandbox-task-search.ts). */
  search(body: TaskSearchBody): SandboxAnswer {
    const limit = body.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_MAX) return badRequest(`limit must be between 1 and ${SEARCH_MAX}`);
    const after = Number(body.after ?? 0);
    if (!Number.isInteger(after) || after < 0 || after >= SEARCH_CAP) return badRequest(`The search API cannot page past ${SEARCH_CAP} results (after=${body.after}).`);
    const found = searchTasks(this.all, body, (task) => this.values(task));
    if ('status' in found) return found;
    const page = found.slice(after, after + limit);
    const next = after + limit < found.length ? String(after + limit) : undefined;
    return {
      status: 200,
      body: {
        total: found.length,
        results: page.map((task) => this.json(task, body.properties)),
        ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}),
      },
    };
  }

  /** A CSM completes a task in HubSpot: status COMPLETED, completion and modification times now. */
  complete(id: string): SandboxTask {
    const task = this.byId.get(id);
    if (!task) throw new Error(`no sandbox task ${id}`);
    task.modifiedMs = this.portal.touch();
    task.properties.hs_task_status = 'COMPLETED';
    task.properties.hs_task_completion_date = iso(task.modifiedMs);
    return task;
  }

  view(task: SandboxTask): SandboxTaskView {
    const p = task.properties;
    return {
      id: task.id,
      subject: p.hs_task_subject ?? null,
      body: p.hs_task_body ?? null,
      ownerId: p.hubspot_owner_id || null,
      dueAt: p.hs_timestamp ?? null,
      priority: p.hs_task_priority ?? null,
      type: p.hs_task_type ?? null,
      status: p.hs_task_status,
      completedAt: p.hs_task_completion_date ?? null,
      contactIds: [...task.contactIds],
      companyIds: [...task.companyIds],
      createdAt: iso(task.createdMs),
      modifiedAt: iso(task.modifiedMs),
      properties: { ...p },
    };
  }

  private store(input: TaskInput): SandboxTask {
    const now = this.portal.touch();
    const links = (typeId: number) => (input.associations ?? []).filter((a) => a.types?.some((t) => t.associationTypeId === typeId)).map((a) => String(a.to!.id));
    const properties = Object.fromEntries(Object.entries(input.properties ?? {}).map(([k, v]) => [k, String(v)]));
    if (/^\d+$/.test(properties.hs_timestamp)) properties.hs_timestamp = iso(Number(properties.hs_timestamp));
    else properties.hs_timestamp = iso(Date.parse(properties.hs_timestamp));
    properties.hs_task_status ??= 'NOT_STARTED';
    const task: SandboxTask = { id: String(this.nextId++), properties, contactIds: links(204), companyIds: links(192), createdMs: now, modifiedMs: now };
    this.all.push(task);
    this.byId.set(task.id, task);
    return task;
  }

  private values(task: SandboxTask): Record<string, string> {
    return { ...task.properties, hs_object_id: task.id, hs_createdate: iso(task.createdMs), hs_lastmodifieddate: iso(task.modifiedMs) };
  }

  private json(task: SandboxTask, wanted?: string[]) {
    const all = this.values(task);
    const names = wanted && wanted.length > 0 ? wanted : Object.keys(all);
    const properties = Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]]));
    return { id: task.id, properties, createdAt: iso(task.createdMs), updatedAt: iso(task.modifiedMs), archived: false };
  }

  private problems(properties: Record<string, unknown>): PropertyProblem[] {
    const problems: PropertyProblem[] = [];
    const timestamp = properties.hs_timestamp;
    if (timestamp === undefined || timestamp === null || timestamp === '') {
      problems.push({ name: 'hs_timestamp', error: 'REQUIRED_PROPERTY', message: 'Property "hs_timestamp" is required' });
    } else if (!/^\d+$/.test(String(timestamp)) && !Number.isFinite(Date.parse(String(timestamp)))) {
      problems.push({ name: 'hs_timestamp', error: 'INVALID_DATE', message: `${String(timestamp)} was not a valid long or ISO 8601 timestamp`, value: String(timestamp) });
    }
    for (const [name, options] of Object.entries(ENUMS)) {
      const value = properties[name];
      if (value !== undefined && !options.includes(String(value))) {
        problems.push({ name, error: 'INVALID_OPTION', message: `${String(value)} was not one of the allowed options: [${options.join(', ')}]`, value: String(value) });
      }
    }
    for (const name of Object.keys(properties)) {
      if (!TASK_PROPERTIES.has(name)) problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
    }
    const owner = properties.hubspot_owner_id;
    if (owner !== undefined && owner !== '' && !this.portal.owners.some((o) => o.id === String(owner) && !o.archived)) {
      problems.push({ name: 'hubspot_owner_id', error: 'INVALID_OWNER_ID', message: `${String(owner)} is not a valid owner id`, value: String(owner) });
    }
    return problems;
  }

  private associationError(association: NonNullable<TaskInput['associations']>[number]): SandboxAnswer | undefined {
    const id = String(association.to?.id ?? '');
    if (!association.types?.length) return badRequest('Each association needs at least one type');
    for (const type of association.types) {
      const to = type.associationCategory === 'HUBSPOT_DEFINED' ? TASK_TO[type.associationTypeId as keyof typeof TASK_TO] : undefined;
      if (!to) return badRequest(`Invalid association type ${type.associationCategory}/${type.associationTypeId} for tasks`);
      const record = to === 'contacts' ? this.portal.contactById.get(id) : this.portal.companyById.get(id);
      if (!record || record.archivedMs !== null) {
        return hubspotError(400, `No ${to === 'contacts' ? 'contact' : 'company'} with ID ${id} exists to associate with.`, 'VALIDATION_ERROR', {
          subCategory: 'crm-associations.INVALID_OBJECT_IDS',
        });
      }
    }
    return undefined;
  }
}
