import { SandboxCompany, SandboxContact, SandboxPortal } from './sandbox-data';
import { PropertyProblem } from './sandbox-errors';
import { SandboxObjectType } from './sandbox-objects';
import { SandboxProperty, SandboxSchema } from './sandbox-schema';

export type SandboxRecord = SandboxCompany | SandboxContact;

/** Properties stored as fields of the generated records; every other value sits in portal.custom. */
const FIELDS: Record<SandboxObjectType, Record<string, string>> = {
  companies: {
    name: 'name',
    domain: 'domain',
    arr: 'arr',
    renewal_date: 'renewalDate',
    tier: 'tier',
    customer_since: 'customerSince',
    product_usage_score: 'usage',
    hubspot_owner_id: 'ownerId',
  },
  contacts: { email: 'email', firstname: 'firstName', lastname: 'lastName' },
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Every defined property of a record with its value as HubSpot sends it (a string, or null when unset). */
export function recordValues(portal: SandboxPortal, schema: SandboxSchema, type: SandboxObjectType, record: SandboxRecord): Record<string, string | null> {
  const fields = record as unknown as Record<string, string | null>;
  const custom = portal.custom[type].get(record.id) ?? {};
  const own: Record<string, string | null> = {
    hs_object_id: record.id,
    createdate: iso(record.createdMs),
    [type === 'companies' ? 'hs_lastmodifieddate' : 'lastmodifieddate']: iso(record.modifiedMs),
  };
  const values: Record<string, string | null> = {};
  for (const property of schema.properties(type)) {
    const field = FIELDS[type][property.name];
    values[property.name] = own[property.name] ?? (field !== undefined ? fields[field] : (custom[property.name] ?? null));
  }
  return values;
}

/** Writes one (already validated) value; '' clears it, as in HubSpot. */
export function writeValue(portal: SandboxPortal, type: SandboxObjectType, record: SandboxRecord, name: string, value: string): void {
  const field = FIELDS[type][name];
  if (field !== undefined) {
    (record as unknown as Record<string, string | null>)[field] = value === '' ? null : value;
    return;
  }
  const custom = portal.custom[type].get(record.id) ?? {};
  if (value === '') delete custom[name];
  else custom[name] = value;
  portal.custom[type].set(record.id, custom);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY = 86_400_000;
/** "A number value containing numeric digits and at most one decimal" (no exponent, no grouping). */
const NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;

function isoDay(value: string): number | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === value ? ms : undefined;
}

/**
 * A value for a property as HubSpot checks it: the stored form, or the problem it reports.
 * Date properties take 'YYYY-MM-DD' or epoch ms at midnight UTC (stored as the ISO date);
 * numbers plain decimals; enumerations one of their options (owners: an owner id); '' clears.
 */
export function checkValue(property: SandboxProperty | undefined, name: string, raw: unknown, isOwner: (id: string) => boolean): { value: string } | PropertyProblem {
  if (!property) return { name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` };
  if (property.readOnlyValue) return { name, error: 'READ_ONLY_VALUE', message: `"${name}" is a read only property; its value cannot be set.`, value: String(raw) };
  const value = raw === null || raw === undefined ? '' : String(raw);
  if (value === '') return { value };
  const bad = (error: string, message: string) => ({ name, error, message, value });
  switch (property.type) {
    case 'number':
      return NUMBER.test(value) ? { value } : bad('INVALID_INTEGER', `${value} was not a valid number.`);
    case 'date': {
      const ms = /^\d+$/.test(value) ? Number(value) : isoDay(value);
      if (ms === undefined) return bad('INVALID_DATE', `${value} is not a valid date: use YYYY-MM-DD or a millisecond timestamp at midnight UTC`);
      if (ms % DAY !== 0) return bad('INVALID_DATE', `${value} is not at midnight UTC; date properties hold a day only`);
      return { value: iso(ms).slice(0, 10) };
    }
    case 'datetime': {
      const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
      return Number.isFinite(ms) ? { value: iso(ms) } : bad('INVALID_DATETIME', `${value} was not a valid long or ISO 8601 timestamp`);
    }
    case 'bool':
      return value === 'true' || value === 'false' ? { value } : bad('INVALID_BOOLEAN', `${value} was not a valid boolean (true or false)`);
    case 'enumeration': {
      if (property.externalOptions) return isOwner(value) ? { value } : bad('INVALID_OWNER_ID', `${value} is not a valid owner id`);
      const options = property.options.map((o) => o.value);
      return options.includes(value) ? { value } : bad('INVALID_OPTION', `${value} was not one of the allowed options: [${options.join(', ')}]`);
    }
    default:
      return value.length <= 65_536 ? { value } : bad('INVALID_STRING', `the value of ${name} is longer than 65536 characters`);
  }
}
