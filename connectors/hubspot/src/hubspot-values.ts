import { VendorError } from '@connectors/core/src';

/**
 * Parsing HubSpot property values. HubSpot sends every property as a string (or null); numbers
 * may carry an exponent and dates may be ISO dates, ISO instants or epoch milliseconds. Money is
 * handled as digits (BigInt), never as a float.
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

interface ParsedNumber {
  negative: boolean;
  /** All digits, integer and fraction, without the point. */
  digits: bigint;
  /** The value is digits × 10^-scale. */
  scale: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;

function parseNumber(raw: string): ParsedNumber | undefined {
  const match = NUMBER.exec(raw.trim());
  if (!match) return undefined;
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  const scale = fraction.length - Number(exponent);
  if (Math.abs(scale) > 60) return undefined;
  return { negative: sign === '-', digits: BigInt(whole + fraction || '0'), scale };
}

function format(negative: boolean, units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? `.${digits.slice(-decimals)}` : '';
  return `${negative && units !== 0n ? '-' : ''}${whole}${fraction}`;
}

/** Rounds half away from zero to `decimals` places. */
function toUnits(n: ParsedNumber, decimals: number): bigint {
  const shift = decimals - n.scale;
  if (shift >= 0) return n.digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  const quotient = n.digits / divisor;
  return (n.digits % divisor) * 2n >= divisor ? quotient + 1n : quotient;
}

/** "125000" → "125000.00", "1.25E5" → "125000.00", "99.995" → "100.00"; blank → null. */
export function money(raw: string | null | undefined): string | null | undefined {
  const value = text(raw);
  if (value === null) return null;
  const parsed = parseNumber(value);
  return parsed && format(parsed.negative, toUnits(parsed, 2), 2);
}

/** A plain decimal string without exponent or trailing zeros ("7.50E1" → "75"); blank → null. */
export function decimal(raw: string | null | undefined): string | null | undefined {
  const value = text(raw);
  if (value === null) return null;
  const parsed = parseNumber(value);
  if (!parsed) return undefined;
  const decimals = Math.max(0, parsed.scale);
  const plain = format(parsed.negative, toUnits(parsed, decimals), decimals);
  return plain.includes('.') ? plain.replace(/\.?0+$/, '') : plain;
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
