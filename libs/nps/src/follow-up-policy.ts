/**
 * rules §6 Closing the loop: which follow-ups a settled response creates, and their text.
 * Relational responses → CRM tasks; ticket_solved responses → follow-ups on the helpdesk ticket.
 */
import { addHours, assertValidInstant } from './calendar';
import { formatMoney } from './money';
import { scoreCategory } from './score';
import { isEnterpriseAccount } from './segments';
import { DEFAULT_PROGRAM_SETTINGS, type FollowUpRule, type ProgramSettings } from './settings';
import { MixedStreamError, TRIGGER_STREAM, type Category, type IsoDate, type MoneyAmount, type Priority, type Role, type Stream, type TicketStatus, type Trigger } from './types';

export interface SettledResponse {
  readonly id: string;
  readonly stream: Stream;
  readonly trigger: Trigger;
  readonly score: number;
  readonly comment: string | null;
  readonly settledAt: Date;
  readonly respondent: {
    readonly contactId: string | null;
    readonly name: string | null;
    readonly email: string;
    /** Role snapshot at response time. */
    readonly role: Role;
  };
  /** Promoter opted in to a reference call or case study. */
  readonly referenceOptIn?: boolean;
}

export interface FollowUpAccount {
  readonly id: string;
  readonly name: string;
  readonly tier: string | null;
  readonly arr: MoneyAmount | null;
  readonly renewalDate: IsoDate | null;
  /** The account's CSM (CRM owner). */
  readonly ownerId: string | null;
}

export type FollowUpKind = 'detractor_call' | 'renewal_check_in' | 'leadership_escalation' | 'improvement_ask' | 'advocacy_ask';

type OwnerRole = 'account_owner' | 'leadership_escalation_owner';

export interface FollowUpTask {
  readonly kind: FollowUpKind;
  readonly ownerRole: OwnerRole;
  /** CRM user id: the account owner, or the configured leadership owner; null when unset. */
  readonly ownerId: string | null;
  readonly due: Date;
  readonly priority: Priority;
  /** What the task asks the owner to do. */
  readonly asks: string;
  readonly subject: string;
  /** Full task text (score, category, comment, respondent and role, account, ARR, renewal, link). */
  readonly description: string;
  /** The respondent's CRM contact, which the task is about. */
  readonly contactId: string | null;
  /** The CRM account the task is about. */
  readonly accountId: string;
}

export interface SourceTicket {
  readonly id: string;
  readonly status: TicketStatus;
  /** The solving agent's group. */
  readonly groupId: string | null;
}

/**
 * What a ticket_solved response sets in motion in the helpdesk, in the product's words: the
 * score (for the connection's score field), tags and a private note on the solved ticket (or on
 * a follow-up of it once closed), and for a detractor a task ticket. Each helpdesk connector
 * maps these onto its own calls.
 */
export type TicketFollowUp =
  | {
      readonly kind: 'update_ticket';
      readonly ticketId: string;
      /** For the connection's score field. */
      readonly score: number;
      readonly tags: readonly string[];
      readonly privateNote: string;
    }
  | {
      /** A closed ticket cannot be updated: score, tag and note go on a follow-up ticket. */
      readonly kind: 'create_follow_up_ticket';
      readonly followUpOfTicketId: string;
      readonly score: number;
      readonly tags: readonly string[];
      readonly privateNote: string;
    }
  | {
      readonly kind: 'create_task_ticket';
      readonly type: 'task';
      readonly relatedTicketId: string;
      readonly groupId: string | null;
      readonly due: Date;
      readonly priority: Priority;
      readonly subject: string;
      readonly description: string;
    };

/** Why a follow-up the rules ask for is not created. */
type FollowUpSkipReason = 'no_leadership_owner';

/** A follow-up the rules ask for that cannot be created as it stands: recorded, with its reason. */
export interface SkippedFollowUp extends FollowUpTask {
  readonly skipReason: FollowUpSkipReason;
}

export interface FollowUpPlan {
  readonly tasks: readonly FollowUpTask[];
  /** ticket_solved only: what goes onto the helpdesk ticket. */
  readonly tickets: readonly TicketFollowUp[];
  /** Asked for but not created (an escalation without a leadership owner): listed for the admin. */
  readonly skipped: readonly SkippedFollowUp[];
}

