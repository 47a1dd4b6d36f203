/**
 * rules §4 ticket_solved (transactional): when a solved helpdesk ticket's requester is surveyed, and
 * to which CRM contact and account the requester is attributed.
 */
import { addHours, assertValidInstant } from './calendar';
import { DEFAULT_PROGRAM_SETTINGS, type ProgramSettings } from './settings';
import { isSuppressed, recipientSkipReason, sendDecision, skipDecision, type ContactSurvey, type SurveyDecision, type SurveyRecipient } from './suppression';
import type { TicketStatus } from './types';

interface SolvedTicket {
  readonly id: string;
  /** The ticket's status now. `solved` or `closed` keep the survey; anything else is a reopen. */
  readonly status: TicketStatus;
  /** When the ticket (last) became solved. */
  readonly solvedAt: Date;
}

export interface TicketSurveyInput {
  readonly ticket: SolvedTicket;
  readonly requester: SurveyRecipient;
  /** True when another survey for this ticket was already sent or is pending (one per ticket, ever). */
  readonly ticketAlreadySurveyed: boolean;
  /** The requester's other sent or pending surveys (any stream), for suppression. */
  readonly contactSurveys: readonly ContactSurvey[];
  readonly now: Date;
}

/** solved + 24 h: the earliest send time. */
export function ticketSurveySendTime(solvedAt: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): Date {
  assertValidInstant(solvedAt, 'solvedAt');
  return addHours(solvedAt, settings.ticketSendDelayHours);
}

/** solved + 72 h: the last moment the survey may still be sent (inclusive). */
export function ticketSurveyDeadline(solvedAt: Date, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): Date {
  assertValidInstant(solvedAt, 'solvedAt');
  return addHours(solvedAt, settings.ticketTooLateAfterHours);
}

/**
 * Decides the survey for a solved ticket, at creation (before +24 h: scheduled at solved + 24 h)
 * or at send time (sendAt = now). Checks in order: opted_out, no_email, ticket_already_surveyed,
 * ticket_reopened, too_late (now strictly after solved + 72 h), suppressed (evaluated at sendAt).
 */
export function decideTicketSurvey(input: TicketSurveyInput, settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS): SurveyDecision {
  const { ticket, now } = input;
  assertValidInstant(now, 'now');
  const recipientReason = recipientSkipReason(input.requester);
  if (recipientReason) return skipDecision(recipientReason);
  if (input.ticketAlreadySurveyed) return skipDecision('ticket_already_surveyed');
  if (ticket.status !== 'solved' && ticket.status !== 'closed') return skipDecision('ticket_reopened');

  const earliest = ticketSurveySendTime(ticket.solvedAt, settings);
  const sendAt = now.getTime() < earliest.getTime() ? earliest : now;
  if (sendAt.getTime() > ticketSurveyDeadline(ticket.solvedAt, settings).getTime()) {
    return skipDecision('too_late');
  }
  if (isSuppressed(sendAt, input.contactSurveys, settings)) return skipDecision('suppressed');
  return sendDecision(sendAt);
}

export interface CrmContactRef {
  readonly id: string;
  readonly email: string | null;
  readonly accountId: string | null;
}

export interface RequesterAttribution {
  readonly contactId: string | null;
  readonly accountId: string | null;
  /** How the account was found. */
  readonly accountVia: 'contact' | 'organization' | null;
}

/**
 * Attributes a ticket requester: to a CRM contact by email (case-insensitive, trimmed), and to
 * an account through that contact, else through the helpdesk organization's external id (= CRM
 * account id). When several contacts share the email, the one with an account and the
 * smallest id wins, so the result does not depend on input order.
 */
export function attributeTicketRequester(input: {
  readonly requesterEmail: string | null;
  readonly organizationExternalId: string | null;
  readonly contacts: readonly CrmContactRef[];
}): RequesterAttribution {
  const email = input.requesterEmail?.trim().toLowerCase() ?? '';
  const matches =
    email === ''
      ? []
      : input.contacts
          .filter((c) => c.email !== null && c.email.trim().toLowerCase() === email)
          .sort((a, b) => {
            const byAccount = Number(a.accountId === null) - Number(b.accountId === null);
            return byAccount !== 0 ? byAccount : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
          });
  const contact = matches[0] ?? null;
  if (contact?.accountId) return { contactId: contact.id, accountId: contact.accountId, accountVia: 'contact' };
  const org = input.organizationExternalId?.trim() ?? '';
  if (org !== '') return { contactId: contact?.id ?? null, accountId: org, accountVia: 'organization' };
  return { contactId: contact?.id ?? null, accountId: null, accountVia: null };
}
