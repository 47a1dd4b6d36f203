/**
 * rules §10 Importing history: which imported answers are kept, skipped or refused, how their
 * dates are read, and which of them are recent enough to be followed up like a survey answer.
 */
import { addDays, assertValidInstant } from './calendar';
import { isValidScore, scoreCategory } from './score';
import { TRIGGER_STREAM, type Category, type Stream, type Trigger } from './types';

/** Why an imported row is refused (a non-NPS answer is not refused: it is counted `not_nps`). */
export type ImportRefusalReason =
  /** the answer's person has no email (rules §10) */
  | 'no_email'
  /** the email is not an address */
  | 'invalid_email'
  /** not a whole number from 0 to 10 */
  | 'invalid_score'
  /** no answer time, not ISO 8601 or Unix seconds, or in the future */
  | 'invalid_date'
  /** the row has no original id */
  | 'missing_id'
  /** the survey type is missing (a Delighted answer always carries one) */
  | 'missing_survey_type'
  | 'invalid_stream'
  /** not a trigger, or a trigger of the other stream */
  | 'invalid_trigger'
  /** not a JSON object, or a line that is not JSON */
  | 'invalid_record';

/** An answer as a source states it, before any check. Absent values are null. */
export interface ImportedAnswerInput {
  /** The source's survey type (`nps`, `csat`, …); undefined when the source has none (CSV: every row is NPS). */
  readonly surveyType?: unknown;
  readonly score: unknown;
  readonly email: unknown;
  /** The answer time as the source wrote it: ISO 8601 text, or Unix seconds (number or digits). */
  readonly answeredAt: unknown;
  readonly stream?: unknown;
  readonly trigger?: unknown;
}

export interface ImportableAnswer {
  readonly score: number;
  readonly category: Category;
  /** Trimmed, lower case. */
  readonly email: string;
  readonly answeredAt: Date;
  readonly stream: Stream;
  readonly trigger: Trigger;
}

export type ImportDecision =
  | { readonly kind: 'import'; readonly answer: ImportableAnswer }
  | { readonly kind: 'not_nps' }
  | { readonly kind: 'refused'; readonly reason: ImportRefusalReason; readonly detail: string };

/** Only NPS answers are imported (rules §10): the Delighted survey type that is NPS. */
export const NPS_SURVEY_TYPE = 'nps';

/**
 * Fixed: an imported answer answered at most this many days before the import is treated as a
 * fresh answer (its follow-ups and CRM fields, rules §6 and §8); an older one never is.
 */
export const IMPORTED_FOLLOW_UP_MAX_AGE_DAYS = 30;

/** The trigger an answer gets when its source names none: the periodic relational wave, or the ticket. */
export const DEFAULT_IMPORT_TRIGGER: Readonly<Record<Stream, Trigger>> = { relational: 'quarterly', transactional: 'ticket_solved' };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const UNIX_SECONDS = /^\d{1,11}(\.\d+)?$/;
/** Unix seconds beyond this (year 5138) are a mistake (milliseconds, say), not a date. */
const MAX_UNIX_SECONDS = 99_999_999_999;

const refused = (reason: ImportRefusalReason, detail: string): ImportDecision => ({ kind: 'refused', reason, detail });

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function quoted(value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 60 ? `${shown.slice(0, 57)}…"` : shown;
}

/**
 * An answer time as sources write it: Unix seconds (a number, or digits with an optional
 * fraction), or ISO 8601 (`2026-03-01`, `2026-03-01T09:30:00Z`, `…+02:00`; without an offset it
 * is UTC). Impossible dates (`2026-02-30`) and times (`24:00`) give null.
 */
export function parseImportInstant(value: unknown): Date | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 && value <= MAX_UNIX_SECONDS ? new Date(Math.round(value * 1000)) : null;
  }
  if (typeof value !== 'string') return null;
  const given = value.trim();
  if (UNIX_SECONDS.test(given)) return parseImportInstant(Number(given));
  const match = ISO_INSTANT.exec(given);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4] ?? 0);
  const minute = Number(match[5] ?? 0);
  const second = Number(match[6] ?? 0);
  const fraction = match[7] ? Number(match[7]) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) + Math.round(fraction * 1000);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return new Date(utc - offsetMinutes(match[8]) * 60_000);
}

