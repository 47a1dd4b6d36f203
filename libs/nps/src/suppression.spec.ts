import { programSettings } from './settings';
import { isResponseSettled, isSuppressed, isSurveyLinkExpired, recipientSkipReason, responseSettlesAt, surveyLinkExpiresAt, type ContactSurvey } from './suppression';

const DAY = 86_400_000;
const sendAt = new Date('2025-05-31T10:00:00Z');
const at = (msBefore: number): ContactSurvey => ({
  id: 's1',
  trigger: 'ticket_solved',
  status: 'sent',
  at: new Date(sendAt.getTime() - msBefore),
});

describe('suppression (window 30 d, exact; 30 d apart is allowed)', () => {
  it('29 days apart is suppressed', () => {
    expect(isSuppressed(sendAt, [at(29 * DAY)])).toBe(true);
  });

  it('one minute short of 30 days is suppressed', () => {
    expect(isSuppressed(sendAt, [at(30 * DAY - 60_000)])).toBe(true);
  });

  it('exactly 30 days apart is allowed', () => {
    expect(isSuppressed(sendAt, [at(30 * DAY)])).toBe(false);
  });

  it('31 days apart is allowed; no history is allowed', () => {
    expect(isSuppressed(sendAt, [at(31 * DAY)])).toBe(false);
    expect(isSuppressed(sendAt, [])).toBe(false);
  });

  it('a pending survey scheduled later also suppresses (both directions)', () => {
    expect(isSuppressed(sendAt, [{ ...at(-10 * DAY), status: 'pending' }])).toBe(true);
    expect(isSuppressed(sendAt, [{ ...at(-30 * DAY), status: 'pending' }])).toBe(false);
  });

  it('ignores listed survey ids', () => {
    expect(isSuppressed(sendAt, [at(DAY)], undefined, ['s1'])).toBe(false);
  });

  it('uses the configured window', () => {
    const settings = programSettings({ suppressionWindowDays: 14 });
    expect(isSuppressed(sendAt, [at(14 * DAY)], settings)).toBe(false);
    expect(isSuppressed(sendAt, [at(13 * DAY)], settings)).toBe(true);
  });
});

describe('recipient checks', () => {
  it('opt-out wins over everything, then a missing email', () => {
    expect(recipientSkipReason({ email: 'a@b.co', optedOut: true })).toBe('opted_out');
    expect(recipientSkipReason({ email: null, optedOut: true })).toBe('opted_out');
    expect(recipientSkipReason({ email: null, optedOut: false })).toBe('no_email');
    expect(recipientSkipReason({ email: '  ', optedOut: false })).toBe('no_email');
    expect(recipientSkipReason({ email: 'a@b.co', optedOut: false })).toBeNull();
  });
});

describe('survey link expiry (answers accepted until sent + 30 d)', () => {
  const sent = new Date('2025-01-01T00:00:00Z');
  it('accepts at exactly +30 d and expires just after', () => {
    expect(surveyLinkExpiresAt(sent)).toEqual(new Date('2025-01-31T00:00:00Z'));
    expect(isSurveyLinkExpired(sent, new Date('2025-01-31T00:00:00Z'))).toBe(false);
    expect(isSurveyLinkExpired(sent, new Date('2025-01-31T00:00:00.001Z'))).toBe(true);
  });
});

describe('response settling', () => {
  const click = new Date('2025-01-01T10:00:00Z');
  it('settles 30 minutes after the last click without a comment', () => {
    expect(responseSettlesAt(click, null)).toEqual(new Date('2025-01-01T10:30:00Z'));
    expect(isResponseSettled(click, null, new Date('2025-01-01T10:29:59Z'))).toBe(false);
    expect(isResponseSettled(click, null, new Date('2025-01-01T10:30:00Z'))).toBe(true);
  });

  it('settles at comment submit when earlier', () => {
    const comment = new Date('2025-01-01T10:05:00Z');
    expect(responseSettlesAt(click, comment)).toEqual(comment);
  });
});
