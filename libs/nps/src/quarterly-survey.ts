/**
 * rules §4 quarterly (relational): each contact of an active account belongs to wave
 * hash(contact id) mod 3 and is surveyed in month (quarter start + wave), once per quarter.
 */
import { assertValidInstant, quarterOf, quarterStartMonth } from './calendar';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import { isSuppressed, recipientSkipReason, sendDecision, skipDecision, type ContactSurvey, type SurveyDecision, type SurveyRecipient } from './suppression';

/** Fixed: three waves, one per month of the quarter. */
const QUARTERLY_WAVES = 3;

/** UTF-8 bytes of a string (written out so the hash is identical on every platform). */
function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0) as number;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else {
      bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    }
  }
  return bytes;
}

/** 32-bit FNV-1a of the UTF-8 bytes of `text`, as an unsigned integer. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8Bytes(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The contact's wave: FNV-1a-32(contact id) mod 3. Stable forever for a given id. */
export function quarterlyWave(contactId: string): 0 | 1 | 2 {
  if (typeof contactId !== 'string' || contactId === '') {
    throw new Error(`Invalid contact id ${JSON.stringify(contactId)}: expected a non-empty string`);
  }
  return (fnv1a32(contactId) % QUARTERLY_WAVES) as 0 | 1 | 2;
}

/** The month (1–12, UTC) in which the contact is surveyed in the quarter containing `now`. */
export function quarterlyWaveMonth(contactId: string, now: Date): { readonly year: number; readonly month: number } {
  return { year: now.getUTCFullYear(), month: quarterStartMonth(now) + quarterlyWave(contactId) };
}

/** The contact's wave month of the quarter containing `now`: [start, end) in UTC. */
export function quarterlySendWindow(contactId: string, now: Date): { readonly start: Date; readonly end: Date } {
  const { year, month } = quarterlyWaveMonth(contactId, now);
  return { start: new Date(Date.UTC(year, month - 1, 1)), end: new Date(Date.UTC(year, month, 1)) };
}

export interface QuarterlySurveyInput {
  readonly contact: SurveyRecipient & { readonly id: string };
  readonly accountActive: boolean;
  /** The contact's sent or pending surveys (any stream). */
  readonly contactSurveys: readonly ContactSurvey[];
  readonly now: Date;
}

/**
 * Decides the contact's quarterly survey for the quarter containing `now`. Before the wave
 * month it is scheduled at the first instant (00:00 UTC) of the wave month; during the wave
 * month it is sent now; after it, `wave_month_passed`. Checks in order: opted_out, no_email,
 * account_inactive, already_surveyed_this_quarter, wave_month_passed, suppressed (at sendAt).
 */
export function decideQuarterlySurvey(input: QuarterlySurveyInput, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): SurveyDecision {
  const { now } = input;
  assertValidInstant(now, 'now');
  const recipientReason = recipientSkipReason(input.contact);
  if (recipientReason) return skipDecision(recipientReason);
  if (!input.accountActive) return skipDecision('account_inactive');
  const quarter = quarterOf(now);
  if (input.contactSurveys.some((s) => s.trigger === 'quarterly' && quarterOf(s.at) === quarter)) {
    return skipDecision('already_surveyed_this_quarter');
  }
  const window = quarterlySendWindow(input.contact.id, now);
  if (now.getTime() >= window.end.getTime()) return skipDecision('wave_month_passed');
  const sendAt = now.getTime() < window.start.getTime() ? window.start : now;
  if (isSuppressed(sendAt, input.contactSurveys, settings)) return skipDecision('suppressed');
  return sendDecision(sendAt);
}
