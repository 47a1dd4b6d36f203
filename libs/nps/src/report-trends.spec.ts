import fc from 'fast-check';
import { nextPeriod, npsTrend, periodOf, responseRate, type SentSurvey, type TrendResponse } from './report-trends';
import { significanceOfChange, summariseCounts } from './score';
import { MixedStreamError, type Stream } from './types';

const t = (score: number, at: string, stream: Stream = 'relational'): TrendResponse => ({ stream, score, respondedAt: new Date(at) });

describe('periods', () => {
  it('names months and quarters in UTC and steps over year ends', () => {
    expect(periodOf(new Date('2025-01-31T23:59:59.999Z'), 'month')).toBe('2025-01');
    expect(periodOf(new Date('2025-02-01T00:00:00Z'), 'month')).toBe('2025-02');
    expect(periodOf(new Date('2025-03-31T23:59:59.999Z'), 'quarter')).toBe('2025-Q1');
    expect(nextPeriod('2025-12', 'month')).toBe('2026-01');
    expect(nextPeriod('2025-09', 'month')).toBe('2025-10');
    expect(nextPeriod('2025-Q4', 'quarter')).toBe('2026-Q1');
    expect(() => nextPeriod('2025-13' as never, 'month')).toThrow('Invalid month key');
  });
});

describe('npsTrend', () => {
  const responses = [t(10, '2025-01-15T00:00:00Z'), t(0, '2025-01-31T23:59:59.999Z'), t(9, '2025-03-01T00:00:00Z'), t(9, '2025-03-02T00:00:00Z'), t(7, '2025-04-01T00:00:00Z')];

  it('by month: every month from first to last, an empty month breaks the change chain', () => {
    const trend = npsTrend('relational', responses, 'month');
    expect(trend.map((p) => [p.period, p.summary.n, p.summary.nps])).toEqual([
      ['2025-01', 2, 0],
      ['2025-02', 0, null],
      ['2025-03', 2, 100],
      ['2025-04', 1, 0],
    ]);
    expect(trend.map((p) => p.changeFromPrevious)).toEqual([null, null, null, significanceOfChange(trend[2].summary, trend[3].summary)]);
    // 2 P of 2 → 1 passive: NPS' 2·100/5 = 40 → 0, not significant.
    expect(trend[3].changeFromPrevious).toMatchObject({ change: -100, adjustedChange: -40, significant: false });
    expect(trend.every((p) => p.summary.lowSample)).toBe(true);
    expect(trend[0].summary.interval).toEqual(summariseCounts('relational', { promoters: 1, passives: 0, detractors: 1 }).interval);
  });

  it('by quarter, with the change from the quarter before', () => {
    const trend = npsTrend('relational', responses, 'quarter');
    expect(trend.map((p) => [p.period, p.summary.promoters, p.summary.passives, p.summary.detractors])).toEqual([
      ['2025-Q1', 3, 0, 1],
      ['2025-Q2', 0, 1, 0],
    ]);
    expect(trend[1].changeFromPrevious?.change).toBe(-50);
  });

  it('fills a requested range and leaves out responses outside it', () => {
    const trend = npsTrend('relational', responses, 'month', { first: '2024-12', last: '2025-02' });
    expect(trend.map((p) => [p.period, p.summary.n])).toEqual([
      ['2024-12', 0],
      ['2025-01', 2],
      ['2025-02', 0],
    ]);
    expect(npsTrend('relational', [], 'quarter')).toEqual([]);
    expect(() => npsTrend('relational', [], 'month', { first: '2025-Q1', last: '2025-Q2' })).toThrow('Invalid month key');
    expect(() => npsTrend('relational', [], 'month', { first: '2025-03', last: '2025-01' })).toThrow('Invalid range');
  });

  it('refuses another stream', () => {
    expect(() => npsTrend('relational', [t(9, '2025-01-01T00:00:00Z', 'transactional')], 'month')).toThrow(MixedStreamError);
  });

  it('property: the periods partition the responses', () => {
    const instant = fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2026, 0, 1) });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 10 }), instant), { maxLength: 80 }), (rows) => {
        const list = rows.map(([score, ms]) => ({ stream: 'transactional' as Stream, score, respondedAt: new Date(ms) }));
        const months = npsTrend('transactional', list, 'month');
        const quarters = npsTrend('transactional', list, 'quarter');
        const total = (ps: typeof months) => ps.reduce((n, p) => n + p.summary.n, 0);
        return total(months) === list.length && total(quarters) === list.length;
      }),
    );
  });
});

describe('responseRate', () => {
  const period = { from: new Date('2025-04-01T00:00:00Z'), to: new Date('2025-05-01T00:00:00Z') };
  const s = (sentAt: string, answered: boolean, stream: Stream = 'transactional'): SentSurvey => ({ stream, sentAt: new Date(sentAt), answered });

  it('responses to surveys sent in [from, to) / surveys sent in it, with skips by reason', () => {
    const rate = responseRate(
      'transactional',
      {
        sent: [
          s('2025-04-01T00:00:00Z', true), // first instant: inside
          s('2025-04-30T23:59:59.999Z', true), // answered later: still counts
          s('2025-04-10T00:00:00Z', false),
          s('2025-05-01T00:00:00Z', true), // end is exclusive
          s('2025-03-31T23:59:59.999Z', true),
        ],
        skipped: [
          { stream: 'transactional', reason: 'too_late', decidedAt: new Date('2025-04-02T00:00:00Z') },
          { stream: 'transactional', reason: 'suppressed', decidedAt: new Date('2025-04-03T00:00:00Z') },
          { stream: 'transactional', reason: 'suppressed', decidedAt: new Date('2025-04-04T00:00:00Z') },
          { stream: 'transactional', reason: 'capacity', decidedAt: new Date('2025-05-04T00:00:00Z') },
        ],
      },
      period,
    );
    expect(rate).toEqual({ stream: 'transactional', ...period, sent: 3, responses: 2, rate: 2 / 3, skipsByReason: { suppressed: 2, too_late: 1 } });
  });

  it('is undefined when nothing was sent, and refuses mixed streams', () => {
    expect(responseRate('relational', { sent: [] }, period).rate).toBeNull();
    expect(() => responseRate('relational', { sent: [s('2025-04-02T00:00:00Z', true)] }, period)).toThrow(MixedStreamError);
    expect(() => responseRate('relational', { sent: [] }, { from: period.to, to: period.from })).toThrow('Invalid period');
  });
});
