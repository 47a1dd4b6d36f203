import { parseDecimal, VendorError } from '@connectors/core/src';

/**
 * Reading single values out of Salesforce JSON, strictly: a value of the wrong shape is a mapping
 * error (VendorError 'invalid'), never silently defaulted, so a misconfigured field mapping shows
 * up on the first page instead of as wrong survey targeting months later.
 */
export type SalesforceRecord = Record<string, unknown> & { attributes?: { type?: string; url?: string } };

export function mappingError(object: string, id: unknown, field: string, problem: string, value: unknown): VendorError {
  const shown = JSON.stringify(value) ?? String(value);
  return new VendorError('salesforce', 'invalid', `${object} ${String(id ?? '?')}: ${field} ${problem} (got ${shown.slice(0, 80)})`, {
    code: 'MAPPING_ERROR',
  });
}

/** A reader bound to one record, so errors name the object, the record and the field. */
export class FieldReader {
  readonly id: string;

  constructor(
    readonly object: string,
    private readonly record: SalesforceRecord,
  ) {
    const type = record.attributes?.type;
    if (type !== undefined && type !== object) throw mappingError(object, record.Id, 'attributes.type', `is not ${object}`, type);
    this.id = this.salesforceId('Id');
  }

  private fail(field: string, problem: string, value: unknown): never {
    throw mappingError(this.object, this.record.Id, field, problem, value);
  }

  /** Reads a field or a relationship path (Parent.Tier__c); a null hop yields null. */
  raw(field: string): unknown {
    let value: unknown = this.record;
    for (const part of field.split('.')) {
      if (value === null || value === undefined) return null;
      if (typeof value !== 'object') this.fail(field, 'is not a relationship', value);
      value = (value as Record<string, unknown>)[part];
      // JSON has no undefined: the field was not selected, or the org does not have it.
      if (value === undefined) this.fail(field, 'is missing from the response', undefined);
    }
    return value;
  }

  /** 15- or 18-character record id. */
  salesforceId(field: string): string {
    const value = this.raw(field);
    if (typeof value !== 'string' || !/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) this.fail(field, 'is not a Salesforce id', value);
    return value;
  }

  optionalId(field: string): string | null {
    return this.raw(field) === null ? null : this.salesforceId(field);
  }

  optionalString(field: string): string | null {
    const value = this.raw(field);
    if (value === null) return null;
    if (typeof value !== 'string') this.fail(field, 'is not text', value);
    return value === '' ? null : value;
  }

  requiredString(field: string): string {
    const value = this.optionalString(field);
    if (value === null) this.fail(field, 'is empty', value);
    return value;
  }

  boolean(field: string): boolean {
    const value = this.raw(field);
    if (typeof value !== 'boolean') this.fail(field, 'is not true or false', value);
    return value;
  }

  /** Salesforce datetimes ("2026-11-23T10:00:00.000+0000") as ISO 8601 UTC with milliseconds. */
  instant(field: string): string {
    const value = this.raw(field);
    const iso = typeof value === 'string' ? toIsoInstant(value) : null;
    if (iso === null) this.fail(field, 'is not a datetime', value);
    return iso;
  }

  /** YYYY-MM-DD from a date field (or the UTC date of a datetime field). */
  optionalDate(field: string): string | null {
    const value = this.raw(field);
    if (value === null) return null;
    if (typeof value === 'string' && isCalendarDate(value)) return value;
    const iso = typeof value === 'string' ? toIsoInstant(value) : null;
    if (iso === null) this.fail(field, 'is not a date', value);
    return iso.slice(0, 10);
  }

  /** A number as an exact decimal string; `scale` fixes the decimals (rounded half away from zero). */
  optionalDecimal(field: string, scale?: number): string | null {
    const value = this.raw(field);
    if (value === null) return null;
    const decimal = parseDecimal(value, scale);
    if (decimal === undefined) this.fail(field, 'is not a number', value);
    return decimal;
  }

  /** Multi-select picklist ("Decision Maker;Economic Buyer") as trimmed values, empty parts dropped. */
  multiSelect(field: string, separator: string): string[] {
    const value = this.optionalString(field);
    if (value === null) return [];
    return value
      .split(separator)
      .map((part) => part.trim())
      .filter((part) => part.length > 0);
  }

  optionalCurrencyCode(field: string): string | null {
    const value = this.optionalString(field);
    if (value !== null && !/^[A-Z]{3}$/.test(value)) this.fail(field, 'is not an ISO 4217 currency code', value);
    return value;
  }
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const SALESFORCE_DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

export function toIsoInstant(value: string): string | null {
  const m = SALESFORCE_DATETIME.exec(value);
  if (!m || !isCalendarDate(m[1])) return null;
  const offset = m[6] === 'Z' ? 'Z' : `${m[6].slice(0, 3)}:${m[6].slice(-2)}`;
  const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}${(m[5] ?? '.0').padEnd(4, '0')}${offset}`);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}
