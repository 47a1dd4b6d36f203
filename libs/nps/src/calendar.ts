/**
 * UTC calendar helpers. All rules are evaluated in UTC (rules §0). "h" and "d" are exact
 * durations; "calendar days" count UTC calendar dates.
 */
import type { IsoDate, QuarterKey } from './types';

const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Thrown for a date string that is not a real `YYYY-MM-DD` calendar date. */
export class InvalidDateError extends Error {
  constructor(readonly value: unknown) {
    super(`Invalid calendar date ${JSON.stringify(value)}: expected an ISO date "YYYY-MM-DD"`);
    this.name = 'InvalidDateError';
  }
}

/** Thrown for an invalid Date instance (NaN time). */
export class InvalidInstantError extends Error {
  constructor(readonly label: string) {
    super(`Invalid date-time for ${label}: expected a valid Date`);
    this.name = 'InvalidInstantError';
  }
}

export function assertValidInstant(date: Date, label: string): void {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new InvalidInstantError(label);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day numbers of the dates read lately: a million imported answers' tenure bands read their contacts' few thousand start dates. */
const dayNumbers = new Map<string, number>();
const DAY_NUMBERS_MAX = 10_000;

/** Days since 1970-01-01 of an ISO calendar date. Rejects impossible dates like 2025-02-30. */
export function isoDateToDayNumber(value: IsoDate): number {
  const known = typeof value === 'string' ? dayNumbers.get(value) : undefined;
  if (known !== undefined) return known;
  const days = readDayNumber(value);
  if (dayNumbers.size >= DAY_NUMBERS_MAX) dayNumbers.clear();
  dayNumbers.set(value, days);
  return days;
}

function readDayNumber(value: IsoDate): number {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) throw new InvalidDateError(value);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new InvalidDateError(value);
  }
  return ms / MS_PER_DAY;
}

/** Days since 1970-01-01 of the UTC calendar date of an instant. */
function utcDayNumber(instant: Date): number {
  assertValidInstant(instant, 'instant');
  return Math.floor(instant.getTime() / MS_PER_DAY);
}

/** The UTC calendar date of an instant as `YYYY-MM-DD`. */
export function toIsoDate(instant: Date): IsoDate {
  assertValidInstant(instant, 'instant');
  return instant.toISOString().slice(0, 10);
}

/**
 * Calendar days from today's UTC date to `date`: 0 when `date` is today, 1 tomorrow,
 * negative when in the past. The time of day of `now` does not matter.
 */
export function calendarDaysUntil(date: IsoDate, now: Date): number {
  return isoDateToDayNumber(date) - utcDayNumber(now);
}

/** Calendar days from `date` to today's UTC date (how long ago `date` was). */
export function calendarDaysSince(date: IsoDate, now: Date): number {
  return utcDayNumber(now) - isoDateToDayNumber(date);
}

export function addHours(instant: Date, hours: number): Date {
  return new Date(instant.getTime() + hours * MS_PER_HOUR);
}

export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * MS_PER_DAY);
}

/** The calendar quarter (UTC) containing an instant. */
export function quarterOf(instant: Date): QuarterKey {
  assertValidInstant(instant, 'instant');
  const quarter = Math.floor(instant.getUTCMonth() / 3) + 1;
  return `${instant.getUTCFullYear()}-Q${quarter}` as QuarterKey;
}

export function parseQuarter(key: QuarterKey): { year: number; quarter: 1 | 2 | 3 | 4 } {
  const match = /^(\d{4})-Q([1-4])$/.exec(key);
  if (!match) throw new Error(`Invalid quarter key ${JSON.stringify(key)}: expected "YYYY-Qn"`);
  return { year: Number(match[1]), quarter: Number(match[2]) as 1 | 2 | 3 | 4 };
}

/** The quarter right after `key`: 2025-Q4 → 2026-Q1. */
export function nextQuarter(key: QuarterKey): QuarterKey {
  const { year, quarter } = parseQuarter(key);
  return (quarter === 4 ? `${year + 1}-Q1` : `${year}-Q${quarter + 1}`) as QuarterKey;
}

/** First month (1–12) of the calendar quarter containing `instant`: 1, 4, 7 or 10. */
export function quarterStartMonth(instant: Date): 1 | 4 | 7 | 10 {
  assertValidInstant(instant, 'instant');
  return (Math.floor(instant.getUTCMonth() / 3) * 3 + 1) as 1 | 4 | 7 | 10;
}
