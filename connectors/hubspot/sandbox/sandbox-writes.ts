import { randomUUID } from 'node:crypto';
import { SandboxCompany, SandboxPortal } from './sandbox-data';
import { badRequest, hubspotError, SandboxAnswer } from './sandbox-errors';
import { SEARCH_CAP, SEARCH_MAX } from './sandbox-objects';

/** HubSpot's batch limit (vendor-apis.md §2 "Batch read/create/update/upsert"). */
export const BATCH_MAX = 100;
const ENUMS: Record<string, readonly string[]> = {
  hs_task_status: ['NOT_STARTED', 'COMPLETED'],
  hs_task_priority: ['LOW', 'MEDIUM', 'HIGH'],
  hs_task_type: ['EMAIL', 'CALL', 'TODO'],
};
const TASK_PROPERTIES = new Set(['hs_timestamp', 'hs_task_subject', 'hs_task_body', 'hubspot_owner_id', ...Object.keys(ENUMS)]);
/** Association type ids a task may be created with (SDK AssociationTypes): task→contact, task→company. */
const TASK_TO = { 204: 'contacts', 192: 'companies' } as const;
/** Company properties the sandbox stores on its records; `nps_*` stand for the setup's custom properties. */
const COMPANY_FIELDS: Record<string, keyof SandboxCompany> = {
  name: 'name',
  domain: 'domain',
  arr: 'arr',
  renewal_date: 'renewalDate',
  tier: 'tier',
  customer_since: 'customerSince',
  product_usage_score: 'usage',
  hubspot_owner_id: 'ownerId',
};
const isCustom = (name: string) => /^nps_[a-z0-9_]+$/.test(name);

export interface SandboxTask {
  id: string;
  properties: Record<string, string>;
  contactIds: string[];
  companyIds: string[];
  createdMs: number;
  modifiedMs: number;
}

interface BatchBody<I> {
  inputs?: I[];
}
type TaskInput = {
  properties?: Record<string, unknown>;
  associations?: Array<{ to?: { id?: string }; types?: Array<{ associationCategory?: string; associationTypeId?: number }> }>;
  objectWriteTraceId?: string;
};

const iso = (ms: number) => new Date(ms).toISOString();

/** HubSpot's answer to invalid property values: one 400 for the batch, the details inside the message. */
function invalidProperties(errors: Array<{ name: string; error: string; message: string }>): SandboxAnswer {
  const details = errors.map((e) => ({ isValid: false, message: e.message, error: e.error, name: e.name, localizedErrorMessage: e.message }));
  return hubspotError(400, `Property values were not valid: ${JSON.stringify(details)}`, 'VALIDATION_ERROR');
}

function tooMany(count: number): SandboxAnswer {
  return badRequest(`Batch size ${count} exceeds the limit of ${BATCH_MAX} inputs`);
}

function batchAnswer(status: number, results: unknown[], errors: unknown[] = []): SandboxAnswer {
  const now = iso(Date.now());
  return { status, body: { status: 'COMPLETE', results, ...(errors.length ? { numErrors: errors.length, errors } : {}), startedAt: now, completedAt: now } };
}

/** Tasks and the company write-back, kept beside the generated portal. */
export class SandboxWrites {
  readonly tasks: SandboxTask[] = [];
  readonly taskById = new Map<string, SandboxTask>();
  /** Custom (`nps_*`) company property values written through batch/update. */
  readonly companyCustom = new Map<string, Record<string, string>>();
  private nextId = 90_000_000_001;

  constructor(private readonly portal: SandboxPortal) {}

