/**
 * rules §4 pre_renewal (relational): accounts whose renewal date is 60–90 calendar days ahead;
 * decision makers, else admins, else up to 5 contacts; once per account per renewal date.
 */
import { assertValidInstant, calendarDaysUntil, isoDateToDayNumber } from './calendar';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import { isSuppressed, recipientSkipReason, sendDecision, skipDecision, type ContactSurvey, type SkipReason, type SurveyDecision } from './suppression';
import { ROLE_PRECEDENCE, type IsoDate, type Role } from './types';

export interface RenewalAccount {
  readonly id: string;
  readonly renewalDate: IsoDate | null;
  /** Renewal dates this account was already surveyed for (pre_renewal). */
  readonly surveyedRenewalDates: readonly IsoDate[];
}

export interface AccountContact {
  readonly id: string;
  readonly email: string | null;
  readonly optedOut: boolean;
  readonly role: Role;
}

/** Calendar days from today's UTC date to the renewal date (today = 0). */
export function renewalDaysAhead(renewalDate: IsoDate, now: Date): number {
  return calendarDaysUntil(renewalDate, now);
}

/** True when the renewal date is 60–90 calendar days ahead, both ends inclusive. */
export function isInPreRenewalWindow(renewalDate: IsoDate, now: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): boolean {
  const days = renewalDaysAhead(renewalDate, now);
  return days >= settings.preRenewalMinDaysAhead && days <= settings.preRenewalMaxDaysAhead;
}

/** Account-level check: a renewal date, inside the window, not yet surveyed for that date. */
export function preRenewalAccountSkipReason(account: RenewalAccount, now: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): SkipReason | null {
  assertValidInstant(now, 'now');
  if (account.renewalDate === null) return 'no_renewal_date';
  if (!isInPreRenewalWindow(account.renewalDate, now, settings)) return 'outside_renewal_window';
  const day = isoDateToDayNumber(account.renewalDate);
  if (account.surveyedRenewalDates.some((d) => isoDateToDayNumber(d) === day)) return 'renewal_already_surveyed';
  return null;
}

function byRoleThenId(a: AccountContact, b: AccountContact): number {
  const byRole = ROLE_PRECEDENCE.indexOf(a.role) - ROLE_PRECEDENCE.indexOf(b.role);
  if (byRole !== 0) return byRole;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Who is surveyed: all decision makers; if there are none, all admins; if none, up to 5 other
 * contacts (end users first, then others, then by contact id — deterministic).
 * Only reachable contacts (with an email, not opted out) count when looking for a group, so an
 * account whose only decision maker unsubscribed falls back to its admins.
 */
export function choosePreRenewalRecipients(contacts: readonly AccountContact[], settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): AccountContact[] {
  const reachable = contacts.filter((c) => recipientSkipReason(c) === null).sort(byRoleThenId);
  const decisionMakers = reachable.filter((c) => c.role === 'decision_maker');
  if (decisionMakers.length > 0) return decisionMakers;
  const admins = reachable.filter((c) => c.role === 'admin');
  if (admins.length > 0) return admins;
  return reachable.slice(0, Math.max(0, settings.preRenewalFallbackMaxContacts));
}

/**
 * One recipient's decision, sent now. Pending unsent quarterly surveys of the contact do not
 * suppress it: they are cancelled (returned in cancelSurveyIds, reason superseded_by_pre_renewal).
 */
export function decidePreRenewalRecipient(
  input: { readonly contactSurveys: readonly ContactSurvey[]; readonly now: Date },
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): SurveyDecision {
  assertValidInstant(input.now, 'now');
  const pendingQuarterly = input.contactSurveys.filter((s) => s.trigger === 'quarterly' && s.status === 'pending').map((s) => s.id);
  if (isSuppressed(input.now, input.contactSurveys, settings, pendingQuarterly)) return skipDecision('suppressed');
  return sendDecision(input.now, pendingQuarterly);
}

export interface PreRenewalPlan {
  /** Null when the account is due; otherwise why no one is surveyed. */
  readonly accountSkipReason: SkipReason | null;
  readonly renewalDate: IsoDate | null;
  /** One decision per chosen recipient (empty when the account is skipped). */
  readonly surveys: readonly { readonly contactId: string; readonly decision: SurveyDecision }[];
}

/** The whole pre_renewal decision for one account at `now`. */
export function planPreRenewalSurveys(
  input: {
    readonly account: RenewalAccount;
    readonly contacts: readonly AccountContact[];
    /** Sent or pending surveys per contact id (any stream). */
    readonly surveysByContact: Readonly<Record<string, readonly ContactSurvey[]>>;
    readonly now: Date;
  },
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): PreRenewalPlan {
  const accountSkipReason = preRenewalAccountSkipReason(input.account, input.now, settings);
  if (accountSkipReason !== null) {
    return { accountSkipReason, renewalDate: input.account.renewalDate, surveys: [] };
  }
  const surveys = choosePreRenewalRecipients(input.contacts, settings).map((contact) => ({
    contactId: contact.id,
    decision: decidePreRenewalRecipient({ contactSurveys: input.surveysByContact[contact.id] ?? [], now: input.now }, settings),
  }));
  return { accountSkipReason: null, renewalDate: input.account.renewalDate, surveys };
}
