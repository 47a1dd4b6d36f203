import { SandboxCompany, SandboxContact, SandboxPortal } from './sandbox-data';
import { badRequest, SandboxAnswer } from './sandbox-errors';
import { historyJson, HISTORY_MAX } from './sandbox-history';
import { recordValues } from './sandbox-records';
import { SandboxSchema } from './sandbox-schema';

export type SandboxObjectType = 'companies' | 'contacts';
type SandboxRecord = SandboxCompany | SandboxContact;

/** HubSpot's page sizes and search limits. */
const LIST_MAX = 100;
export const SEARCH_MAX = 200;
export const SEARCH_CAP = 10_000;

/** The property each object's modification time goes by (contacts: lastmodifieddate only). */
const MODIFIED_PROPERTY: Record<SandboxObjectType, string> = { companies: 'hs_lastmodifieddate', contacts: 'lastmodifieddate' };
const DEFAULT_PROPERTIES: Record<SandboxObjectType, string[]> = {
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
};

const iso = (ms: number) => new Date(ms).toISOString();

export interface ObjectJsonOptions {
  properties?: string[];
  associations?: string[];
  schema: SandboxSchema;
}

/** One record as the v3 object endpoints return it. */
export function objectJson(portal: SandboxPortal, type: SandboxObjectType, record: SandboxRecord, options: ObjectJsonOptions) {
  const all = recordValues(portal, options.schema, type, record);
  const wanted = options.properties && options.properties.length > 0 ? options.properties : DEFAULT_PROPERTIES[type];
  const properties = Object.fromEntries(wanted.filter((name) => name in all).map((name) => [name, all[name]]));
  const json: Record<string, unknown> = {
    id: record.id,
    properties,
    createdAt: iso(record.createdMs),
    updatedAt: iso(record.modifiedMs),
    archived: record.archivedMs !== null,
    ...(record.archivedMs !== null ? { archivedAt: iso(record.archivedMs) } : {}),
  };
  const associations = embeddedAssociations(portal, type, record.id, options.associations ?? []);
  if (associations) json.associations = associations;
  return json;
}

/** `associations=companies|contacts` on a list call: ids by v3 type name (primary first). */
function embeddedAssociations(portal: SandboxPortal, type: SandboxObjectType, id: string, wanted: string[]) {
  const other = type === 'companies' ? 'contacts' : 'companies';
  if (!wanted.some((w) => w === other || w === other.slice(0, -1))) return undefined;
  const links = (type === 'companies' ? portal.linksByCompany : portal.linksByContact).get(id) ?? [];
  const results = links
    .filter((link) => portal.isLive(link))
    .flatMap((link) => {
      const otherId = type === 'companies' ? link.contactId : link.companyId;
      const base = type === 'companies' ? 'company_to_contact' : 'contact_to_company';
      return [...(link.primary ? [{ id: otherId, type: base }] : []), { id: otherId, type: `${base}_unlabeled` }];
    });
  return results.length > 0 ? { [other]: { results } } : undefined;
}

function records(portal: SandboxPortal, type: SandboxObjectType): SandboxRecord[] {
  return type === 'companies' ? portal.companies : portal.contacts;
}

/**
 * GET /crm/v3/objects/{type}: id order, `limit` clamped to 100 as HubSpot does, `after` = next id.
 * `propertiesWithHistory` adds each record's past values and needs limit ≤ 50.
 */
