import {
  collectAlerts,
  decliningQuartersAlert,
  detractorLoopClosureAlert,
  emergingThemeAlerts,
  revenueCoverageAlert,
  roleGapAlerts,
  significantDropAlert,
  type QuarterNps,
} from './alerts';
import type { FollowUpStatus } from './loop-closure';
import { revenueCoverage, type RevenueCoverage } from './report-accounts';
import { significanceOfChange, summariseCounts } from './score';
import { programSettings } from './settings';
import type { ThemedResponse } from './themes';
import { MixedStreamError, type QuarterKey, type Stream } from './types';

const q = (quarter: string, promoters: number, passives: number, detractors: number, stream: Stream = 'relational'): QuarterNps => ({
  quarter: quarter as QuarterKey,
  summary: summariseCounts(stream, { promoters, passives, detractors }),
});

describe('significant quarter-over-quarter drop', () => {
  it('fires for a drop ≥ 4 points that is significant', () => {
    // 600 P / 400 D (NPS 20) → 500 P / 500 D (NPS 0): drop 20, SE ≈ 3.1 each → significant.
    expect(significantDropAlert('relational', q('2025-Q1', 600, 0, 400), q('2025-Q2', 500, 0, 500))).toEqual({
      kind: 'significant_drop',
      cause: 'significant_drop:relational',
      period: '2025-Q2',
      stream: 'relational',
      previousQuarter: '2025-Q1',
      quarter: '2025-Q2',
      previousNps: 20,
      nps: 0,
      drop: 20,
      significance: significanceOfChange(q('2025-Q1', 600, 0, 400).summary, q('2025-Q2', 500, 0, 500).summary),
    });
  });

  it('reports the exact drop as one fraction: 100/3 → 200/7 drops 100/21', () => {
    // 2000 P, 1000 D of 3000 → 2000 P of 7000: adjusted change −4.74 beyond its threshold 3.53.
    const alert = significantDropAlert('relational', q('2025-Q1', 2000, 0, 1000), q('2025-Q2', 2000, 5000, 0));
    expect(alert?.kind === 'significant_drop' && alert.drop).toBe(100 / 21);
  });

  it('a significant adjusted rise is no drop, even where the exact change meets the drop points', () => {
    // 1 promoter → 1000 promoters: exact change 0 (≤ −0 with significantDropPoints 0), NPS' 25 → 99.7 (significant).
    const settings = programSettings({ significantDropPoints: 0 });
    const before = q('2025-Q1', 1, 0, 0);
    const after = q('2025-Q2', 1000, 0, 0);
    expect(significanceOfChange(before.summary, after.summary)?.significant).toBe(true);
    expect(significantDropAlert('relational', before, after, settings)).toBeNull();
  });

  it('a drop of exactly 4 points fires when significant; 3 points does not', () => {
    // All passives (SE 0) vs. 4 % more detractors: 0 → −4 with SE ≈ 0.62.
    expect(significantDropAlert('relational', q('2025-Q1', 0, 1000, 0), q('2025-Q2', 0, 960, 40))?.kind).toBe('significant_drop');
    expect(significantDropAlert('relational', q('2025-Q1', 0, 1000, 0), q('2025-Q2', 0, 970, 30))).toBeNull();
  });

  it('does not fire for a large but not significant drop (small samples)', () => {
    expect(significantDropAlert('relational', q('2025-Q1', 3, 0, 2), q('2025-Q2', 2, 0, 3))).toBeNull();
  });

  it('does not fire for a rise, for non-adjacent quarters, or without enough responses', () => {
    expect(significantDropAlert('relational', q('2025-Q1', 500, 0, 500), q('2025-Q2', 600, 0, 400))).toBeNull();
    expect(significantDropAlert('relational', q('2025-Q1', 600, 0, 400), q('2025-Q3', 500, 0, 500))).toBeNull();
    // 100 → −100 exact, but NPS' 25 → −25 is within 1.96·√(37.5² + 37.5²) = 103.9
    expect(significantDropAlert('relational', q('2025-Q1', 1, 0, 0), q('2025-Q2', 0, 0, 1))).toBeNull();
    expect(significantDropAlert('relational', q('2025-Q1', 600, 0, 400), q('2025-Q2', 0, 0, 0))).toBeNull();
  });

  it('at the significance boundary: the adjusted change decides', () => {
    // The mirror images of the boundary pairs in score.spec.ts.
    // 7 P of 10 → 5 P, 2 D of 20: NPS 70 → 15, adjusted −40.8027 beyond 40.7949 → fires.
    expect(significantDropAlert('relational', q('2025-Q1', 7, 3, 0), q('2025-Q2', 5, 13, 2))?.kind).toBe('significant_drop');
    // 2 P of 10 → 4 D of 20: NPS 20 → −20, adjusted −32.776 within 32.780 → does not fire.
    expect(significantDropAlert('relational', q('2025-Q1', 2, 8, 0), q('2025-Q2', 0, 16, 4))).toBeNull();
  });

  it('uses the configured drop and refuses mixed streams', () => {
    const settings = programSettings({ significantDropPoints: 25 });
    expect(significantDropAlert('relational', q('2025-Q1', 600, 0, 400), q('2025-Q2', 500, 0, 500), settings)).toBeNull();
    expect(() => significantDropAlert('relational', q('2025-Q1', 600, 0, 400), q('2025-Q2', 500, 0, 500, 'transactional'))).toThrow(MixedStreamError);
  });
});

