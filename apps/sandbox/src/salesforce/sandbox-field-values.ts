import { KEY_PREFIX } from './salesforce-ids';
import { FieldSchema } from './sandbox-schema';
import { SandboxStore } from './sandbox-store';

/** One record-level error, as a SaveResult carries it. */
export interface Failure {
  statusCode: string;
  message: string;
  fields: string[];
}

export const fail = (statusCode: string, message: string, fields: string[] = []): Failure => ({ statusCode, message, fields });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const NUMBER_TYPES: readonly string[] = ['currency', 'double', 'int'];

function jsonToken(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'object') return 'START_OBJECT';
  if (typeof value === 'number') return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE';
  return 'VALUE_STRING';
}

function javaType(field: FieldSchema): string {
  if (field.type === 'int') return 'int';
  if (NUMBER_TYPES.includes(field.type)) return 'double';
  if (field.type === 'boolean' || field.type === 'date' || field.type === 'datetime') return field.type;
  return 'string';
}

/**
 * What Salesforce's JSON deserializer makes of one value, before any record is saved. It is
 * lenient where Java is (a numeric string for a number, a number for a text field) and refuses
 * the rest, which fails the whole request with 400 JSON_PARSER_ERROR.
 */
export function deserialize(field: FieldSchema, value: unknown): { value: unknown } | { parseError: string } {
  if (value === null) return { value: null };
  const refuse = () => {
    const shown = typeof value === 'object' ? (Array.isArray(value) ? '[' : '{') : String(value);
    return { parseError: `Cannot deserialize instance of ${javaType(field)} from ${jsonToken(value)} value ${shown} or request may be missing a required field` };
  };
  if (typeof value === 'object') return refuse();
  if (NUMBER_TYPES.includes(field.type)) {
    const number = typeof value === 'number' ? value : typeof value === 'string' && NUMERIC.test(value) ? Number(value) : NaN;
    if (Number.isNaN(number) || (field.type === 'int' && !Number.isInteger(number))) return refuse();
    return { value: number };
  }
  switch (field.type) {
    case 'boolean':
      if (typeof value === 'boolean') return { value };
      return value === 'true' || value === 'false' ? { value: value === 'true' } : refuse();
    case 'date':
      return typeof value === 'string' && DATE.test(value) && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().startsWith(value) ? { value } : refuse();
    case 'datetime': {
      const at = typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(at) ? refuse() : { value: at };
    }
    default:
      return { value: String(value) };
  }
}

/**
 * The save-time checks of one value, per record (the request itself is fine): references to a
 * live row of the right object, restricted picklists, text length, numeric range. Returns the
 * value as stored (numbers rounded to the field's scale) or Salesforce's error.
 */
export function checkValue(field: FieldSchema, value: unknown, store: SandboxStore, knownIds: ReadonlySet<string>): { value: unknown } | { error: Failure } {
  if (value === null) return { value };
  const error = (statusCode: string, message: string) => ({ error: fail(statusCode, `${field.label}: ${message}`, [field.name]) });
  switch (field.type) {
    case 'reference': {
      const id = String(value);
      const target = store.get(id);
      const prefix = KEY_PREFIX[field.referenceTo as keyof typeof KEY_PREFIX];
      const live = (target && !target.IsDeleted && target.Id.startsWith(prefix)) || (knownIds.has(id) && id.startsWith(prefix));
      return live ? { value: id } : error('INVALID_CROSS_REFERENCE_KEY', `id value of incorrect type: ${id}`);
    }
    case 'picklist':
      return (field.picklistValues ?? []).includes(String(value))
        ? { value }
        : error('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `bad value for restricted picklist field: ${String(value)}`);
    case 'multipicklist': {
      const bad = String(value)
        .split(';')
        .find((part) => !(field.picklistValues ?? []).includes(part));
      return bad === undefined ? { value } : error('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `bad value for restricted picklist field: ${bad}`);
    }
    case 'email':
      if (!EMAIL.test(String(value))) return error('INVALID_EMAIL_ADDRESS', `invalid email address: ${String(value)}`);
      break;
  }
  if (typeof value === 'string' && field.length !== undefined && value.length > field.length) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
    return error('STRING_TOO_LONG', `data value too large: ${shown} (max length=${field.length})`);
  }
  if (typeof value === 'number' && field.precision !== undefined) {
    const scale = field.scale ?? 0;
    const rounded = Number(value.toFixed(scale));
    if (Math.abs(rounded) >= 10 ** (field.precision - scale)) return error('NUMBER_OUTSIDE_VALID_RANGE', `value outside of valid range on numeric field: ${value}`);
    return { value: rounded };
  }
  return { value };
}
