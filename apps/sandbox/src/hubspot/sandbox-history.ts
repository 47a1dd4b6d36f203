import { randomSource, SandboxPortal } from './sandbox-data';
import { badRequest, BATCH_MAX, hubspotError, SandboxAnswer, tooManyInputs } from './sandbox-errors';
import { objectJson, SandboxObjectType } from './sandbox-objects';
import { SandboxSchema } from './sandbox-schema';

/** One past value of a property, as HubSpot keeps it: newest first in answers. */
export interface SandboxHistoryEntry {
  value: string;
  timestamp: number;
  sourceType: string;
}

/** HubSpot reads property histories for at most 50 records per request (batch read or list page). */
export const HISTORY_MAX = 50;
const DAY = 86_400_000;

/** Appends a value a property took on `record` at `at` (stored oldest first). */
export function recordHistory(portal: SandboxPortal, type: SandboxObjectType, id: string, property: string, value: string, at: number, sourceType: string): void {
  const byRecord = portal.history[type];
  const properties = byRecord.get(id) ?? {};
  (properties[property] ??= []).push({ value, timestamp: at, sourceType });
  byRecord.set(id, properties);
}

/** `propertiesWithHistory` of one record: every asked property, its values newest first ([] when never set). */
export function historyJson(portal: SandboxPortal, type: SandboxObjectType, id: string, properties: string[]) {
  const kept = portal.history[type].get(id) ?? {};
  return Object.fromEntries(
    properties.map((name) => [name, [...(kept[name] ?? [])].reverse().map((e) => ({ value: e.value, timestamp: new Date(e.timestamp).toISOString(), sourceType: e.sourceType }))]),
  );
}

/**
 * ARR history for the generated companies (own random source: the portal is the same for a
 * seed with or without it). ARR was first set when the company was created, or for about one
 * in ten recently (an import within the last 170 days: no history reaching 180 days back, so
 * activity reads "unknown"), then changed 0–3 times up to the company's last modification; the
 * last value is today's `arr`.
 */
export function generateArrHistory(portal: SandboxPortal, seed: number, now: number): void {
  const r = randomSource(seed ^ 0x5eed);
  const between = (lo: number, hi: number) => lo + Math.floor(r() * Math.max(1, hi - lo));
  for (const company of portal.companies) {
    if (company.arr === null) continue;
    const recent = r() < 0.1;
    const first = Math.min(company.modifiedMs, recent ? now - between(20, 170) * DAY : company.createdMs);
    const drawn = Math.floor(r() * 4);
    // Distinct instants after the first value, up to the last modification.
    const times = [...new Set(Array.from({ length: drawn }, () => between(first + 1, company.modifiedMs + 1)))].filter((t) => t > first).sort((a, b) => a - b);
    const changes = times.length;
    const cents = [Math.round(Number(company.arr) * 100)];
    for (let i = 0; i < changes; i++) cents.unshift(Math.max(10_000, Math.round((cents[0] * 100) / between(80, 131))));
    // Oldest first; the newest entry is today's value exactly as stored.
    const values = cents.map((c, i) => (i === cents.length - 1 ? company.arr! : c % 100 === 0 ? String(c / 100) : (c / 100).toFixed(2)));
    [first, ...times].forEach((at, i) => recordHistory(portal, 'companies', company.id, 'arr', values[i], at, 'CRM_UI'));
  }
}

interface BatchReadBody {
  inputs?: Array<{ id?: unknown }>;
  properties?: string[];
  propertiesWithHistory?: string[];
  idProperty?: string;
}

/**
 * POST /crm/v3/objects/{type}/batch/read: ≤ 100 inputs, ≤ 50 when `propertiesWithHistory` is
 * asked (HubSpot's own 400 otherwise); unknown or archived ids → 207 listing them.
 */
export function batchRead(portal: SandboxPortal, schema: SandboxSchema, type: SandboxObjectType, body: BatchReadBody): SandboxAnswer {
  if (!Array.isArray(body.inputs)) return badRequest('inputs is required');
  if (body.idProperty !== undefined && body.idProperty !== 'hs_object_id') return badRequest(`idProperty ${body.idProperty} is not a unique property in this sandbox`);
  const withHistory = body.propertiesWithHistory ?? [];
  if (withHistory.length > 0 && body.inputs.length > HISTORY_MAX) {
    return badRequest(`The maximum number of inputs supported in a batch request for property histories is ${HISTORY_MAX}. Please reduce the number of items and try again`);
  }
  if (body.inputs.length > BATCH_MAX) return tooManyInputs();
  const records = type === 'companies' ? portal.companyById : portal.contactById;
  const missing: string[] = [];
  const results: unknown[] = [];
  for (const input of body.inputs) {
    const id = String(input.id ?? '');
    const record = records.get(id);
    if (!record || record.archivedMs !== null) {
      missing.push(id);
      continue;
    }
    const json = objectJson(portal, type, record, { properties: body.properties, schema });
    results.push(withHistory.length > 0 ? { ...json, propertiesWithHistory: historyJson(portal, type, id, withHistory) } : json);
  }
  const now = new Date().toISOString();
  const envelope = { status: 'COMPLETE', results, startedAt: now, completedAt: now };
  if (missing.length === 0) return { status: 200, body: envelope };
  const error = hubspotError(
    404,
    `Could not get some ${type === 'companies' ? 'COMPANY' : 'CONTACT'} objects, they may be deleted or not exist. Check that ids are valid.`,
    'OBJECT_NOT_FOUND',
    {
      context: { ids: missing },
    },
  ).body;
  return { status: 207, body: { ...envelope, numErrors: 1, errors: [error] } };
}