describe('three declining quarters in a row', () => {
  const falling = [q('2024-Q3', 8, 0, 2), q('2024-Q4', 7, 0, 3), q('2025-Q1', 6, 0, 4), q('2025-Q2', 5, 0, 5)];

  it('fires when each of the last three quarters is below the one before', () => {
    expect(decliningQuartersAlert('relational', [...falling].reverse())).toEqual({
      kind: 'declining_quarters',
      cause: 'declining_quarters:relational',
      period: '2025-Q2',
      stream: 'relational',
      quarters: ['2024-Q4', '2025-Q1', '2025-Q2'],
    });
  });

  it('does not fire with only two declines, a flat quarter, a gap, or an empty quarter', () => {
    expect(decliningQuartersAlert('relational', falling.slice(1))).toBeNull();
    expect(decliningQuartersAlert('relational', [...falling.slice(0, 3), q('2025-Q2', 6, 0, 4)])).toBeNull();
    expect(decliningQuartersAlert('relational', [...falling.slice(0, 3), q('2025-Q3', 5, 0, 5)])).toBeNull();
    expect(decliningQuartersAlert('relational', [...falling.slice(0, 3), q('2025-Q2', 0, 0, 0)])).toBeNull();
  });

  it('uses the configured run length', () => {
    expect(decliningQuartersAlert('relational', falling.slice(2), programSettings({ decliningQuartersInARow: 1 }))?.kind).toBe('declining_quarters');
  });
});

describe('detractor loop closure alert', () => {
  const now = new Date('2025-05-01T00:00:00Z');
  const f = (closed: boolean, category: FollowUpStatus['category'] = 'detractor'): FollowUpStatus => ({
    stream: 'transactional',
    category,
    due: new Date('2025-04-01T00:00:00Z'),
    closedAt: closed ? new Date('2025-03-31T00:00:00Z') : null,
  });

  it('fires below 70 % and not at 70 %', () => {
    const seven = [...Array(7).fill(f(true)), ...Array(3).fill(f(false))];
    expect(detractorLoopClosureAlert('transactional', seven, now)).toBeNull();
    const two = [f(true), f(true), f(false)];
    expect(detractorLoopClosureAlert('transactional', two, now)).toEqual({
      kind: 'detractor_loop_closure',
      cause: 'detractor_loop_closure:transactional',
      period: '2025-Q2',
      stream: 'transactional',
      rate: 2 / 3,
      closed: 2,
      overdue: 1,
    });
  });

  it('ignores passive and promoter follow-ups', () => {
    expect(detractorLoopClosureAlert('transactional', [f(true), f(false, 'passive'), f(false, 'promoter')], now)).toBeNull();
  });
});

describe('role gap and emerging theme alerts', () => {
  it('one alert per flagged account', () => {
    expect(
      roleGapAlerts(
        [
          { accountId: 'a1', roleGap: { gap: 16, flagged: true } },
          { accountId: 'a2', roleGap: { gap: 15, flagged: false } },
          { accountId: 'a3', roleGap: { gap: null, flagged: false } },
        ],
        new Date('2025-09-30T23:59:59Z'),
      ),
    ).toEqual([{ kind: 'role_gap', cause: 'role_gap:relational:a1', period: '2025-Q3', stream: 'relational', accountId: 'a1', gap: 16 }]);
  });

  it('one alert per emerging theme, none below the minimum', () => {
    const r = (n: number): ThemedResponse[] =>
      Array.from({ length: n }, () => ({ stream: 'relational', score: 2, comment: 'too expensive', respondedAt: new Date('2025-05-05T00:00:00Z') }));
    expect(emergingThemeAlerts('relational', r(5))).toEqual([
      {
        kind: 'emerging_theme',
        cause: 'emerging_theme:relational:pricing',
        period: '2025-Q2',
        stream: 'relational',
        theme: 'pricing',
        quarter: '2025-Q2',
        detractorComments: 5,
      },
    ]);
    expect(emergingThemeAlerts('relational', r(4))).toEqual([]);
  });
});

