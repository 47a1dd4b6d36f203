/**
 * rules §4 send window and pacing: emails go out only inside the program's window ([start, end) on
 * its weekdays, in its IANA time zone; no holiday calendar), at most `dailySendCap` per local
 * day, and a quarterly wave is spread evenly over the business days of its month.
 * Local time is read with Intl (no clock, no I/O), so any IANA zone and its DST rules work.
 */
import { assertValidInstant, MS_PER_DAY } from './calendar';
import type { IsoDate } from './types';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
type Weekday = (typeof WEEKDAYS)[number];

export interface SendWindow {
  /** Weekday names (case-insensitive) on which the window opens: the program's business days. */
  readonly days: readonly string[];
  /** Local opening time "HH:MM" (inclusive). */
  readonly start: string;
  /** Local closing time "HH:MM" (exclusive); "24:00" is the end of the day. */
  readonly end: string;
  /** IANA time zone, e.g. "Europe/Berlin". */
  readonly timeZone: string;
}

export interface LocalTime {
  readonly date: IsoDate;
  readonly weekday: Weekday;
  /** Minutes since local midnight, with the seconds as a fraction. */
  readonly minutes: number;
}

const HH_MM = /^(\d{2}):(\d{2})$/;

/** Minutes since midnight of "HH:MM" (00:00–24:00), or null when malformed. */
function parseTimeOfDay(value: string): number | null {
  const match = typeof value === 'string' ? HH_MM.exec(value) : null;
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Every problem with a window and cap, each naming its rule (`rules.<name>: ...`). */
export function sendWindowErrors(rules: {
  readonly sendDays: readonly string[];
  readonly sendWindowStart: string;
  readonly sendWindowEnd: string;
  readonly timeZone: string;
  readonly dailySendCap: number;
}): string[] {
  const errors: string[] = [];
  if (!isValidTimeZone(rules.timeZone)) errors.push(`rules.timeZone: "${rules.timeZone}" is not an IANA time zone (e.g. "Europe/Berlin")`);
  const start = parseTimeOfDay(rules.sendWindowStart);
  const end = parseTimeOfDay(rules.sendWindowEnd);
  if (start === null || start === 24 * 60) errors.push(`rules.sendWindowStart: must be a time "HH:MM" from 00:00 to 23:59`);
  if (end === null) errors.push(`rules.sendWindowEnd: must be a time "HH:MM" from 00:01 to 24:00`);
  if (start !== null && end !== null && end <= start) errors.push(`rules.sendWindowEnd: must be later than sendWindowStart (${rules.sendWindowStart})`);
  if (!rules.sendDays.length) errors.push(`rules.sendDays: name at least one weekday`);
  for (const day of rules.sendDays) {
    if (!WEEKDAYS.includes(day.trim().toLowerCase() as Weekday)) errors.push(`rules.sendDays: "${day}" is not a weekday (monday … sunday)`);
  }
  if (!Number.isInteger(rules.dailySendCap) || rules.dailySendCap < 1) errors.push(`rules.dailySendCap: must be a positive whole number`);
  return errors;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function weekdayOf(date: IsoDate): Weekday {
  const [y, m, d] = date.split('-').map(Number);
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

function addCalendarDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The wall-clock date, weekday and time of day of an instant in a time zone. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  assertValidInstant(instant, 'instant');
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const seconds = Number(parts.second) + (((instant.getTime() % 1000) + 1000) % 1000) / 1000;
  return { date, weekday: weekdayOf(date), minutes: Number(parts.hour) * 60 + Number(parts.minute) + seconds / 60 };
}

/** Offset (ms) of the zone from UTC at an instant: local wall time minus UTC. */
function offsetAt(instant: number, timeZone: string): number {
  const local = localTime(new Date(instant), timeZone);
  const [y, m, d] = local.date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d) + Math.round(local.minutes * 60_000);
  return wall - instant;
}

/**
 * The instant of a local wall time. A time skipped by a DST change maps to the same wall time
 * on the earlier offset (i.e. just after the jump); a repeated one to its first occurrence.
 */
export function zonedInstant(date: IsoDate, minutes: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000;
  // The offsets a day before and after bracket any DST change near this wall time.
  const before = wall - offsetAt(wall - MS_PER_DAY, timeZone);
  const after = wall - offsetAt(wall + MS_PER_DAY, timeZone);
  const valid = [before, after].filter((t) => offsetAt(t, timeZone) === wall - t);
  // Skipped wall time (no valid candidate): read it on the earlier offset, just after the jump.
  return new Date(valid.length ? Math.min(...valid) : before);
}

function windowDays(window: SendWindow): Set<string> {
  return new Set(window.days.map((d) => d.trim().toLowerCase()));
}

function minutesOf(value: string, label: string): number {
  const minutes = parseTimeOfDay(value);
  if (minutes === null) throw new Error(`Invalid ${label} ${JSON.stringify(value)}: expected "HH:MM"`);
  return minutes;
}

/** True when the instant is inside the window: a window weekday, local time in [start, end). */
export function isInsideSendWindow(instant: Date, window: SendWindow): boolean {
  const local = localTime(instant, window.timeZone);
  return windowDays(window).has(local.weekday) && local.minutes >= minutesOf(window.start, 'start') && local.minutes < minutesOf(window.end, 'end');
}

/** The first window opening (start time on a window weekday) at or after the instant. */
export function nextWindowOpening(instant: Date, window: SendWindow): Date {
  assertValidInstant(instant, 'instant');
  const days = windowDays(window);
  if (![...days].some((d) => WEEKDAYS.includes(d as Weekday))) throw new Error('The send window has no weekday');
  const start = minutesOf(window.start, 'start');
  const today = localTime(instant, window.timeZone).date;
  for (let offset = 0; offset <= 8; offset++) {
    const date = addCalendarDays(today, offset);
    if (!days.has(weekdayOf(date))) continue;
    const opening = zonedInstant(date, start, window.timeZone);
    if (opening.getTime() >= instant.getTime()) return opening;
  }
  throw new Error('No window opening within 8 days'); // unreachable with at least one weekday
}

/** The earliest instant at or after `instant` inside the window: itself when inside. */
export function earliestSendTime(instant: Date, window: SendWindow): Date {
  return isInsideSendWindow(instant, window) ? instant : nextWindowOpening(instant, window);
}

/** The local calendar day of an instant as [start, end) instants: the daily cap counts per local day. */
export function localDayBounds(instant: Date, timeZone: string): { readonly date: IsoDate; readonly start: Date; readonly end: Date } {
  const { date } = localTime(instant, timeZone);
  return { date, start: zonedInstant(date, 0, timeZone), end: zonedInstant(addCalendarDays(date, 1), 0, timeZone) };
}

/** The business days (window weekdays) of a calendar month, as local dates, in order. */
export function businessDaysOfMonth(year: number, month: number, window: SendWindow): IsoDate[] {
  const days = windowDays(window);
  const result: IsoDate[] = [];
  for (let day = 1; day <= 31; day++) {
    const date = `${year}-${pad(month)}-${pad(day)}`;
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1) break;
    if (days.has(weekdayOf(date))) result.push(date);
  }
  return result;
}

