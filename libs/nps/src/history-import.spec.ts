import { decideImportedAnswer, importedAnswerIsFollowedUp, parseImportInstant } from './history-import';
import { isSuppressed } from './suppression';

const NOW = new Date('2026-12-06T12:00:00Z');
const base: { surveyType: unknown; score: unknown; email: unknown; answeredAt: unknown } = { surveyType: 'nps', score: 9, email: ' Pat@Example.COM ', answeredAt: 1_760_000_000 };

describe('importing history (rules §10)', () => {
  it('keeps an NPS answer with its original time, lower-cased email and category; relational quarterly unless given', () => {
    expect(decideImportedAnswer(base, NOW)).toEqual({
      kind: 'import',
      answer: { score: 9, category: 'promoter', email: 'pat@example.com', answeredAt: new Date(1_760_000_000_000), stream: 'relational', trigger: 'quarterly' },
    });
    const ticket = decideImportedAnswer({ ...base, score: '3', surveyType: undefined, trigger: 'Ticket_Solved' }, NOW);
    expect(ticket).toMatchObject({ kind: 'import', answer: { score: 3, category: 'detractor', stream: 'transactional', trigger: 'ticket_solved' } });
    expect(decideImportedAnswer({ ...base, stream: 'transactional' }, NOW)).toMatchObject({ answer: { trigger: 'ticket_solved' } });
  });

  it('skips a non-NPS answer as not_nps before any other check, even without an email or a valid score', () => {
    expect(decideImportedAnswer({ ...base, surveyType: 'csat', score: 4, email: null }, NOW)).toEqual({ kind: 'not_nps' });
    expect(decideImportedAnswer({ ...base, surveyType: 'enps' }, NOW)).toEqual({ kind: 'not_nps' });
  });

  it('refuses a person without email as no_email, then bad emails, scores, dates, streams and triggers with their reason', () => {
    const reason = (input: Record<string, unknown>) => {
      const decision = decideImportedAnswer({ ...base, ...input }, NOW);
      return decision.kind === 'refused' ? decision.reason : decision.kind;
    };
    expect(reason({ email: null })).toBe('no_email');
    expect(reason({ email: '   ' })).toBe('no_email');
    expect(reason({ email: 'not an address' })).toBe('invalid_email');
    expect(reason({ surveyType: null })).toBe('missing_survey_type');
    for (const score of [11, -1, 7.5, '10.0', 'ten', null, true]) expect(reason({ score })).toBe('invalid_score');
    for (const answeredAt of ['2026-02-30', '2026-13-01', 'yesterday', '', '2026-01-01T24:00:00Z', '2027-01-01T00:00:00Z', 1e15]) {
      expect(reason({ answeredAt })).toBe('invalid_date');
    }
    expect(reason({ stream: 'loyalty' })).toBe('invalid_stream');
    expect(reason({ trigger: 'renewal' })).toBe('invalid_trigger');
    expect(reason({ stream: 'relational', trigger: 'ticket_solved' })).toBe('invalid_trigger');
  });

  it('names the value in the refusal', () => {
    expect(decideImportedAnswer({ ...base, score: 11 }, NOW)).toEqual({ kind: 'refused', reason: 'invalid_score', detail: 'score 11 is not a whole number from 0 to 10' });
    expect(decideImportedAnswer({ ...base, answeredAt: '2026-02-30' }, NOW)).toEqual({
      kind: 'refused',
      reason: 'invalid_date',
      detail: 'date "2026-02-30" is not ISO 8601 or Unix seconds',
    });
  });

  it('reads ISO 8601 (UTC without an offset) and Unix seconds, as numbers or digits', () => {
    expect(parseImportInstant('2026-03-01')).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(parseImportInstant('2026-03-01T09:30')).toEqual(new Date('2026-03-01T09:30:00Z'));
    expect(parseImportInstant('2026-03-01 09:30:15.250Z')).toEqual(new Date('2026-03-01T09:30:15.250Z'));
    expect(parseImportInstant('2026-03-01T09:30:00+02:00')).toEqual(new Date('2026-03-01T07:30:00Z'));
    expect(parseImportInstant('2026-03-01T09:30:00-0530')).toEqual(new Date('2026-03-01T15:00:00Z'));
    expect(parseImportInstant('1713418460')).toEqual(new Date(1_713_418_460_000));
    expect(parseImportInstant(1713418460.5)).toEqual(new Date(1_713_418_460_500));
    expect(parseImportInstant('2024-02-29')).toEqual(new Date('2024-02-29T00:00:00Z'));
    for (const bad of ['2025-02-29', '03/01/2026', '2026-03-01T09:60', -5, Number.NaN, null]) expect(parseImportInstant(bad)).toBeNull();
  });

  it('follows up an imported answer up to exactly 30 days old, never an older one', () => {
    const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
    expect(importedAnswerIsFollowedUp(daysAgo(0), NOW)).toBe(true);
    expect(importedAnswerIsFollowedUp(daysAgo(30), NOW)).toBe(true);
    expect(importedAnswerIsFollowedUp(new Date(daysAgo(30).getTime() - 1), NOW)).toBe(false);
    expect(importedAnswerIsFollowedUp(daysAgo(400), NOW)).toBe(false);
  });

  it("counts an imported person's last send for suppression like any survey sent", () => {
    const lastSent = { id: 'imported:delighted:1', trigger: 'imported' as const, status: 'sent' as const, at: new Date('2026-11-20T00:00:00Z') };
    expect(isSuppressed(NOW, [lastSent])).toBe(true);
    expect(isSuppressed(new Date('2026-12-20T00:00:00Z'), [lastSent])).toBe(false);
  });
});