/** Coverage of two active accounts, `percent` of 100,000.00 ARR covered by a decision maker. */
function coverage(percent: number, now = new Date('2025-07-01T00:00:00Z')): RevenueCoverage {
  return revenueCoverage({
    activeAccounts: [
      { accountId: 'heard', arr: { cents: percent * 100_000 } },
      { accountId: 'silent', arr: { cents: (100 - percent) * 100_000 } },
    ],
    responses: [{ stream: 'relational', accountId: 'heard', role: 'decision_maker', respondedAt: now }],
    now,
  });
}

describe('revenue coverage alert', () => {
  const now = new Date('2025-11-15T12:00:00Z');
  it('fires below 80 % with the exact amounts, not at 80 %', () => {
    expect(revenueCoverageAlert(coverage(79, now), now)).toEqual({
      kind: 'revenue_coverage',
      cause: 'revenue_coverage:relational',
      period: '2025-Q4',
      stream: 'relational',
      share: 0.79,
      targetPercent: 80,
      coveredArr: '79000.00',
      activeArr: '100000.00',
    });
    expect(revenueCoverageAlert(coverage(80, now), now)).toBeNull();
  });

  it('does not fire without active ARR', () => {
    const none = revenueCoverage({ activeAccounts: [{ accountId: 'a', arr: '0' }], responses: [], now });
    expect(none.share).toBeNull();
    expect(revenueCoverageAlert(none, now)).toBeNull();
  });
});

describe('collectAlerts', () => {
  const now = new Date('2025-07-01T00:00:00Z');
  const overdue: FollowUpStatus = { stream: 'relational', category: 'detractor', due: new Date('2025-06-01T00:00:00Z'), closedAt: null };
  const pricing: ThemedResponse[] = Array.from({ length: 5 }, () => ({
    stream: 'relational',
    score: 0,
    comment: 'pricing',
    respondedAt: new Date('2025-06-01T00:00:00Z'),
  }));

  it('gathers every firing rule of one stream', () => {
    const alerts = collectAlerts({
      stream: 'relational',
      quarters: [q('2024-Q3', 800, 0, 200), q('2024-Q4', 700, 0, 300), q('2025-Q1', 600, 0, 400), q('2025-Q2', 500, 0, 500)],
      followUps: [overdue],
      accounts: [{ accountId: 'a1', roleGap: { gap: 40, flagged: true } }],
      responses: pricing,
      coverage: coverage(79),
      now,
    });
    expect(alerts.map((a) => [a.kind, a.cause, a.period])).toEqual([
      ['significant_drop', 'significant_drop:relational', '2025-Q2'],
      ['declining_quarters', 'declining_quarters:relational', '2025-Q2'],
      ['detractor_loop_closure', 'detractor_loop_closure:relational', '2025-Q3'],
      ['role_gap', 'role_gap:relational:a1', '2025-Q3'],
      ['emerging_theme', 'emerging_theme:relational:pricing', '2025-Q2'],
      ['revenue_coverage', 'revenue_coverage:relational', '2025-Q3'],
    ]);
  });

  it('raises no revenue-coverage alert at the target or for the transactional stream', () => {
    const base = { quarters: [], followUps: [], responses: [], now };
    expect(collectAlerts({ ...base, stream: 'relational', coverage: coverage(80) })).toEqual([]);
    expect(collectAlerts({ ...base, stream: 'transactional', coverage: coverage(10) })).toEqual([]);
  });

  it('returns nothing when nothing fires, and skips role gaps for the transactional stream', () => {
    expect(
      collectAlerts({
        stream: 'transactional',
        quarters: [q('2025-Q1', 5, 0, 5, 'transactional')],
        followUps: [],
        accounts: [{ accountId: 'a1', roleGap: { gap: 40, flagged: true } }],
        responses: [],
        now,
      }),
    ).toEqual([]);
  });

  it('refuses a quarter of the other stream', () => {
    expect(() => collectAlerts({ stream: 'transactional', quarters: [q('2025-Q1', 5, 0, 5)], followUps: [], responses: [], now })).toThrow(MixedStreamError);
  });
});
