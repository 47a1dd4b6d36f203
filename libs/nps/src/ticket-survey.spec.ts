import { programSettings } from './settings';
import type { ContactSurvey } from './suppression';
import { attributeTicketRequester, decideTicketSurvey, ticketSurveyDeadline, ticketSurveySendTime, type TicketSurveyInput } from './ticket-survey';

const solvedAt = new Date('2025-03-10T09:00:00Z');
const H = 3_600_000;
const after = (hours: number, ms = 0) => new Date(solvedAt.getTime() + hours * H + ms);

const base: TicketSurveyInput = {
  ticket: { id: '123', status: 'solved', solvedAt },
  requester: { email: 'pat@acme.test', optedOut: false },
  ticketAlreadySurveyed: false,
  contactSurveys: [],
  now: solvedAt,
};

describe('ticket_solved timing', () => {
  it('send time is solved + 24 h, deadline solved + 72 h', () => {
    expect(ticketSurveySendTime(solvedAt)).toEqual(new Date('2025-03-11T09:00:00Z'));
    expect(ticketSurveyDeadline(solvedAt)).toEqual(new Date('2025-03-13T09:00:00Z'));
  });

  it('at solve time it is scheduled for exactly +24 h', () => {
    expect(decideTicketSurvey(base)).toEqual({ send: true, sendAt: after(24), cancelSurveyIds: [] });
  });

  it('at +24 h it is sent at +24 h', () => {
    expect(decideTicketSurvey({ ...base, now: after(24) })).toEqual({ send: true, sendAt: after(24), cancelSurveyIds: [] });
  });

  it('late but within +72 h (after an outage) it is sent now', () => {
    expect(decideTicketSurvey({ ...base, now: after(50) })).toEqual({ send: true, sendAt: after(50), cancelSurveyIds: [] });
    expect(decideTicketSurvey({ ...base, now: after(72) })).toEqual({ send: true, sendAt: after(72), cancelSurveyIds: [] });
  });

  it('past +72 h it is skipped too_late', () => {
    expect(decideTicketSurvey({ ...base, now: after(72, 1) })).toEqual({ send: false, reason: 'too_late' });
    expect(decideTicketSurvey({ ...base, now: after(100) })).toEqual({ send: false, reason: 'too_late' });
  });

  it('uses configured delays', () => {
    const settings = programSettings({ ticketSendDelayHours: 2, ticketTooLateAfterHours: 6 });
    expect(decideTicketSurvey(base, settings)).toEqual({ send: true, sendAt: after(2), cancelSurveyIds: [] });
    expect(decideTicketSurvey({ ...base, now: after(7) }, settings)).toEqual({ send: false, reason: 'too_late' });
  });
});

describe('ticket_solved rules', () => {
  it('a reopened ticket cancels its pending survey', () => {
    for (const status of ['open', 'pending', 'hold', 'new'] as const) {
      expect(decideTicketSurvey({ ...base, ticket: { ...base.ticket, status }, now: after(24) })).toEqual({
        send: false,
        reason: 'ticket_reopened',
      });
    }
  });

  it('a closed ticket is still surveyed', () => {
    expect(decideTicketSurvey({ ...base, ticket: { ...base.ticket, status: 'closed' }, now: after(30) }).send).toBe(true);
  });

  it('at most one survey per ticket, ever', () => {
    expect(decideTicketSurvey({ ...base, ticketAlreadySurveyed: true })).toEqual({
      send: false,
      reason: 'ticket_already_surveyed',
    });
  });

  it('an unsubscribed requester is never surveyed; no email is skipped', () => {
    expect(decideTicketSurvey({ ...base, requester: { email: 'x@y.z', optedOut: true } })).toEqual({
      send: false,
      reason: 'opted_out',
    });
    expect(decideTicketSurvey({ ...base, requester: { email: null, optedOut: false } })).toEqual({
      send: false,
      reason: 'no_email',
    });
  });

  it('suppression is evaluated at the send time (29 d suppressed, 30 d allowed)', () => {
    const prior = (daysBeforeSend: number): ContactSurvey[] => [{ id: 'q', trigger: 'quarterly', status: 'sent', at: new Date(after(24).getTime() - daysBeforeSend * 24 * H) }];
    expect(decideTicketSurvey({ ...base, contactSurveys: prior(29) })).toEqual({ send: false, reason: 'suppressed' });
    expect(decideTicketSurvey({ ...base, contactSurveys: prior(30) })).toEqual({
      send: true,
      sendAt: after(24),
      cancelSurveyIds: [],
    });
  });

  it('too_late is reported before suppressed', () => {
    const recent: ContactSurvey[] = [{ id: 'q', trigger: 'quarterly', status: 'sent', at: solvedAt }];
    expect(decideTicketSurvey({ ...base, contactSurveys: recent, now: after(80) })).toEqual({
      send: false,
      reason: 'too_late',
    });
  });
});

describe('attributeTicketRequester', () => {
  const contacts = [
    { id: 'c2', email: 'Pat@Acme.test', accountId: 'acc-1' },
    { id: 'c1', email: 'pat@acme.test', accountId: null },
    { id: 'c3', email: 'sam@acme.test', accountId: 'acc-2' },
  ];

  it('matches the contact by email (case-insensitive) and the account through the contact', () => {
    expect(attributeTicketRequester({ requesterEmail: ' PAT@acme.test', organizationExternalId: 'acc-9', contacts })).toEqual({
      contactId: 'c2',
      accountId: 'acc-1',
      accountVia: 'contact',
    });
  });

  it('falls back to the organization external_id', () => {
    expect(attributeTicketRequester({ requesterEmail: 'new@acme.test', organizationExternalId: 'acc-9', contacts })).toEqual({
      contactId: null,
      accountId: 'acc-9',
      accountVia: 'organization',
    });
    expect(
      attributeTicketRequester({
        requesterEmail: 'pat@acme.test',
        organizationExternalId: 'acc-9',
        contacts: [contacts[1]],
      }),
    ).toEqual({ contactId: 'c1', accountId: 'acc-9', accountVia: 'organization' });
  });

  it('returns nothing when neither matches', () => {
    expect(attributeTicketRequester({ requesterEmail: null, organizationExternalId: null, contacts })).toEqual({
      contactId: null,
      accountId: null,
      accountVia: null,
    });
  });
});