export function listObjects(portal: SandboxPortal, type: SandboxObjectType, query: URLSearchParams, schema: SandboxSchema): SandboxAnswer {
  const limit = Math.min(LIST_MAX, Math.max(1, Number(query.get('limit') ?? 10) || 10));
  const withHistory = multi(query, 'propertiesWithHistory');
  if (withHistory.length > 0 && limit > HISTORY_MAX) {
    return badRequest(`The maximum number of objects supported in a page with property histories is ${HISTORY_MAX}. Please reduce the limit and try again`);
  }
  const archived = query.get('archived') === 'true';
  const after = query.get('after');
  const all = records(portal, type);
  let index = after ? lowerBound(all, after) : 0;
  const page: SandboxRecord[] = [];
  let next: string | undefined;
  for (; index < all.length; index++) {
    if ((all[index].archivedMs !== null) !== archived) continue;
    if (page.length === limit) {
      next = all[index].id;
      break;
    }
    page.push(all[index]);
  }
  const options = { properties: multi(query, 'properties'), associations: multi(query, 'associations'), schema };
  return {
    status: 200,
    body: {
      results: page.map((r) => {
        const json = objectJson(portal, type, r, options);
        return withHistory.length > 0 ? { ...json, propertiesWithHistory: historyJson(portal, type, r.id, withHistory) } : json;
      }),
      ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}),
    },
  };
}

interface SearchBody {
  filterGroups?: Array<{ filters?: Array<{ propertyName?: string; operator?: string; value?: string }> }>;
  sorts?: Array<string | { propertyName?: string; direction?: string }>;
  properties?: string[];
  limit?: number;
  after?: string;
}

const OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  EQ: (a, b) => a === b,
  GT: (a, b) => a > b,
  GTE: (a, b) => a >= b,
  LT: (a, b) => a < b,
  LTE: (a, b) => a <= b,
};

/** POST /crm/v3/objects/{type}/search on the modification time: ≤ 200 a page, 10,000 per query. */
export function searchObjects(portal: SandboxPortal, type: SandboxObjectType, body: SearchBody, schema: SandboxSchema): SandboxAnswer {
  const limit = body.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_MAX) return badRequest(`limit must be between 1 and ${SEARCH_MAX}`);
  const after = Number(body.after ?? 0);
  if (!Number.isInteger(after) || after < 0) return badRequest(`after must be a number, got ${JSON.stringify(body.after)}`);
  if (after >= SEARCH_CAP) return badRequest(`The search API cannot page past ${SEARCH_CAP} results (after=${after}); narrow the filters.`);
  const modified = MODIFIED_PROPERTY[type];
  const groups = body.filterGroups ?? [];
  for (const filter of groups.flatMap((g) => g.filters ?? [])) {
    if (filter.propertyName !== modified) return badRequest(`Property ${filter.propertyName} cannot be searched in this sandbox; use ${modified}.`);
    if (!filter.operator || !OPERATORS[filter.operator]) return badRequest(`Unsupported filter operator ${filter.operator}.`);
    if (!Number.isFinite(Number(filter.value)) && !Number.isFinite(Date.parse(filter.value ?? ''))) return badRequest(`Bad filter value ${filter.value}.`);
  }
  const value = (v: string | undefined) => (Number.isFinite(Number(v)) ? Number(v) : Date.parse(v ?? ''));
  const matches = records(portal, type).filter(
    (r) => r.archivedMs === null && (groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => OPERATORS[f.operator!](r.modifiedMs, value(f.value))))),
  );
  const sort = body.sorts?.[0];
  const sortName = typeof sort === 'string' ? sort.replace(/^-/, '') : sort?.propertyName;
  const descending = typeof sort === 'string' ? sort.startsWith('-') : sort?.direction === 'DESCENDING';
  if (sortName !== undefined && sortName !== modified && sortName !== 'hs_object_id') return badRequest(`Cannot sort on ${sortName} in this sandbox.`);
  const byModified = sortName === modified;
  matches.sort((a, b) => (byModified ? a.modifiedMs - b.modifiedMs : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (descending) matches.reverse();
  const page = matches.slice(after, after + limit);
  const next = after + limit < matches.length ? String(after + limit) : undefined;
  return {
    status: 200,
    body: {
      total: matches.length,
      results: page.map((r) => objectJson(portal, type, r, { properties: body.properties, schema })),
      ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}),
    },
  };
}

/** Repeated (`a=1&a=2`) or comma-separated (`a=1,2`) query values. */
function multi(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** First index whose id is ≥ `id` (ids are equal-length digit strings, so text order is numeric). */
function lowerBound(all: SandboxRecord[], id: string): number {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (all[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
