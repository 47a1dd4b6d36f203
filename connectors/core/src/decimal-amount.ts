import Decimal from 'decimal.js';

/** Half away from zero (decimal.js calls it ROUND_HALF_UP): 99.995 → 100.00, −10.005 → −10.01. */
const Exact = Decimal.clone({ rounding: Decimal.ROUND_HALF_UP });

/** Plain decimal text: digits with an optional point and exponent. No hex, no "Infinity", no grouping ("12,000"). */
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Magnitudes past 10^±60 are no amount or score any CRM holds: a broken value, refused. */
const MAX_EXPONENT = 60;

/**
 * An amount (ARR) or score from a vendor as an exact decimal string, never a float: a JSON number
 * is read from the text JavaScript prints for it (the shortest that reads back as the same
 * double, which is what the vendor sent), a string as written, with exponents resolved.
 * `scale` fixes the decimals, rounded half away from zero; without it trailing zeros go
 * ("7.50E1" → "75"). No negative zero. Undefined for anything that is not a number; blank
 * values and nulls are the caller's to read (unset, or an error).
 */
export function parseDecimal(value: unknown, scale?: number): string | undefined {
  let text: string | undefined;
  if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : undefined;
  else if (typeof value === 'string') text = value.trim();
  if (!text || !DECIMAL_TEXT.test(text)) return undefined;
  const decimal = new Exact(text);
  if (!decimal.isFinite() || (!decimal.isZero() && Math.abs(decimal.e) > MAX_EXPONENT)) return undefined;
  const fixed = scale === undefined ? decimal.toFixed() : decimal.toFixed(scale);
  return /^-[0.]+$/.test(fixed) ? fixed.slice(1) : fixed;
}
