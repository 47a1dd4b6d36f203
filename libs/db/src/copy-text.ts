/**
 * Fields of COPY's text format (https://www.postgresql.org/docs/current/sql-copy.html, "Text
 * Format"): columns split by tabs, rows by newlines, `\N` for NULL, and a backslash, tab, newline
 * or carriage return in a value written as its backslash sequence.
 */
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;

export const COPY_NULL = '\\N';

/** A text value as a COPY field (NULL as `\N`). */
export function copyField(value: string | null | undefined): string {
  if (value === null || value === undefined) return COPY_NULL;
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]) : value;
}

/** A text[] value as a COPY field: an array literal with every element quoted. */
export function copyTextArray(values: readonly string[]): string {
  return copyField(`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
}

export const copyBoolean = (value: boolean | null | undefined): string => (value === null || value === undefined ? COPY_NULL : value ? 't' : 'f');
export const copyTimestamp = (value: Date | null | undefined): string => (value ? value.toISOString() : COPY_NULL);
export const copyJson = (value: unknown): string => (value === null || value === undefined ? COPY_NULL : copyField(JSON.stringify(value)));
