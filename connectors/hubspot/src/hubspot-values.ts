import { parseDecimal, VendorError } from '@connectors/core/src';

/**
 * Parsing HubSpot property values. HubSpot sends every property as a string (or null); numbers
 * may carry an exponent and dates may be ISO dates, ISO instants or epoch milliseconds. Money is
 * read by core's parseDecimal, never as a float.
 */

/** A value we cannot read: a mapping problem for an admin, never a silent default. */
export function invalidValue(object: string, id: string, property: string, value: unknown, expected: string): VendorError {
  return new VendorError('hubspot', 'invalid', `HubSpot ${object} ${id}: property ${property} = ${JSON.stringify(value)} is not ${expected}`, {
    code: 'INVALID_PROPERTY_VALUE',
  });
}

/** Trimmed text, null for null/undefined/blank. */
export function text(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** "125000" → "125000.00", "1.25E5" → "125000.00", "99.995" → "100.00"; blank → null. */
export function money(raw: string | null | undefined): string | null | undefined {
  const value = text(raw);
  if (value === null) return null;
  return parseDecimal(value, 2);
}

/** A plain decimal string without exponent or trailing zeros ("7.50E1" → "75"); blank → null. */
export function decimal(raw: string | null | undefined): string | null | undefined {
  const value = text(raw);
  if (value === null) return null;
  return parseDecimal(value);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EPOCH_MS = /^-?\d{1,15}$/;

/**
 * HubSpot date properties → YYYY-MM-DD. They hold midnight UTC, so the UTC calendar day of an
 * instant is the date the user picked.
 */
export function dateOnly(raw: string | null | undefined): string | null | undefined {
  const value = text(raw);
  if (value === null) return null;
  const iso = ISO_DATE.exec(value);
  if (iso) {
    const [, y, m, d] = iso.map(Number);
    const day = new Date(Date.UTC(y, m - 1, d));
    return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d ? value : undefined;
  }
  const ms = EPOCH_MS.test(value) ? Number(value) : value.includes('T') ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : undefined;
}

/** An instant (ISO string, epoch ms string or Date from the SDK) → ISO 8601; undefined if unreadable. */
export function instant(raw: string | Date | null | undefined): string | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  const ms = raw instanceof Date ? raw.getTime() : EPOCH_MS.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
