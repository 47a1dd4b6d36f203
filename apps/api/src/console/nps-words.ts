/**
 * Product words for the codes the program stores (libs/nps/README.md): what the console's program,
 * plan, account and person pages show beside or instead of a code. An unknown code reads as itself
 * with spaces, so a code added later still shows.
 */

const spaced = (code: string) => code.replace(/_/g, ' ');
const lookup = (table: Readonly<Record<string, string>>) => (code: string | null | undefined) => (code ? (table[code] ?? spaced(code)) : '—');

export const triggerName = lookup({
  quarterly: 'Quarterly wave',
  pre_renewal: 'Pre-renewal',
  ticket_solved: 'Ticket solved',
  onboarding: 'Onboarding',
});

export const streamName = lookup({ relational: 'Relational', transactional: 'Transactional' });

export const roleName = lookup({ decision_maker: 'Decision maker', admin: 'Admin', end_user: 'End user', other: 'Other' });

export const categoryName = lookup({ promoter: 'Promoter', passive: 'Passive', detractor: 'Detractor' });

/** Why a person was not surveyed (rules §4 "Skip reasons"), as a sentence end: "Skipped: …". */
export const skipReasonWords = lookup({
  opted_out: 'they unsubscribed',
  no_email: 'there is no email address for them',
  suppressed: 'they had another survey within the suppression window',
  too_late: 'it could not go out in time after the ticket was solved',
  ticket_reopened: 'the ticket was reopened before the survey went out',
  ticket_already_surveyed: 'this ticket was already surveyed',
  no_renewal_date: 'the account has no renewal date',
  outside_renewal_window: 'the renewal date is outside the pre-renewal window',
  renewal_already_surveyed: 'the account was already surveyed for this renewal',
  account_inactive: 'the account is not active',
  wave_month_passed: 'the month of their quarterly wave has passed',
  already_surveyed_this_quarter: 'they were already surveyed this quarter',
  superseded_by_pre_renewal: 'a pre-renewal survey took its place',
  capacity: 'the daily send cap left no room in time',
  source_removed: 'the CRM connection it came from was removed',
  no_leadership_owner: 'no leadership owner is set in the program',
});

/** Health quadrants (rules §7): a name and what puts an account there. */
export const QUADRANTS: ReadonlyArray<{ code: string; name: string; sentiment: string; activity: string }> = [
  { code: 'champion', name: 'Champion', sentiment: 'promoter', activity: 'high' },
  { code: 'adoption_risk', name: 'Adoption risk', sentiment: 'promoter', activity: 'low' },
  { code: 'passive_engaged', name: 'Passive, engaged', sentiment: 'passive', activity: 'high' },
  { code: 'passive_drifting', name: 'Passive, drifting', sentiment: 'passive', activity: 'low' },
  { code: 'friction', name: 'Friction', sentiment: 'detractor', activity: 'high' },
  { code: 'churn_risk', name: 'Churn risk', sentiment: 'detractor', activity: 'low' },
];

export function quadrantName(code: string | null | undefined): string {
  if (!code) return 'Not computed yet';
  if (code === 'unknown') return 'Unknown';
  return QUADRANTS.find((q) => q.code === code)?.name ?? spaced(code);
}

export const followUpKindName = lookup({
  detractor_call: 'Detractor call',
  renewal_check_in: 'Renewal check-in',
  leadership_escalation: 'Leadership escalation',
  improvement_ask: 'Improvement ask (passive)',
  advocacy_ask: 'Advocacy ask (promoter)',
  detractor_task_ticket: 'Task ticket (ticket detractor)',
});

export const surveyStatusName = lookup({
  scheduled: 'scheduled',
  sending: 'being sent',
  sent: 'sent',
  answered: 'answered',
  cancelled: 'cancelled',
  skipped: 'skipped',
  failed: 'failed',
});

/** A whole-number NPS for display: rounded once, half away from zero (rules §1), with its sign. */
const WHOLE_NPS = new Intl.NumberFormat('en', { maximumFractionDigits: 0, signDisplay: 'exceptZero', roundingMode: 'halfExpand' } as Intl.NumberFormatOptions);
export function wholeNps(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : WHOLE_NPS.format(value);
}

/** An amount stored as an exact decimal ("120000.00"), grouped for reading; never through a float. */
export function formatAmount(value: string | null | undefined): string {
  if (!value) return '—';
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(value);
  if (!match) return value;
  const cents = match[3] && !/^\.0+$/.test(match[3]) ? match[3] : '';
  return `${match[1]}${match[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${cents}`;
}
