/**
 * Exact money handling: ARR is compared in integer cents (BigInt), never as a float.
 */
import type { MoneyAmount } from './types';

/** Thrown when an amount is neither a plain decimal string nor an integer number of cents. */
export class InvalidMoneyError extends Error {
  constructor(readonly value: unknown) {
    super(`Invalid money amount ${describe(value)}: expected a decimal string such as "100000.00" ` + `(at most 2 non-zero decimals) or { cents: <integer> }`);
    this.name = 'InvalidMoneyError';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value !== null && typeof value === 'object' && 'cents' in value) {
    return `{ cents: ${describe((value as { cents: unknown }).cents)} }`;
  }
  return String(value);
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses an amount to integer cents. "100000.00" → 10000000n; "99999.99" → 9999999n;
 * "12.5" → 1250n; "1.230" → 123n (trailing zeros allowed). "1.234" is rejected: it cannot be
 * represented in cents exactly.
 */
export function toCents(amount: MoneyAmount): bigint {
  if (typeof amount === 'string') {
    const match = DECIMAL.exec(amount);
    if (!match) throw new InvalidMoneyError(amount);
    const [, sign, whole, fraction = ''] = match;
    if (fraction.length > 2 && /[^0]/.test(fraction.slice(2))) throw new InvalidMoneyError(amount);
    const cents = BigInt(whole) * 100n + BigInt((fraction.slice(0, 2) + '00').slice(0, 2));
    return sign === '-' ? -cents : cents;
  }
  if (amount !== null && typeof amount === 'object' && 'cents' in amount) {
    const { cents } = amount;
    if (typeof cents === 'bigint') return cents;
    if (typeof cents === 'number' && Number.isSafeInteger(cents)) return BigInt(cents);
  }
  throw new InvalidMoneyError(amount);
}

/** Exact comparison of two amounts: negative, zero or positive like a sort comparator. */
export function compareMoney(a: MoneyAmount, b: MoneyAmount): -1 | 0 | 1 {
  const x = toCents(a);
  const y = toCents(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Formats cents for people: 12000050n → "120,000.50". Exact, no float. */
export function formatMoney(amount: MoneyAmount): string {
  const cents = toCents(amount);
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Cents as a plain decimal string a MoneyAmount accepts back: 12000050n → "120000.50". Exact. */
export function decimalFromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}
