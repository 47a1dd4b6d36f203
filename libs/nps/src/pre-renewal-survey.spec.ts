import {
  choosePreRenewalRecipients,
  decidePreRenewalRecipient,
  isInPreRenewalWindow,
  planPreRenewalSurveys,
  preRenewalAccountSkipReason,
  renewalDaysAhead,
  type AccountContact,
  type RenewalAccount,
} from './pre-renewal-survey';
import { programSettings } from './settings';
import type { ContactSurvey } from './suppression';

const now = new Date('2025-01-01T18:30:00Z');
const inDays = (d: number) => new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
const contact = (id: string, role: AccountContact['role'], extra: Partial<AccountContact> = {}): AccountContact => ({
  id,
  role,
  email: `${id}@acme.test`,
  optedOut: false,
  ...extra,
});
const account = (renewalDate: string | null, surveyedRenewalDates: string[] = []): RenewalAccount => ({
  id: 'acc',
  renewalDate,
  surveyedRenewalDates,
});

describe('pre_renewal window: 60–90 calendar days ahead, inclusive', () => {
  it.each([
    [59, false],
    [60, true],
    [75, true],
    [90, true],
    [91, false],
  ])('%p days ahead → %p', (days, inWindow) => {
    expect(renewalDaysAhead(inDays(days), now)).toBe(days);
    expect(isInPreRenewalWindow(inDays(days), now)).toBe(inWindow);
    expect(preRenewalAccountSkipReason(account(inDays(days)), now)).toBe(inWindow ? null : 'outside_renewal_window');
  });

  it('counts calendar days from today’s UTC date, not 24 h periods', () => {
    expect(renewalDaysAhead('2025-03-02', new Date('2025-01-01T23:59:59Z'))).toBe(60);
    expect(renewalDaysAhead('2025-03-02', new Date('2025-01-02T00:00:00Z'))).toBe(59);
  });

  it('uses a configured window', () => {
    const settings = programSettings({ preRenewalMinDaysAhead: 30, preRenewalMaxDaysAhead: 45 });
    expect(isInPreRenewalWindow(inDays(30), now, settings)).toBe(true);
    expect(isInPreRenewalWindow(inDays(60), now, settings)).toBe(false);
  });

  it('needs a renewal date and runs once per renewal date', () => {
    expect(preRenewalAccountSkipReason(account(null), now)).toBe('no_renewal_date');
    expect(preRenewalAccountSkipReason(account(inDays(70), [inDays(70)]), now)).toBe('renewal_already_surveyed');
    expect(preRenewalAccountSkipReason(account(inDays(70), ['2024-03-01']), now)).toBeNull();
  });
});

describe('recipient choice', () => {
  it('decision makers when there are any', () => {
    const chosen = choosePreRenewalRecipients([contact('e1', 'end_user'), contact('d2', 'decision_maker'), contact('a1', 'admin'), contact('d1', 'decision_maker')]);
    expect(chosen.map((c) => c.id)).toEqual(['d1', 'd2']);
  });

  it('else admins', () => {
    const chosen = choosePreRenewalRecipients([contact('e1', 'end_user'), contact('a2', 'admin'), contact('a1', 'admin')]);
    expect(chosen.map((c) => c.id)).toEqual(['a1', 'a2']);
  });

  it('else up to 5 contacts, end users first, then by id', () => {
    const contacts = ['o1', 'o2', 'o3', 'e3', 'e1', 'e2', 'o0'].map((id) => contact(id, id.startsWith('e') ? 'end_user' : 'other'));
    expect(choosePreRenewalRecipients(contacts).map((c) => c.id)).toEqual(['e1', 'e2', 'e3', 'o0', 'o1']);
    expect(choosePreRenewalRecipients(contacts.slice(0, 2)).map((c) => c.id)).toEqual(['o1', 'o2']);
  });

  it('ignores unreachable contacts when picking the group', () => {
    const chosen = choosePreRenewalRecipients([contact('d1', 'decision_maker', { optedOut: true }), contact('d2', 'decision_maker', { email: null }), contact('a1', 'admin')]);
    expect(chosen.map((c) => c.id)).toEqual(['a1']);
    expect(choosePreRenewalRecipients([])).toEqual([]);
  });
});

describe('per-recipient decision', () => {
  const pendingQuarterly: ContactSurvey = {
    id: 'q1',
    trigger: 'quarterly',
    status: 'pending',
    at: new Date('2025-01-05T00:00:00Z'),
  };

  it('cancels a pending, unsent quarterly survey instead of being suppressed by it', () => {
    expect(decidePreRenewalRecipient({ contactSurveys: [pendingQuarterly], now })).toEqual({
      send: true,
      sendAt: now,
      cancelSurveyIds: ['q1'],
    });
  });

  it('a sent quarterly within 30 days suppresses it', () => {
    const sent: ContactSurvey = { ...pendingQuarterly, id: 'q0', status: 'sent', at: new Date('2024-12-20T00:00:00Z') };
    expect(decidePreRenewalRecipient({ contactSurveys: [sent, pendingQuarterly], now })).toEqual({
      send: false,
      reason: 'suppressed',
    });
  });

  it('a pending ticket survey within 30 days suppresses it', () => {
    const ticket: ContactSurvey = { id: 't', trigger: 'ticket_solved', status: 'pending', at: now };
    expect(decidePreRenewalRecipient({ contactSurveys: [ticket], now })).toEqual({ send: false, reason: 'suppressed' });
  });
});

describe('planPreRenewalSurveys', () => {
  it('plans one decision per chosen recipient', () => {
    const plan = planPreRenewalSurveys({
      account: account(inDays(60)),
      contacts: [contact('d1', 'decision_maker'), contact('d2', 'decision_maker'), contact('a1', 'admin')],
      surveysByContact: { d2: [{ id: 's', trigger: 'ticket_solved', status: 'sent', at: new Date('2024-12-31T00:00:00Z') }] },
      now,
    });
    expect(plan).toEqual({
      accountSkipReason: null,
      renewalDate: '2025-03-02',
      surveys: [
        { contactId: 'd1', decision: { send: true, sendAt: now, cancelSurveyIds: [] } },
        { contactId: 'd2', decision: { send: false, reason: 'suppressed' } },
      ],
    });
  });

  it('surveys nobody outside the window', () => {
    expect(planPreRenewalSurveys({ account: account(inDays(91)), contacts: [contact('d1', 'decision_maker')], surveysByContact: {}, now })).toEqual({
      accountSkipReason: 'outside_renewal_window',
      renewalDate: '2025-04-02',
      surveys: [],
    });
  });
});
