/** An element that needs quotes in an array literal: empty, NULL-like, or holding a delimiter, quote, backslash, brace or space. */
const NEEDS_QUOTES = /^$|^null$|[{}",\\\s]/i;
const ESCAPED = /["\\]/g;

/**
 * A Postgres array literal (`{a,"b c",NULL}`) for a `$n::type[]` parameter, built in one pass with
 * quotes only where an element needs them: a batch of a million imported answers spends a good part
 * of its client time in the driver's quote-and-escape of every element otherwise. Numbers and
 * booleans go as they are; null is NULL.
 */
export function arrayLiteral(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    if (i) literal += ',';
    const value = values[i];
    if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'number') literal += Number.isFinite(value) ? String(value) : 'NULL';
    else if (typeof value === 'boolean') literal += value ? 't' : 'f';
    else literal += NEEDS_QUOTES.test(value) ? `"${value.replace(ESCAPED, '\\$&')}"` : value;
  }
  return `${literal}}`;
}