export const ASKS: Readonly<Record<FollowUpKind, string>> = {
  detractor_call: 'Call the respondent, ask one root-cause question, and record the action.',
  renewal_check_in: 'Check in ahead of the renewal: call the respondent, ask one root-cause question, and record the action.',
  leadership_escalation: 'Escalation (enterprise detractor): make sure the respondent is called, one root-cause question is asked, and the action is recorded.',
  improvement_ask: 'Ask: "What would need to change for you to give us a 9 or 10?"',
  advocacy_ask: 'Advocacy ask: case study, reference call or review.',
};

const ROLE_LABEL: Readonly<Record<Role, string>> = {
  decision_maker: 'decision maker',
  admin: 'admin',
  end_user: 'end user',
  other: 'other',
};

export interface FollowUpTextInput {
  readonly score: number;
  readonly comment: string | null;
  readonly respondent: { readonly name: string | null; readonly email: string; readonly role: Role };
  readonly account: Pick<FollowUpAccount, 'name' | 'arr' | 'renewalDate'> | null;
  readonly responseUrl: string;
  readonly asks?: string;
}

/** Task/note text carrying score, category, comment, respondent and role, account, ARR,
 *  renewal date and the response link — one fact per line. */
export function buildFollowUpTaskText(input: FollowUpTextInput): string {
  const category = scoreCategory(input.score);
  const who = input.respondent.name ? `${input.respondent.name} <${input.respondent.email}>` : input.respondent.email;
  const comment = input.comment && input.comment.trim() !== '' ? `"${input.comment.trim()}"` : '(no comment)';
  const lines = [
    `NPS score: ${input.score} (${category})`,
    `Comment: ${comment}`,
    `Respondent: ${who}, ${ROLE_LABEL[input.respondent.role]}`,
    `Account: ${input.account?.name ?? 'unknown'}`,
    `ARR: ${input.account?.arr != null ? formatMoney(input.account.arr) : 'not set'}`,
    `Renewal date: ${input.account?.renewalDate ?? 'not set'}`,
    `Response: ${input.responseUrl}`,
  ];
  if (input.asks) lines.push(`Next step: ${input.asks}`);
  return lines.join('\n');
}

function subjectFor(kind: FollowUpKind, category: Category, score: number, respondent: string, account: string): string {
  const what: Record<FollowUpKind, string> = {
    detractor_call: 'call',
    renewal_check_in: 'renewal check-in with',
    leadership_escalation: 'escalation: follow-up with',
    improvement_ask: 'ask what would make it a 9 or 10:',
    advocacy_ask: 'advocacy ask:',
  };
  return `NPS ${category} (${score}/10): ${what[kind]} ${respondent} at ${account}`;
}

/**
 * The follow-ups for a settled response (due times count from settledAt). One follow-up per
 * response for its owner:
 * - pre_renewal with score < 7: renewal_check_in +24 h high, INSTEAD of the detractor call;
 * - otherwise relational detractor: detractor_call +48 h high to the account owner;
 * - passive: improvement_ask +7 d normal; promoter: advocacy_ask +7 d low.
 * Besides it, a relational detractor on an enterprise account gets a leadership_escalation
 * +48 h high to the configured leadership owner — or, with none configured, the escalation is
 * skipped with reason `no_leadership_owner` (never created without an owner).
 * ticket_solved: ticket follow-ups only (see ticketFollowUps), never a CRM task or escalation;
 * onboarding: none yet.
 */
