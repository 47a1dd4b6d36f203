import { addDays } from './calendar';
import { accountNpsDistribution, npsByArr, revenueCoverage, type AccountResponse, type ArrBandResponse, type CoverageResponse } from './report-accounts';
import { summariseCounts } from './score';
import { MixedStreamError, type ArrBand, type Role, type Stream } from './types';

const now = new Date('2025-06-30T12:00:00Z');
const MS = 1;

describe('account NPS distribution', () => {
  const r = (accountId: string, contactId: string, role: Role, score: number, respondedAt: Date): AccountResponse => ({
    stream: 'relational',
    accountId,
    contactId,
    role,
    score,
    respondedAt,
  });
  const recent = addDays(now, -10);
  const responses: AccountResponse[] = [
    // A: decision makers 9 and 10 (mean 9.5 → promoter) outweigh an end user's 2; account NPS 2 P, 1 D of 3.
    r('A', 'a1', 'decision_maker', 9, recent),
    r('A', 'a2', 'decision_maker', 10, recent),
    r('A', 'a3', 'end_user', 2, recent),
    // B: no decision maker, end users 7 and 8 → passive.
    r('B', 'b1', 'end_user', 7, recent),
    r('B', 'b2', 'end_user', 8, recent),
    // C: the decision maker's latest answer is 6 (an earlier 10 no longer counts) → detractor.
    r('C', 'c1', 'decision_maker', 10, addDays(now, -100)),
    r('C', 'c1', 'decision_maker', 6, recent),
    // D: one answer exactly 365 days old: inside the window → promoter.
    r('D', 'd1', 'admin', 10, addDays(now, -365)),
    // E: one answer 365 days and 1 ms old: outside, the account is not listed.
    r('E', 'e1', 'decision_maker', 0, new Date(addDays(now, -365).getTime() - MS)),
  ];

  it('counts each account once by its sentiment: 2 promoters, 1 passive, 1 detractor of 4 accounts → 25', () => {
    const d = accountNpsDistribution(responses, now);
    expect(d.summary).toEqual(summariseCounts('relational', { promoters: 2, passives: 1, detractors: 1 }));
    expect(d.summary.nps).toBe(25);
    expect(d.summary.n).toBe(4);
    expect(d.summary.lowSample).toBe(true);
    expect(d.accounts.map((a) => [a.accountId, a.sentiment.category, a.accountNps.nps])).toEqual([
      ['A', 'promoter', 100 / 3],
      ['B', 'passive', 0],
      ['C', 'detractor', -100],
      ['D', 'promoter', 100],
    ]);
  });

  it('a large account with many respondents still counts once', () => {
    const many = Array.from({ length: 50 }, (_, i) => r('Big', `big${i}`, 'end_user', 0, recent));
    const d = accountNpsDistribution([...many, r('Small', 's1', 'end_user', 10, recent)], now);
    expect(d.summary.n).toBe(2);
    expect(d.summary.nps).toBe(0);
  });

  it('is undefined without accounts, and relational only', () => {
    expect(accountNpsDistribution([], now).summary.nps).toBeNull();
    expect(() => accountNpsDistribution([{ ...responses[0], stream: 'transactional' as Stream }], now)).toThrow(MixedStreamError);
  });
});