/** Minutes east of UTC of an ISO offset (`Z`, `+02`, `+0200`, `-05:30`); no offset is UTC. */
function offsetMinutes(offset: string | undefined): number {
  if (!offset || offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return offset.startsWith('-') ? -minutes : minutes;
}

/** A score as sources write it: a whole number 0–10, or its digits. */
function scoreOf(value: unknown): number | null {
  if (typeof value === 'number') return isValidScore(value) ? value : null;
  if (typeof value === 'string' && /^\s*\d{1,2}\s*$/.test(value)) {
    const score = Number(value);
    return isValidScore(score) ? score : null;
  }
  return null;
}

function streamAndTrigger(streamValue: unknown, triggerValue: unknown): { stream: Stream; trigger: Trigger } | ImportDecision {
  const streamText = text(streamValue)?.toLowerCase() ?? null;
  const triggerText = text(triggerValue)?.toLowerCase() ?? null;
  if (streamText !== null && streamText !== 'relational' && streamText !== 'transactional') {
    return refused('invalid_stream', `stream ${quoted(streamValue)} is not relational or transactional`);
  }
  if (triggerText !== null && !(triggerText in TRIGGER_STREAM)) {
    return refused('invalid_trigger', `trigger ${quoted(triggerValue)} is not one of ${Object.keys(TRIGGER_STREAM).join(', ')}`);
  }
  const trigger = triggerText as Trigger | null;
  const stream = (streamText as Stream | null) ?? (trigger ? TRIGGER_STREAM[trigger] : 'relational');
  if (trigger && TRIGGER_STREAM[trigger] !== stream) return refused('invalid_trigger', `trigger ${trigger} belongs to the ${TRIGGER_STREAM[trigger]} stream, not ${stream}`);
  return { stream, trigger: trigger ?? DEFAULT_IMPORT_TRIGGER[stream] };
}

/** An imported address, trimmed and lower case; or why it is refused (absent: `no_email`). */
export function importedEmail(value: unknown): string | Extract<ImportDecision, { kind: 'refused' }> {
  const given = text(value);
  if (given === null) return { kind: 'refused', reason: 'no_email', detail: 'the person has no email' };
  const email = given.toLowerCase();
  if (!EMAIL.test(email) || email.length > 320) return { kind: 'refused', reason: 'invalid_email', detail: `email ${quoted(value)} is not an address` };
  return email;
}

/**
 * rules §10: a non-NPS answer is skipped (`not_nps`, not refused); then an
 * answer without an email is refused `no_email`; then the score, the time (not after `now`),
 * the stream (relational unless given) and trigger are checked.
 */
export function decideImportedAnswer(input: ImportedAnswerInput, now: Date): ImportDecision {
  assertValidInstant(now, 'now');
  if (input.surveyType !== undefined) {
    const surveyType = text(input.surveyType);
    if (surveyType === null) return refused('missing_survey_type', 'the answer has no survey_type');
    if (surveyType.toLowerCase() !== NPS_SURVEY_TYPE) return { kind: 'not_nps' };
  }
  const email = importedEmail(input.email);
  if (typeof email !== 'string') return email;
  const score = scoreOf(input.score);
  if (score === null) return refused('invalid_score', `score ${quoted(input.score)} is not a whole number from 0 to 10`);
  if (input.answeredAt === null || input.answeredAt === undefined || text(input.answeredAt) === null) return refused('invalid_date', 'the answer has no date');
  const answeredAt = parseImportInstant(input.answeredAt);
  if (!answeredAt) return refused('invalid_date', `date ${quoted(input.answeredAt)} is not ISO 8601 or Unix seconds`);
  if (answeredAt > now) return refused('invalid_date', `date ${quoted(input.answeredAt)} is in the future`);
  const route = streamAndTrigger(input.stream, input.trigger);
  if ('kind' in route) return route;
  return { kind: 'import', answer: { score, category: scoreCategory(score), email, answeredAt, ...route } };
}

/**
 * Whether an imported answer is followed up like a fresh survey answer (tasks, CRM fields):
 * only when answered at most 30 days before `now` (exactly 30 days: yes); never when older.
 */
export function importedAnswerIsFollowedUp(answeredAt: Date, now: Date): boolean {
  assertValidInstant(answeredAt, 'answeredAt');
  assertValidInstant(now, 'now');
  return answeredAt >= addDays(now, -IMPORTED_FOLLOW_UP_MAX_AGE_DAYS);
}
