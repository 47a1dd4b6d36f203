/**
 * rules §4: what every trigger shares: decisions, opt-out, suppression, link expiry; rules §5 settling.
 */
import { addDays, addHours, assertValidInstant, MS_PER_DAY } from './calendar';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import type { Trigger } from './types';

/** Why a survey is not sent. Every skip is recorded with its reason. */
export type SkipReason =
  /** the contact unsubscribed: never surveyed again */
  | 'opted_out'
  /** no email address to send to */
  | 'no_email'
  /** another survey is within the suppression window */
  | 'suppressed'
  /** ticket_solved: could not be sent by solved + 72 h */
  | 'too_late'
  /** ticket_solved: the ticket was reopened (not solved/closed any more) before sending */
  | 'ticket_reopened'
  /** ticket_solved: this ticket already has a survey (sent or pending); one per ticket, ever */
  | 'ticket_already_surveyed'
  /** pre_renewal: the account has no renewal date */
  | 'no_renewal_date'
  /** pre_renewal: the renewal date is not 60–90 calendar days ahead */
  | 'outside_renewal_window'
  /** pre_renewal: the account was already surveyed for this renewal date */
  | 'renewal_already_surveyed'
  /** quarterly: the account is not active */
  | 'account_inactive'
  /** quarterly: the contact's wave month of this quarter is over */
  | 'wave_month_passed'
  /** quarterly: the contact already has a quarterly survey this quarter */
  | 'already_surveyed_this_quarter'
  /** a pending quarterly survey cancelled by a pre_renewal survey for the same contact */
  | 'superseded_by_pre_renewal';

export type SurveyDecision =
  | {
      readonly send: true;
      readonly sendAt: Date;
      /** ids of pending, unsent surveys this one cancels (reason `superseded_by_pre_renewal`). */
      readonly cancelSurveyIds: readonly string[];
    }
  | { readonly send: false; readonly reason: SkipReason };

export function sendDecision(sendAt: Date, cancelSurveyIds: readonly string[] = []): SurveyDecision {
  return { send: true, sendAt, cancelSurveyIds };
}

export function skipDecision(reason: SkipReason): SurveyDecision {
  return { send: false, reason };
}

/** A survey already sent to, or pending (scheduled, unsent) for, the same contact. Cancelled
 *  and skipped surveys are not listed: they were never received. A send of an imported source
 *  (rules §10, its person's last sent time) is `imported`: it counts for suppression only. */
export interface ContactSurvey {
  readonly id: string;
  readonly trigger: Trigger | 'imported';
  readonly status: 'pending' | 'sent';
  /** Sent time, or the scheduled send time when pending. */
  readonly at: Date;
}

/** The person a survey would go to. */
export interface SurveyRecipient {
  readonly email: string | null;
  /** Unsubscribed through any survey email (or opted out in the CRM). */
  readonly optedOut: boolean;
}

/** Checks that apply before any trigger-specific rule: opt-out first, then a usable email. */
export function recipientSkipReason(recipient: SurveyRecipient): SkipReason | null {
  if (recipient.optedOut) return 'opted_out';
  if (recipient.email === null || recipient.email.trim() === '') return 'no_email';
  return null;
}

/**
 * Suppression (fixed rule, window configurable): nobody receives more than one survey of any
 * kind within the window. Boundary: surveys exactly `suppressionWindowDays` × 24 h apart are
 * allowed; anything closer (29 d 23 h 59 m …) is suppressed. Pending surveys count, at their
 * scheduled time, in both directions. Surveys in `ignoreIds` are not considered.
 */
export function isSuppressed(
  sendAt: Date,
  contactSurveys: readonly ContactSurvey[],
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
  ignoreIds: readonly string[] = [],
): boolean {
  assertValidInstant(sendAt, 'sendAt');
  const windowMs = settings.suppressionWindowDays * MS_PER_DAY;
  return contactSurveys.some((survey) => !ignoreIds.includes(survey.id) && Math.abs(survey.at.getTime() - sendAt.getTime()) < windowMs);
}

/** The last moment a survey link accepts an answer (sent + 30 d, inclusive). */
export function surveyLinkExpiresAt(sentAt: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): Date {
  assertValidInstant(sentAt, 'sentAt');
  return addDays(sentAt, settings.surveyLinkValidDays);
}

/** True once the link shows "expired" (410): strictly after sent + 30 d. */
export function isSurveyLinkExpired(sentAt: Date, now: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): boolean {
  assertValidInstant(now, 'now');
  return now.getTime() > surveyLinkExpiresAt(sentAt, settings).getTime();
}

/**
 * rules §5: when a response settles: at comment submit, or 30 minutes after the last click,
 * whichever comes first.
 */
export function responseSettlesAt(lastClickAt: Date, commentSubmittedAt: Date | null, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): Date {
  const byTimeout = addHours(lastClickAt, settings.responseSettleMinutes / 60);
  if (commentSubmittedAt === null) return byTimeout;
  return commentSubmittedAt.getTime() < byTimeout.getTime() ? commentSubmittedAt : byTimeout;
}

export function isResponseSettled(lastClickAt: Date, commentSubmittedAt: Date | null, now: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): boolean {
  return now.getTime() >= responseSettlesAt(lastClickAt, commentSubmittedAt, settings).getTime();
}
