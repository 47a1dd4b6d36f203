import { programSettings } from './settings';
import { emergingThemes, keywordPattern, tagThemes, themeCountsByQuarter, type ThemedResponse } from './themes';
import { MixedStreamError } from './types';

describe('tagThemes', () => {
  it('finds several themes in one comment, in canonical order', () => {
    expect(tagThemes('Pricing is too EXPENSIVE, the app is slow and we need a Jira integration')).toEqual(['performance', 'pricing', 'integration_request']);
  });

  it.each([
    ['The product is missing bulk edit', ['feature_gap']],
    ['Dashboards time out constantly, outage last week', ['performance']],
    ['Your support team never answers my tickets', ['support_quality']],
    ['We are switching to a competitor', ['competitor']],
    ['Please add an API and webhooks', ['integration_request']],
    ['Love it!', []],
    ['', []],
  ])('%p → %p', (comment, themes) => expect(tagThemes(comment)).toEqual(themes));

  it('matches whole words only, case-insensitively', () => {
    expect(tagThemes('It loads slowly')).toEqual([]); // "slow" ≠ "slowly"
    expect(tagThemes('Capital letters')).toEqual([]); // "api" inside "capital"
    expect(tagThemes('SLOW.')).toEqual(['performance']);
    expect(tagThemes('(api)')).toEqual(['integration_request']);
    expect(tagThemes('priceless')).toEqual([]);
  });

  it('matches phrases across whitespace and apostrophe styles', () => {
    expect(tagThemes('It doesn’t   support SAML')).toEqual(['feature_gap']);
    expect(tagThemes('customer\nservice was great')).toEqual(['support_quality']);
  });

  it('null comment → no theme', () => {
    expect(tagThemes(null)).toEqual([]);
  });

  it('uses configured keyword rules', () => {
    const settings = programSettings({ themeKeywords: { competitor: ['Globex'], pricing: [] } });
    expect(tagThemes('Globex is cheaper and pricing hurts', settings)).toEqual(['competitor']);
  });

  it('escapes regex characters in keywords', () => {
    expect(keywordPattern('c++').test('we use c++ daily')).toBe(true);
    expect(keywordPattern('a.b').test('axb')).toBe(false);
    expect(() => keywordPattern('   ')).toThrow('A theme keyword must not be empty');
  });
});

describe('emerging themes (≥ 5 detractor comments in a calendar quarter)', () => {
  const r = (score: number, comment: string, at: string): ThemedResponse => ({
    stream: 'relational',
    score,
    comment,
    respondedAt: new Date(at),
  });
  const slow = (n: number, at: string, score = 3) => Array.from({ length: n }, () => r(score, 'So slow', at));

  it('4 detractor comments are not emerging, 5 are', () => {
    expect(emergingThemes('relational', slow(4, '2025-02-01T00:00:00Z'))).toEqual([]);
    expect(emergingThemes('relational', slow(5, '2025-02-01T00:00:00Z'))).toEqual([{ quarter: '2025-Q1', theme: 'performance', detractorComments: 5, emerging: true }]);
  });

  it('counts per calendar quarter (UTC)', () => {
    const rs = [...slow(3, '2025-03-31T23:59:59Z'), ...slow(2, '2025-04-01T00:00:00Z')];
    expect(themeCountsByQuarter('relational', rs)).toEqual([
      { quarter: '2025-Q1', theme: 'performance', detractorComments: 3, emerging: false },
      { quarter: '2025-Q2', theme: 'performance', detractorComments: 2, emerging: false },
    ]);
  });

  it('only detractor comments count (score 6 does, 7 does not)', () => {
    const rs = [...slow(4, '2025-02-01T00:00:00Z', 6), ...slow(3, '2025-02-01T00:00:00Z', 7)];
    expect(emergingThemes('relational', rs)).toEqual([]);
    expect(emergingThemes('relational', [...rs, r(0, 'slow', '2025-02-02T00:00:00Z')])).toHaveLength(1);
  });

  it('a comment counts once per theme even when it repeats keywords', () => {
    const rs = Array.from({ length: 4 }, () => r(1, 'slow slow lag latency', '2025-02-01T00:00:00Z'));
    expect(themeCountsByQuarter('relational', rs)[0].detractorComments).toBe(4);
  });

  it('uses the configured minimum and never mixes streams', () => {
    expect(emergingThemes('relational', slow(3, '2025-02-01T00:00:00Z'), programSettings({ emergingThemeMinDetractorComments: 3 }))).toHaveLength(1);
    expect(() => emergingThemes('transactional', slow(5, '2025-02-01T00:00:00Z'))).toThrow(MixedStreamError);
  });
});
