import { accountHealth, accountNps, accountSentiment, activityLevel, healthQuadrant, latestResponsePerPerson, roleGap, type ArrSnapshot, type HealthResponse } from './health';
import { summariseCounts } from './score';
import { programSettings } from './settings';
import { MixedStreamError, type Role } from './types';

const now = new Date('2025-06-30T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);
let seq = 0;
const resp = (score: number, role: Role = 'end_user', contactId = `p${++seq}`, at = daysAgo(10)): HealthResponse => ({
  stream: 'relational',
  contactId,
  role,
  score,
  respondedAt: at,
});

describe('latest response per person, trailing 365 days', () => {
  it('keeps each person’s latest response inside [now − 365 d, now]', () => {
    const rs = [
      resp(2, 'admin', 'a', daysAgo(100)),
      resp(9, 'admin', 'a', daysAgo(5)),
      resp(4, 'admin', 'b', daysAgo(365)),
      resp(10, 'admin', 'c', new Date(daysAgo(365).getTime() - 1)),
      resp(10, 'admin', 'd', new Date(now.getTime() + 1)),
    ];
    expect(latestResponsePerPerson(rs, now).map((r) => [r.contactId, r.score])).toEqual([
      ['a', 9],
      ['b', 4],
    ]);
  });

  it('rejects transactional responses', () => {
    expect(() => latestResponsePerPerson([{ ...resp(9), stream: 'transactional' }], now)).toThrow(MixedStreamError);
  });
});

describe('account sentiment', () => {
  it('uses the decision makers’ mean when there are any', () => {
    expect(accountSentiment([resp(10, 'decision_maker'), resp(8, 'decision_maker'), resp(0), resp(0)], now)).toEqual({
      category: 'promoter',
      meanScore: 9,
      basis: 'decision_makers',
      respondents: 2,
    });
  });

  it('else everybody’s mean', () => {
    expect(accountSentiment([resp(9, 'admin'), resp(6), resp(6)], now)).toEqual({
      category: 'passive',
      meanScore: 7,
      basis: 'all_respondents',
      respondents: 3,
    });
  });

  it('bands: mean 9 promoter, 8.5 passive, 7 passive, just under 7 detractor', () => {
    expect(accountSentiment([resp(9), resp(9)], now)?.category).toBe('promoter');
    expect(accountSentiment([resp(9), resp(8)], now)?.category).toBe('passive');
    expect(accountSentiment([resp(7), resp(7)], now)?.category).toBe('passive');
    expect(accountSentiment([resp(7), resp(7), resp(6)], now)?.category).toBe('detractor');
  });

  it('uses each person’s latest response only, and null without responses', () => {
    expect(accountSentiment([resp(0, 'admin', 'x', daysAgo(50)), resp(10, 'admin', 'x', daysAgo(1))], now)?.meanScore).toBe(10);
    expect(accountSentiment([], now)).toBeNull();
    expect(accountSentiment([resp(3, 'admin', 'old', daysAgo(400))], now)).toBeNull();
  });
});

describe('account NPS and role gap', () => {
  it('computes overall and per-role NPS', () => {
    const result = accountNps([resp(10, 'decision_maker'), resp(0, 'end_user'), resp(9, 'end_user'), resp(7, 'admin')], now);
    expect(result.overall).toMatchObject({ n: 4, nps: 25 });
    expect(result.byRole.decision_maker).toMatchObject({ n: 1, nps: 100 });
    expect(result.byRole.end_user).toMatchObject({ n: 2, nps: 0 });
    expect(result.byRole.admin).toMatchObject({ n: 1, nps: 0 });
    expect(result.byRole.other).toMatchObject({ n: 0, nps: null });
  });

  it('gap 15 is not flagged, 16 is', () => {
    const dm = summariseCounts('relational', { promoters: 1, passives: 0, detractors: 0 }); // 100
    const eu85 = summariseCounts('relational', { promoters: 17, passives: 3, detractors: 0 }); // 85
    const eu84 = summariseCounts('relational', { promoters: 21, passives: 4, detractors: 0 }); // 84
    expect(roleGap(dm, eu85)).toEqual({ gap: 15, flagged: false });
    expect(roleGap(dm, eu84)).toEqual({ gap: 16, flagged: true });
    expect(roleGap(eu84, dm)).toEqual({ gap: 16, flagged: true });
  });

  it('the gap is the exact fraction from both roles’ counts', () => {
    // DM 1 promoter of 2 → 50; EU 1 detractor of 8 → −12.5: gap 62.5 exactly.
    const dm = summariseCounts('relational', { promoters: 1, passives: 1, detractors: 0 });
    const eu = summariseCounts('relational', { promoters: 0, passives: 7, detractors: 1 });
    expect(roleGap(dm, eu)).toEqual({ gap: 62.5, flagged: true });
    // 1/3 and 2/3 of 100: 33.33… and 66.66…, gap exactly 100/3.
    const third = summariseCounts('relational', { promoters: 1, passives: 2, detractors: 0 });
    const twoThirds = summariseCounts('relational', { promoters: 2, passives: 1, detractors: 0 });
    expect(roleGap(third, twoThirds).gap).toBe(100 / 3);
  });

  it('needs both NPS values', () => {
    const none = summariseCounts('relational', { promoters: 0, passives: 0, detractors: 0 });
    const dm = summariseCounts('relational', { promoters: 1, passives: 0, detractors: 0 });
    expect(roleGap(dm, none)).toEqual({ gap: null, flagged: false });
  });

  it('uses the configured threshold', () => {
    const a = summariseCounts('relational', { promoters: 1, passives: 0, detractors: 0 });
    const b = summariseCounts('relational', { promoters: 9, passives: 1, detractors: 0 }); // 90
    expect(roleGap(a, b, programSettings({ roleGapFlagAbovePoints: 9 })).flagged).toBe(true);
    expect(roleGap(a, b, programSettings({ roleGapFlagAbovePoints: 10 })).flagged).toBe(false);
  });
});

describe('activity axis', () => {
  const snap = (d: number, arr: string): ArrSnapshot => ({ at: daysAgo(d), arr });

  it('usage: high at the threshold (50), low just below', () => {
    expect(activityLevel({ usage: 50, arrSnapshots: [], now })).toEqual({ level: 'high', basis: 'usage', arrGrowthPercent: null });
    expect(activityLevel({ usage: 49.99, arrSnapshots: [], now }).level).toBe('low');
    expect(activityLevel({ usage: 20, arrSnapshots: [], now }, programSettings({ usageHighThreshold: 20 })).level).toBe('high');
  });

  it('usage wins over the ARR trend', () => {
    expect(activityLevel({ usage: 0, arrSnapshots: [snap(200, '100.00'), snap(1, '900.00')], now }).level).toBe('low');
  });

  it('ARR trend over 180 days: +5 % is high, just under is low', () => {
    expect(activityLevel({ usage: null, arrSnapshots: [snap(200, '100000.00'), snap(180, '100000.00'), snap(3, '105000.00')], now })).toEqual({
      level: 'high',
      basis: 'arr_trend',
      arrGrowthPercent: 5,
    });
    expect(activityLevel({ usage: null, arrSnapshots: [snap(180, '100000.00'), snap(3, '104999.99')], now }).level).toBe('low');
  });

  it('the base is the latest snapshot at or before now − 180 d', () => {
    // 190 d ago 50k, 181 d ago 100k, now 104k: base 100k → +4 % → low (from 50k it would be high).
    expect(activityLevel({ usage: null, arrSnapshots: [snap(190, '50000.00'), snap(181, '100000.00'), snap(0, '104000.00')], now }).level).toBe('low');
  });

  it('history that does not reach 180 days back is unknown, however much it grew; future snapshots are ignored', () => {
    const unknown = { level: 'unknown', basis: 'no_data', arrGrowthPercent: null };
    expect(activityLevel({ usage: null, arrSnapshots: [snap(30, '1000.00'), snap(2, '1050.00'), snap(-5, '1.00')], now })).toEqual(unknown);
    expect(activityLevel({ usage: null, arrSnapshots: [snap(179.99, '1000.00'), snap(1, '5000.00')], now })).toEqual(unknown);
    // A snapshot exactly 180 days old reaches back.
    expect(activityLevel({ usage: null, arrSnapshots: [snap(180, '1000.00'), snap(1, '5000.00')], now }).level).toBe('high');
    // Only a future snapshot reaches nothing.
    expect(activityLevel({ usage: null, arrSnapshots: [snap(-200, '1000.00')], now })).toEqual(unknown);
  });

  it('one snapshot older than 180 days and no change since: growth 0, low', () => {
    expect(activityLevel({ usage: null, arrSnapshots: [snap(400, '50000.00')], now })).toEqual({ level: 'low', basis: 'arr_trend', arrGrowthPercent: 0 });
  });

  it('from zero ARR any growth is high; neither usage nor any snapshot is unknown with basis no_data', () => {
    expect(activityLevel({ usage: null, arrSnapshots: [snap(200, '0'), snap(1, '10.00')], now }).level).toBe('high');
    expect(activityLevel({ usage: null, arrSnapshots: [snap(200, '0'), snap(1, '0')], now }).level).toBe('low');
    expect(activityLevel({ usage: null, arrSnapshots: [], now })).toEqual({ level: 'unknown', basis: 'no_data', arrGrowthPercent: null });
  });

  it('a usage value decides even without ARR history', () => {
    expect(activityLevel({ usage: 10, arrSnapshots: [], now })).toEqual({ level: 'low', basis: 'usage', arrGrowthPercent: null });
  });
});

describe('health quadrant', () => {
  it.each([
    ['promoter', 'high', 'champion'],
    ['promoter', 'low', 'adoption_risk'],
    ['passive', 'high', 'passive_engaged'],
    ['passive', 'low', 'passive_drifting'],
    ['detractor', 'high', 'friction'],
    ['detractor', 'low', 'churn_risk'],
    [null, 'high', 'unknown'],
    [null, 'low', 'unknown'],
    ['promoter', 'unknown', 'unknown'],
    ['passive', 'unknown', 'unknown'],
    ['detractor', 'unknown', 'unknown'],
    [null, 'unknown', 'unknown'],
  ] as const)('%p × %p → %p', (sentiment, activity, quadrant) => {
    expect(healthQuadrant(sentiment, activity)).toBe(quadrant);
  });
});

describe('accountHealth', () => {
  it('combines sentiment, NPS, role gap, activity and quadrant', () => {
    const health = accountHealth({
      responses: [resp(10, 'decision_maker'), resp(9, 'decision_maker'), resp(3, 'end_user'), resp(8, 'end_user')],
      usage: 75,
      arrSnapshots: [],
      now,
    });
    expect(health.sentiment).toEqual({ category: 'promoter', meanScore: 9.5, basis: 'decision_makers', respondents: 2 });
    expect(health.nps.overall.nps).toBe(25);
    expect(health.roleGap).toEqual({ gap: 150, flagged: true });
    expect(health.activity.level).toBe('high');
    expect(health.quadrant).toBe('champion');
  });

  it('is unknown without a response', () => {
    expect(accountHealth({ responses: [], usage: 80, arrSnapshots: [], now }).quadrant).toBe('unknown');
  });

  it('a detractor account without usage or ARR history is unknown, never churn_risk', () => {
    const health = accountHealth({ responses: [resp(2, 'decision_maker')], usage: null, arrSnapshots: [{ at: daysAgo(30), arr: '1000.00' }], now });
    expect(health.sentiment?.category).toBe('detractor');
    expect([health.activity.level, health.quadrant]).toEqual(['unknown', 'unknown']);
  });
});