describe('revenue coverage', () => {
  const dm = (accountId: string | null, respondedAt: Date, role: Role | null = 'decision_maker'): CoverageResponse => ({
    stream: 'relational',
    accountId,
    role,
    respondedAt,
  });

  it('a decision maker exactly 90 days ago covers; 90 days and 1 ms ago does not; other roles never do', () => {
    const c = revenueCoverage({
      activeAccounts: [
        { accountId: 'A', arr: '100000.00' },
        { accountId: 'B', arr: '50000.00' },
        { accountId: 'C', arr: '30000.00' },
        { accountId: 'D', arr: '20000.00' },
        { accountId: 'Z', arr: null },
      ],
      responses: [
        dm('A', addDays(now, -90)),
        dm('B', new Date(addDays(now, -90).getTime() - MS)),
        dm('C', addDays(now, -1), 'end_user'),
        dm('D', addDays(now, -1), null),
        dm('gone', addDays(now, -1)), // an account no longer active
        dm(null, addDays(now, -1)),
      ],
      now,
    });
    expect(c.activeArrCents).toBe(20_000_000n);
    expect(c.coveredArrCents).toBe(10_000_000n);
    expect(c.share).toBe(0.5);
    expect(c.belowTarget).toBe(true);
    expect(c.coveredAccountIds).toEqual(['A']);
    expect(c.uncoveredAccountIds).toEqual(['B', 'C', 'D', 'Z']);
  });

  it('exactly 80 % is on target; one cent less is below (exact, in cents)', () => {
    const at = (covered: string, other: string) =>
      revenueCoverage({
        activeAccounts: [
          { accountId: 'A', arr: covered },
          { accountId: 'B', arr: other },
        ],
        responses: [dm('A', now)],
        now,
      });
    expect(at('80000.00', '20000.00').belowTarget).toBe(false);
    expect(at('79999.99', '20000.01').belowTarget).toBe(true);
  });

  it('takes a response in the future as not yet heard, and options for window and target', () => {
    const accounts = [{ accountId: 'A', arr: '1.00' }];
    expect(revenueCoverage({ activeAccounts: accounts, responses: [dm('A', new Date(now.getTime() + MS))], now }).share).toBe(0);
    const wide = revenueCoverage({ activeAccounts: accounts, responses: [dm('A', addDays(now, -100))], now }, { windowDays: 120, targetPercent: 100 });
    expect(wide).toMatchObject({ share: 1, belowTarget: false, windowDays: 120, targetPercent: 100 });
  });

  it('refuses mixed streams, negative ARR and an account listed twice', () => {
    expect(() => revenueCoverage({ activeAccounts: [], responses: [{ ...dm('A', now), stream: 'transactional' }], now })).toThrow(MixedStreamError);
    expect(() => revenueCoverage({ activeAccounts: [{ accountId: 'A', arr: '-5' }], responses: [], now })).toThrow('cannot be negative');
    expect(() =>
      revenueCoverage({
        activeAccounts: [
          { accountId: 'A', arr: '5' },
          { accountId: 'A', arr: '5' },
        ],
        responses: [],
        now,
      }),
    ).toThrow('listed twice');
  });
});

describe('NPS × ARR', () => {
  const r = (score: number, arrBand: ArrBand | null, accountId: string | null): ArrBandResponse => ({
    stream: 'transactional',
    score,
    arrBand,
    accountId,
  });
  const responses = [r(10, 'under_10k', 'small'), r(2, 'under_10k', 'small'), r(9, '100k_500k', 'big'), r(9, '100k_500k', 'huge'), r(7, '100k_500k', 'big'), r(0, null, null)];
  const accounts = [
    { accountId: 'big', quadrant: 'champion' as const, arr: '150000.00' },
    { accountId: 'huge', quadrant: 'champion' as const, arr: '200000.00' },
    { accountId: 'small', quadrant: 'churn_risk' as const, arr: '5000.00' },
    { accountId: 'idle', quadrant: 'unknown' as const, arr: null },
  ];

  it('counts and NPS per ARR band × category, a band for responses without one', () => {
    const t = npsByArr('transactional', responses, accounts);
    expect(t.byBand.map((b) => [b.arrBand, b.summary.promoters, b.summary.passives, b.summary.detractors, b.summary.nps])).toEqual([
      ['under_10k', 1, 0, 1, 0],
      ['10k_50k', 0, 0, 0, null],
      ['50k_100k', 0, 0, 0, null],
      ['100k_500k', 2, 1, 0, 200 / 3],
      ['500k_plus', 0, 0, 0, null],
      [null, 0, 0, 1, -100],
    ]);
  });

  it('per quadrant: accounts, their ARR in cents and the NPS of their responses', () => {
    const t = npsByArr('transactional', responses, accounts);
    expect(t.byQuadrant.map((q) => [q.quadrant, q.accounts, q.arrCents, q.summary.n, q.summary.nps])).toEqual([
      ['champion', 2, 35_000_000n, 3, 200 / 3],
      ['adoption_risk', 0, 0n, 0, null],
      ['passive_engaged', 0, 0n, 0, null],
      ['passive_drifting', 0, 0n, 0, null],
      ['friction', 0, 0n, 0, null],
      ['churn_risk', 1, 500_000n, 2, 0],
      ['unknown', 1, 0n, 0, null],
    ]);
  });

  it('has no null band when every response has one, and refuses mixed streams', () => {
    expect(npsByArr('transactional', responses.slice(0, 2), []).byBand).toHaveLength(5);
    expect(() => npsByArr('relational', responses, accounts)).toThrow(MixedStreamError);
  });
});