  /** POST /crm/v3/objects/tasks/batch/create: all inputs validated first; one bad input fails the batch. */
  createTasks(body: BatchBody<TaskInput>): SandboxAnswer {
    const inputs = body.inputs;
    if (!Array.isArray(inputs)) return badRequest('inputs is required');
    if (inputs.length > BATCH_MAX) return tooMany(inputs.length);
    for (const input of inputs) {
      const invalid = this.taskErrors(input.properties ?? {});
      if (invalid.length > 0) return invalidProperties(invalid);
      for (const association of input.associations ?? []) {
        const answer = this.associationError(association);
        if (answer) return answer;
      }
    }
    const results = inputs.map((input) => {
      const now = this.portal.touch();
      const links = (typeId: number) =>
        (input.associations ?? []).filter((a) => a.types?.some((t) => t.associationTypeId === typeId)).map((a) => String(a.to!.id));
      const properties = Object.fromEntries(Object.entries(input.properties ?? {}).map(([k, v]) => [k, String(v)]));
      if (/^\d+$/.test(properties.hs_timestamp)) properties.hs_timestamp = iso(Number(properties.hs_timestamp));
      properties.hs_task_status ??= 'NOT_STARTED';
      const task: SandboxTask = { id: String(this.nextId++), properties, contactIds: links(204), companyIds: links(192), createdMs: now, modifiedMs: now };
      this.tasks.push(task);
      this.taskById.set(task.id, task);
      return { ...this.taskJson(task), ...(input.objectWriteTraceId !== undefined ? { objectWriteTraceId: input.objectWriteTraceId } : {}) };
    });
    return batchAnswer(201, results);
  }

