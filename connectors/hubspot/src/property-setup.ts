import { CrmFieldSpec, CrmObject, FieldSetupResult, VendorError } from '@connectors/core/src';
import { hubspotDescriptor } from '../descriptor';
import { HubSpotApi } from './hubspot-api';
import { propertyCreate, propertyMismatch } from './property-shapes';

const OBJECT_TYPE: Record<CrmObject, 'companies' | 'contacts'> = { account: 'companies', contact: 'contacts' };
/** HubSpot internal property names: lowercase letters, digits and underscores, starting with a letter. */
const PROPERTY_NAME = /^[a-z][a-z0-9_]*$/;

type Manual = FieldSetupResult['manual'][number];

/** A refusal an admin resolves (403 MISSING_SCOPES, a name HubSpot will not take), not a failure of the run. */
function adminProblem(error: unknown): string | undefined {
  if (!(error instanceof VendorError)) return undefined;
  if (error.details.status === 403 || error.kind === 'invalid') return `HubSpot refused: ${error.message}${error.details.code ? ` (${error.details.code})` : ''}`;
  return undefined;
}

/**
 * The setup command's side of rules §8: for companies and contacts, the properties nps-bridge writes,
 * in the group `nps_bridge`. Per object type: one read of its properties (enough when all
 * exist), then the group (read, created if missing) and one batch create of the missing ones.
 * What HubSpot refuses for permission reasons (403 MISSING_SCOPES: the app lacks
 * crm.schemas.*.write) or validation comes back in `manual` with HubSpot's words; so does an
 * existing property of a type we cannot write. Any other failure (auth, outage) is thrown.
 */
export async function ensureFields(api: HubSpotApi, fields: CrmFieldSpec[], signal?: AbortSignal): Promise<FieldSetupResult> {
  const result: FieldSetupResult = { created: [], existing: [], manual: [] };
  for (const object of ['account', 'contact'] as const) {
    const specs = fields.filter((field) => field.object === object);
    const named: CrmFieldSpec[] = [];
    for (const spec of specs) {
      if (!PROPERTY_NAME.test(spec.name)) result.manual.push({ ...spec, reason: `"${spec.name}" is not a HubSpot internal name (lowercase letters, digits, _)` });
      else if (named.some((other) => other.name === spec.name))
        result.manual.push({ ...spec, reason: `"${spec.name}" is configured for two ${object} fields; one property cannot hold both` });
      else named.push(spec);
    }
    if (named.length > 0) await ensureForType(api, OBJECT_TYPE[object], named, result, signal);
  }
  const order = (list: CrmFieldSpec[]) => list.sort((a, b) => fields.indexOf(a) - fields.indexOf(b));
  order(result.created);
  order(result.existing);
  result.manual.sort((a, b) => fields.findIndex((f) => f.name === a.name && f.object === a.object) - fields.findIndex((f) => f.name === b.name && f.object === b.object));
  return result;
}

async function ensureForType(api: HubSpotApi, type: 'companies' | 'contacts', specs: CrmFieldSpec[], result: FieldSetupResult, signal?: AbortSignal): Promise<void> {
  const manual = (list: CrmFieldSpec[], reason: string) => result.manual.push(...list.map((spec): Manual => ({ ...spec, reason })));
  let defined;
  try {
    defined = await api.call('general', (client) => client.crm.properties.coreApi.getAllWithHttpInfo(type), signal);
  } catch (error) {
    const problem = adminProblem(error);
    if (problem === undefined) throw error;
    return void manual(specs, problem);
  }
  const byName = new Map(defined.results.map((property) => [property.name, property]));
  const missing: CrmFieldSpec[] = [];
  for (const spec of specs) {
    const property = byName.get(spec.name);
    if (!property) missing.push(spec);
    else {
      const mismatch = propertyMismatch(spec, property);
      if (mismatch) manual([spec], mismatch);
      else result.existing.push(spec);
    }
  }
  if (missing.length === 0) return;
  try {
    await ensureGroup(api, type, signal);
  } catch (error) {
    const problem = adminProblem(error);
    if (problem === undefined) throw error;
    return void manual(missing, problem);
  }
  await createMissing(api, type, missing, result, signal);
}

async function ensureGroup(api: HubSpotApi, type: 'companies' | 'contacts', signal?: AbortSignal): Promise<void> {
  const { name, label } = hubspotDescriptor.npsPropertyGroup;
  const groups = await api.call('general', (client) => client.crm.properties.groupsApi.getAllWithHttpInfo(type), signal);
  if (groups.results.some((group) => group.name === name)) return;
  try {
    await api.call('general', (client) => client.crm.properties.groupsApi.createWithHttpInfo(type, { name, label, displayOrder: -1 }), signal);
  } catch (error) {
    // 409: created in the meantime (a second setup run): that is what we wanted.
    if (!(error instanceof VendorError) || error.details.status !== 409) throw error;
  }
}

/**
 * POST /crm/v3/properties/{type}/batch/create. A 207 lists what was created and what was not;
 * a property created in the meantime ("already exists") counts as existing. The create is safe
 * to repeat after an outage for the same reason.
 */
async function createMissing(api: HubSpotApi, type: 'companies' | 'contacts', missing: CrmFieldSpec[], result: FieldSetupResult, signal?: AbortSignal): Promise<void> {
  let answer;
  try {
    const inputs = missing.map((spec, i) => propertyCreate(spec, i));
    answer = await api.call('general', (client) => client.crm.properties.batchApi.createWithHttpInfo(type, { inputs } as never), signal);
  } catch (error) {
    const problem = adminProblem(error);
    if (problem === undefined) throw error;
    return void result.manual.push(...missing.map((spec) => ({ ...spec, reason: problem })));
  }
  const created = new Set(answer.results.map((property) => property.name));
  const errors = 'errors' in answer ? (answer.errors ?? []) : [];
  const errorFor = (name: string) => errors.find((e) => Object.values(e.context ?? {}).some((values) => values?.includes(name)));
  const unnamed = errors.find((e) => !missing.some((spec) => Object.values(e.context ?? {}).some((values) => values?.includes(spec.name))));
  for (const spec of missing) {
    const error = errorFor(spec.name) ?? (created.has(spec.name) ? undefined : unnamed);
    if (created.has(spec.name)) result.created.push(spec);
    else if (error && /already exists/i.test(`${error.category} ${error.message}`.replace(/_/g, ' '))) result.existing.push(spec);
    else result.manual.push({ ...spec, reason: error ? `HubSpot refused: ${error.message} (${error.category})` : 'HubSpot did not create it and gave no reason' });
  }
}
