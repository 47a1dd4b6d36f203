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

/** An instant as a COPY field: its toISOString() (`2025-01-02T03:04:05.006Z`), NULL as `\N`. */
export const copyTimestamp = (value: Date | null | undefined): string => (value ? isoString(value) : COPY_NULL);

const MS_PER_DAY = 86_400_000;
/** The instants toISOString() writes with a four-digit year: 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z. */
const FIRST_FOUR_DIGIT_MS = -62_167_219_200_000;
const LAST_FOUR_DIGIT_MS = 253_402_300_799_999;
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
/** `YYYY-MM-DDT` of the days met lately: a million answers span a few thousand days. */
const dayPrefixes = new Map<number, string>();
const DAY_PREFIXES_MAX = 4096;

/**
 * The same text as date.toISOString(), without formatting the date each time: the day's part is
 * kept per day, the time of day put together from two- and three-digit pieces. Instants outside
 * four-digit years (and invalid dates, which throw) are left to toISOString().
 */
export function isoString(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= FIRST_FOUR_DIGIT_MS && ms <= LAST_FOUR_DIGIT_MS)) return date.toISOString();
  const day = Math.floor(ms / MS_PER_DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
    if (dayPrefixes.size >= DAY_PREFIXES_MAX) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * MS_PER_DAY;
  const milliseconds = rest % 1000;
  rest = (rest - milliseconds) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[milliseconds]}Z`;
}
const BACKSLASHES = /\\/g;

/**
 * A JSON value as a COPY field. JSON text never holds a raw tab, newline or carriage return (it
 * writes them as escapes), so a backslash is the only character to escape: no scan for the others.
 */
export function copyJson(value: unknown): string {
  if (value === null || value === undefined) return COPY_NULL;
  const json = JSON.stringify(value);
  if (json === undefined) return COPY_NULL;
  return json.includes('\\') ? json.replace(BACKSLASHES, '\\\\') : json;
}