  /** POST /crm/v3/objects/companies/batch/update: unknown property → 400 for the batch; unknown ids → 207. */
  updateCompanies(body: BatchBody<{ id?: string; properties?: Record<string, unknown> }>): SandboxAnswer {
    const inputs = body.inputs;
    if (!Array.isArray(inputs)) return badRequest('inputs is required');
    if (inputs.length > BATCH_MAX) return tooMany(inputs.length);
    const unknown = inputs.flatMap((i) => Object.keys(i.properties ?? {})).filter((name) => !(name in COMPANY_FIELDS) && !isCustom(name));
    if (unknown.length > 0) {
      return invalidProperties(
        [...new Set(unknown)].map((name) => ({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` })),
      );
    }
    const missing: string[] = [];
    const results: unknown[] = [];
    for (const input of inputs) {
      const company = this.portal.companyById.get(String(input.id));
      if (!company || company.archivedMs !== null) {
        missing.push(String(input.id));
        continue;
      }
      const custom = this.companyCustom.get(company.id) ?? {};
      for (const [name, value] of Object.entries(input.properties ?? {})) {
        if (name in COMPANY_FIELDS) (company as unknown as Record<string, unknown>)[COMPANY_FIELDS[name]] = String(value);
        else custom[name] = String(value);
      }
      this.companyCustom.set(company.id, custom);
      company.modifiedMs = this.portal.touch();
      results.push({ id: company.id, properties: { ...input.properties, hs_lastmodifieddate: iso(company.modifiedMs) }, createdAt: iso(company.createdMs), updatedAt: iso(company.modifiedMs), archived: false });
    }
    if (missing.length === 0) return batchAnswer(200, results);
    const error = {
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      message: 'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.',
      context: { ids: missing },
      correlationId: randomUUID(),
    };
    return batchAnswer(207, results, [error]);
  }

  /** POST /crm/v3/objects/tasks/search on hs_lastmodifieddate only: ≤ 200 a page, 10,000 per query. */
  searchTasks(body: {
    filterGroups?: Array<{ filters?: Array<{ propertyName?: string; operator?: string; value?: string }> }>;
    sorts?: Array<string | { propertyName?: string; direction?: string }>;
    properties?: string[];
    limit?: number;
    after?: string;
  }): SandboxAnswer {
    const limit = body.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_MAX) return badRequest(`limit must be between 1 and ${SEARCH_MAX}`);
    const after = Number(body.after ?? 0);
    if (!Number.isInteger(after) || after < 0 || after >= SEARCH_CAP) return badRequest(`The search API cannot page past ${SEARCH_CAP} results (after=${body.after}).`);
    const filters = (body.filterGroups ?? []).flatMap((g) => g.filters ?? []);
    let floor = -Infinity;
    for (const f of filters) {
      if (f.propertyName !== 'hs_lastmodifieddate' || f.operator !== 'GTE') return badRequest('This sandbox searches tasks on hs_lastmodifieddate GTE only.');
      floor = Math.max(floor, Number.isFinite(Number(f.value)) ? Number(f.value) : Date.parse(f.value ?? ''));
    }
    const sort = body.sorts?.[0];
    const sortName = typeof sort === 'string' ? sort.replace(/^-/, '') : sort?.propertyName;
    if (sortName !== undefined && sortName !== 'hs_lastmodifieddate') return badRequest(`Cannot sort on ${sortName} in this sandbox.`);
    const matches = this.tasks.filter((t) => t.modifiedMs >= floor).sort((a, b) => a.modifiedMs - b.modifiedMs || Number(a.id) - Number(b.id));
    const page = matches.slice(after, after + limit);
    const next = after + limit < matches.length ? String(after + limit) : undefined;
    return {
      status: 200,
      body: {
        total: matches.length,
        results: page.map((t) => this.taskJson(t, body.properties)),
        ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}),
      },
    };
  }

  /** A CSM completes a task in HubSpot: status COMPLETED, completion and modification times now. */
  completeTask(id: string): SandboxTask {
    const task = this.taskById.get(id);
    if (!task) throw new Error(`no sandbox task ${id}`);
    task.modifiedMs = this.portal.touch();
    task.properties.hs_task_status = 'COMPLETED';
    task.properties.hs_task_completion_date = iso(task.modifiedMs);
    return task;
  }

  private taskJson(task: SandboxTask, wanted?: string[]) {
    const all: Record<string, string> = { ...task.properties, hs_object_id: task.id, hs_createdate: iso(task.createdMs), hs_lastmodifieddate: iso(task.modifiedMs) };
    const names = wanted && wanted.length > 0 ? wanted : Object.keys(all);
    const properties = Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]]));
    return { id: task.id, properties, createdAt: iso(task.createdMs), updatedAt: iso(task.modifiedMs), archived: false };
  }

  private taskErrors(properties: Record<string, unknown>): Array<{ name: string; error: string; message: string }> {
    const errors: Array<{ name: string; error: string; message: string }> = [];
    const timestamp = properties.hs_timestamp;
    if (timestamp === undefined || timestamp === null || timestamp === '') {
      errors.push({ name: 'hs_timestamp', error: 'REQUIRED_PROPERTY', message: 'Property "hs_timestamp" is required' });
    } else if (!/^\d+$/.test(String(timestamp)) && !Number.isFinite(Date.parse(String(timestamp)))) {
      errors.push({ name: 'hs_timestamp', error: 'INVALID_DATE', message: `${String(timestamp)} was not a valid long or ISO 8601 timestamp` });
    }
    for (const [name, options] of Object.entries(ENUMS)) {
      const value = properties[name];
      if (value !== undefined && !options.includes(String(value))) {
        errors.push({ name, error: 'INVALID_OPTION', message: `${String(value)} was not one of the allowed options: [${options.join(', ')}]` });
      }
    }
    for (const name of Object.keys(properties)) {
      if (!TASK_PROPERTIES.has(name)) errors.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
    }
    const owner = properties.hubspot_owner_id;
    if (owner !== undefined && owner !== '' && !this.portal.owners.some((o) => o.id === String(owner))) {
      errors.push({ name: 'hubspot_owner_id', error: 'INVALID_OWNER_ID', message: `${String(owner)} is not a valid owner id` });
    }
    return errors;
  }

  private associationError(association: NonNullable<TaskInput['associations']>[number]): SandboxAnswer | undefined {
    const id = String(association.to?.id ?? '');
    for (const type of association.types ?? []) {
      const to = type.associationCategory === 'HUBSPOT_DEFINED' ? TASK_TO[type.associationTypeId as keyof typeof TASK_TO] : undefined;
      if (!to) return badRequest(`Invalid association type ${type.associationCategory}/${type.associationTypeId} for tasks`);
      const record = to === 'contacts' ? this.portal.contactById.get(id) : this.portal.companyById.get(id);
      if (!record || record.archivedMs !== null) {
        return hubspotError(400, `No ${to === 'contacts' ? 'contact' : 'company'} with ID ${id} exists to associate with.`, 'VALIDATION_ERROR', {
          subCategory: 'crm-associations.INVALID_OBJECT_IDS',
        });
      }
    }
    return association.types?.length ? undefined : badRequest('Each association needs at least one type');
  }
}
