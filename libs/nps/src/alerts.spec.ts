import {
  collectAlerts,
  decliningQuartersAlert,
  detractorLoopClosureAlert,
  emergingThemeAlerts,
  roleGapAlerts,
  significantDropAlert,
  type QuarterNps,
} from './alerts';
import type { FollowUpStatus } from './loop-closure';
import { summariseCounts } from './score';
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
      stream: 'relational',
      previousQuarter: '2025-Q1',
      quarter: '2025-Q2',
      previousNps: 20,
      nps: 0,
      drop: 20,
    });
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
    expect(significantDropAlert('relational', q('2025-Q1', 1, 0, 0), q('2025-Q2', 0, 0, 1))).toBeNull();
  });

  it('uses the configured drop and refuses mixed streams', () => {
    const settings = programSettings({ significantDropPoints: 25 });
    expect(significantDropAlert('relational', q('2025-Q1', 600, 0, 400), q('2025-Q2', 500, 0, 500), settings)).toBeNull();
    expect(() =>
      significantDropAlert('relational', q('2025-Q1', 600, 0, 400), q('2025-Q2', 500, 0, 500, 'transactional')),
    ).toThrow(MixedStreamError);
  });
});

describe('three declining quarters in a row', () => {
  const falling = [q('2024-Q3', 8, 0, 2), q('2024-Q4', 7, 0, 3), q('2025-Q1', 6, 0, 4), q('2025-Q2', 5, 0, 5)];

  it('fires when each of the last three quarters is below the one before', () => {
    expect(decliningQuartersAlert('relational', [...falling].reverse())).toEqual({
      kind: 'declining_quarters',
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
    expect(decliningQuartersAlert('relational', falling.slice(2), programSettings({ decliningQuartersInARow: 1 }))?.kind).toBe(
      'declining_quarters',
    );
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
      roleGapAlerts([
        { accountId: 'a1', roleGap: { gap: 16, flagged: true } },
        { accountId: 'a2', roleGap: { gap: 15, flagged: false } },
        { accountId: 'a3', roleGap: { gap: null, flagged: false } },
      ]),
    ).toEqual([{ kind: 'role_gap', stream: 'relational', accountId: 'a1', gap: 16 }]);
  });

  it('one alert per emerging theme, none below the minimum', () => {
    const r = (n: number): ThemedResponse[] =>
      Array.from({ length: n }, () => ({ stream: 'relational', score: 2, comment: 'too expensive', respondedAt: new Date('2025-05-05T00:00:00Z') }));
    expect(emergingThemeAlerts('relational', r(5))).toEqual([
      { kind: 'emerging_theme', stream: 'relational', theme: 'pricing', quarter: '2025-Q2', detractorComments: 5 },
    ]);
    expect(emergingThemeAlerts('relational', r(4))).toEqual([]);
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
      now,
    });
    expect(alerts.map((a) => a.kind)).toEqual([
      'significant_drop',
      'declining_quarters',
      'detractor_loop_closure',
      'role_gap',
      'emerging_theme',
    ]);
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
    expect(() =>
      collectAlerts({ stream: 'transactional', quarters: [q('2025-Q1', 5, 0, 5)], followUps: [], responses: [], now }),
    ).toThrow(MixedStreamError);
  });
});