export function followUpPlan(
  input: {
    readonly response: SettledResponse;
    readonly account: FollowUpAccount | null;
    readonly responseUrl: string;
    /** Required for ticket_solved responses. */
    readonly ticket?: SourceTicket | null;
  },
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): FollowUpPlan {
  const { response } = input;
  assertValidInstant(response.settledAt, 'settledAt');
  const expected = TRIGGER_STREAM[response.trigger];
  if (response.stream !== expected) throw new MixedStreamError(expected, response.stream);
  const category = scoreCategory(response.score);

  if (response.stream === 'transactional') {
    if (response.trigger !== 'ticket_solved') return { tasks: [], tickets: [], skipped: [] };
    if (!input.ticket) throw new Error(`Response ${response.id}: a ticket_solved follow-up needs its ticket`);
    return { tasks: [], tickets: ticketFollowUps({ ...input, ticket: input.ticket }, settings), skipped: [] };
  }
  const account = input.account;
  if (!account) throw new Error(`Response ${response.id}: a relational follow-up needs its account`);

  const rules = settings.followUp;
  const tasks: FollowUpTask[] = [];
  const respondentLabel = response.respondent.name ?? response.respondent.email;
  const make = (kind: FollowUpKind, rule: FollowUpRule, ownerRole: OwnerRole): FollowUpTask => {
    const asks = kind === 'advocacy_ask' && response.referenceOptIn ? `${ASKS[kind]} The respondent opted in to a reference call or case study.` : ASKS[kind];
    return {
      kind,
      ownerRole,
      ownerId: ownerRole === 'account_owner' ? account.ownerId : settings.leadershipOwnerId,
      due: addHours(response.settledAt, rule.dueHours),
      priority: rule.priority,
      asks,
      subject: subjectFor(kind, category, response.score, respondentLabel, account.name),
      description: buildFollowUpTaskText({ ...response, account, responseUrl: input.responseUrl, asks }),
      contactId: response.respondent.contactId,
      accountId: account.id,
    };
  };

  if (response.trigger === 'pre_renewal' && response.score < settings.preRenewalCheckInBelowScore) {
    tasks.push(make('renewal_check_in', rules.preRenewalCheckIn, 'account_owner'));
  } else if (category === 'detractor') {
    tasks.push(make('detractor_call', rules.detractor, 'account_owner'));
  } else if (category === 'passive') {
    tasks.push(make('improvement_ask', rules.passive, 'account_owner'));
  } else {
    tasks.push(make('advocacy_ask', rules.promoter, 'account_owner'));
  }
  const skipped: SkippedFollowUp[] = [];
  // Relational only (a ticket detractor returned above with its task ticket).
  if (response.stream === 'relational' && category === 'detractor' && settings.enterpriseEscalation && isEnterpriseAccount(account, settings)) {
    const escalation = make('leadership_escalation', rules.enterpriseEscalation, 'leadership_escalation_owner');
    if (escalation.ownerId?.trim()) tasks.push(escalation);
    else skipped.push({ ...escalation, skipReason: 'no_leadership_owner' });
  }
  return { tasks, tickets: [], skipped };
}

/**
 * ticket_solved: score field, tag `nps_{category}` and a private note with score, comment and
 * respondent — on the source ticket, or on a follow-up ticket when the source is closed. A
 * detractor also gets a `task` ticket due +ticketDetractorTaskDueHours (48 h by default),
 * assigned to the solving agent's group.
 */
function ticketFollowUps(
  input: {
    readonly response: SettledResponse;
    readonly account: FollowUpAccount | null;
    readonly responseUrl: string;
    readonly ticket: SourceTicket;
  },
  settings: ProgramSettings = DEFAULT_PROGRAM_SETTINGS,
): TicketFollowUp[] {
  const { response, ticket } = input;
  const category = scoreCategory(response.score);
  const tags = [`nps_${category}`];
  const privateNote = buildFollowUpTaskText({ ...response, account: input.account, responseUrl: input.responseUrl });
  const actions: TicketFollowUp[] = [
    ticket.status === 'closed'
      ? { kind: 'create_follow_up_ticket', followUpOfTicketId: ticket.id, score: response.score, tags, privateNote }
      : { kind: 'update_ticket', ticketId: ticket.id, score: response.score, tags, privateNote },
  ];
  if (category === 'detractor') {
    const respondent = response.respondent.name ?? response.respondent.email;
    actions.push({
      kind: 'create_task_ticket',
      type: 'task',
      relatedTicketId: ticket.id,
      groupId: ticket.groupId,
      due: addHours(response.settledAt, settings.ticketDetractorTaskDueHours),
      priority: 'high',
      subject: `NPS detractor (${response.score}/10) on ticket #${ticket.id}: follow up with ${respondent}`,
      description: buildFollowUpTaskText({
        ...response,
        account: input.account,
        responseUrl: input.responseUrl,
        asks: ASKS.detractor_call,
      }),
    });
  }
  return actions;
}