/** The window opening instant of a business day (a local date). */
function windowOpeningOn(date: IsoDate, window: SendWindow): Date {
  return zonedInstant(date, minutesOf(window.start, 'start'), window.timeZone);
}

/** The window closing instant of a business day (a local date), exclusive. */
function windowClosingOn(date: IsoDate, window: SendWindow): Date {
  return zonedInstant(date, minutesOf(window.end, 'end'), window.timeZone);
}

/**
 * Wave spreading: survey i (0-based, ordered by contact id) of a wave of n surveys over k
 * business days goes on business day ⌊i·k/n⌋, so each day gets ⌊n/k⌋ or ⌈n/k⌉ surveys.
 */
export function waveDayIndex(i: number, n: number, k: number): number {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(i) || i < 0 || i >= n) {
    throw new Error(`Invalid wave position ${i} of ${n}`);
  }
  if (!Number.isInteger(k) || k < 1) throw new Error(`Invalid number of business days ${k}`);
  return Math.floor((i * k) / n);
}

/**
 * The business days still usable in a month at `now`: those whose window has not closed yet
 * (today counts while its window is open or ahead).
 */
export function remainingBusinessDays(year: number, month: number, now: Date, window: SendWindow): IsoDate[] {
  assertValidInstant(now, 'now');
  return businessDaysOfMonth(year, month, window).filter((date) => windowClosingOn(date, window).getTime() > now.getTime());
}

/**
 * Send times of a wave: survey i goes at the window opening of remaining business day
 * ⌊i·k/n⌋ (or now, when that day's window is already open). Empty when no business day is left.
 */
export function spreadWave(n: number, year: number, month: number, now: Date, window: SendWindow): Date[] {
  const days = remainingBusinessDays(year, month, now, window);
  if (!days.length || n === 0) return [];
  return Array.from({ length: n }, (_, i) => {
    const opening = windowOpeningOn(days[waveDayIndex(i, n, days.length)], window);
    return opening.getTime() < now.getTime() ? now : opening;
  });
}
