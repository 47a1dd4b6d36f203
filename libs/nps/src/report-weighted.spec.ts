import fc from 'fast-check';
import { arrWeightedNps, arrWeights, weightedNps, type ArrWeightedResponse, type WeightedRespondent } from './report-weighted';
import { scoreCategory, summariseCounts } from './score';
import { MixedStreamError, type Category, type MoneyAmount, type Stream } from './types';

const w = (category: Category, weight: number, stream: Stream = 'relational'): WeightedRespondent => ({ stream, category, weight });
const resp = (score: number, accountId: string | null, stream: Stream = 'relational'): ArrWeightedResponse => ({ stream, score, accountId });
const arr = (entries: Record<string, MoneyAmount | null>) => new Map(Object.entries(entries));

describe('weightedNps', () => {
  it('promoter 2, passive 1, detractor 1: NPS 25, Kish n = 4²/6 = 8/3, interval from the weighted shares', () => {
    // p = 2/4, d = 1/4, n = 8/3 → P = 4/3, D = 2/3; n' = 17/3, a = 25/12, b = 17/12.
    // NPS' = 100·(a − b)/n' = 200/17; variance·n'² = (a + b)·n' − (a − b)² = 174.5/9; n'³ = 4913/27
    // SE = 100·√((174.5/9)/(4913/27)) = 100·√(523.5/4913).
    const r = weightedNps('relational', [w('promoter', 2), w('passive', 1), w('detractor', 1)]);
    expect(r.nps).toBe(25);
    expect(r.kishN).toBeCloseTo(8 / 3, 12);
    expect(r.totalWeight).toBe(4);
    expect([r.promoterShare, r.passiveShare, r.detractorShare]).toEqual([0.5, 0.25, 0.25]);
    expect(r.adjustedNps).toBeCloseTo(200 / 17, 10);
    expect(r.standardError).toBeCloseTo(100 * Math.sqrt(523.5 / 4913), 10);
    expect(r.interval!.low).toBeCloseTo(200 / 17 - 1.96 * 100 * Math.sqrt(523.5 / 4913), 10);
    expect(r.lowSample).toBe(true);
  });

  it('equal weights give the unweighted summary: Kish n = n', () => {
    const list = [...Array(5).fill(w('promoter', 3)), ...Array(3).fill(w('passive', 3)), ...Array(2).fill(w('detractor', 3))];
    const r = weightedNps('relational', list);
    const plain = summariseCounts('relational', { promoters: 5, passives: 3, detractors: 2 });
    expect(r.kishN).toBe(10);
    expect(r.nps).toBe(30);
    expect(r.adjustedNps).toBeCloseTo(plain.adjustedNps!, 12);
    expect(r.standardError).toBeCloseTo(plain.standardError!, 12);
  });

  it('is undefined when every weight is 0 (or there is nobody)', () => {
    for (const list of [[], [w('promoter', 0), w('detractor', 0)]]) {
      const r = weightedNps(
        'transactional',
        list.map((x) => ({ ...x, stream: 'transactional' as Stream })),
      );
      expect(r).toMatchObject({ nps: null, kishN: null, interval: null, adjustedNps: null, standardError: null, lowSample: true });
      expect(r.respondents).toBe(list.length);
    }
  });

  it('weight-0 respondents do not move it; bad weights and mixed streams are refused', () => {
    const a = weightedNps('relational', [w('promoter', 2), w('detractor', 1)]);
    const b = weightedNps('relational', [w('promoter', 2), w('detractor', 1), w('detractor', 0)]);
    expect({ ...b, respondents: 2 }).toEqual(a);
    expect(b.weightedRespondents).toBe(2);
    expect(() => weightedNps('relational', [w('promoter', -1)])).toThrow('Invalid weight -1');
    expect(() => weightedNps('relational', [w('promoter', Infinity)])).toThrow('Invalid weight Infinity');
    expect(() => weightedNps('relational', [w('promoter', 1, 'transactional')])).toThrow(MixedStreamError);
  });

  it('property: Kish n ≤ respondents, interval inside [−100, 100], scaling weights changes nothing', () => {
    const respondent = fc.record({
      category: fc.constantFrom<Category>('promoter', 'passive', 'detractor'),
      weight: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(respondent, { maxLength: 60 }), fc.integer({ min: 1, max: 50 }), (list, k) => {
        const r = weightedNps(
          'relational',
          list.map((x) => w(x.category, x.weight)),
        );
        const scaled = weightedNps(
          'relational',
          list.map((x) => w(x.category, x.weight * k)),
        );
        if (r.kishN === null) return scaled.kishN === null;
        return (
          r.kishN <= r.weightedRespondents + 1e-9 &&
          r.interval!.low >= -100 &&
          r.interval!.high <= 100 &&
          Math.abs(scaled.kishN! - r.kishN) < 1e-9 &&
          Math.abs(scaled.nps! - r.nps!) < 1e-9
        );
      }),
    );
  });
});

describe('ARR weights', () => {
  // A: 100,000.00 with 2 responses; B: 50,000.00 with 1; C: no ARR; one response without account.
  const responses = [resp(10, 'A'), resp(0, 'A'), resp(9, 'B'), resp(3, 'C'), resp(8, null)];
  const arrs = arr({ A: '100000.00', B: { cents: 5_000_000n }, C: null });

  it('weighs each response by its account ARR / the account responses in the period', () => {
    expect(arrWeights('relational', responses, arrs).map((r) => r.weight)).toEqual([50000, 50000, 50000, 0, 0]);
  });

  it('ARR-weighted NPS: promoters 100,000 of 150,000, detractors 50,000 → 33.33…, Kish n = 3', () => {
    const r = arrWeightedNps('relational', responses, arrs);
    expect(r.nps).toBeCloseTo(100 / 3, 12);
    expect(r.kishN).toBe(3); // 150,000² / (3 · 50,000²)
    expect(r.totalWeight).toBe(150000);
    expect(r.respondents).toBe(5);
    expect(r.weightedRespondents).toBe(3);
    const plain = summariseCounts('relational', { promoters: 2, passives: 0, detractors: 1 });
    expect(r.standardError).toBeCloseTo(plain.standardError!, 12); // equal weights: the same as 2 P, 1 D
  });

  it('unequal ARR: 1, 2 and 3 units, one response each → Kish n = 36/14', () => {
    const r = arrWeightedNps('relational', [resp(10, 'x'), resp(10, 'y'), resp(0, 'z')], arr({ x: '1', y: '2', z: '3.00' }));
    expect(r.kishN).toBeCloseTo(36 / 14, 12);
    expect(r.nps).toBe(0); // (1 + 2 − 3)/6
  });

  it('the low-sample mark compares the Kish n with 30 exactly (0.70 ARR × 30 accounts is 30, not 29.99…)', () => {
    const accounts = (k: number) => Array.from({ length: k }, (_, i) => `acc${i}`);
    const arrs30 = new Map(accounts(30).map((id) => [id, '0.70' as MoneyAmount]));
    const thirty = arrWeightedNps(
      'relational',
      accounts(30).map((id) => resp(9, id)),
      arrs30,
    );
    expect(thirty.lowSample).toBe(false);
    expect(thirty.kishN).toBe(30);
    const twentyNine = arrWeightedNps(
      'relational',
      accounts(29).map((id) => resp(9, id)),
      arrs30,
    );
    expect(twentyNine.lowSample).toBe(true);
  });

  it('is undefined when every account has no ARR; refuses negative ARR and mixed streams', () => {
    expect(arrWeightedNps('relational', [resp(9, 'C'), resp(9, null)], arrs).nps).toBeNull();
    expect(() => arrWeightedNps('relational', [resp(9, 'N')], arr({ N: '-1.00' }))).toThrow('ARR cannot be negative');
    expect(() => arrWeightedNps('relational', [resp(9, 'A', 'transactional')], arrs)).toThrow(MixedStreamError);
    expect(() => arrWeightedNps('relational', [resp(11, 'A')], arrs)).toThrow('Invalid NPS score 11');
  });

  it('property: agrees with weightedNps over arrWeights', () => {
    const row = fc.record({ score: fc.integer({ min: 0, max: 10 }), account: fc.constantFrom('a', 'b', 'c', 'd', null) });
    const amount = fc.option(fc.bigInt({ min: 0n, max: 10n ** 12n }), { nil: null });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), amount, amount, amount, amount, (rows, a, b, c, d) => {
        const list = rows.map((r) => resp(r.score, r.account));
        const arrs2 = new Map(Object.entries({ a, b, c, d }).map(([k, v]) => [k, v === null ? null : ({ cents: v } as MoneyAmount)]));
        const exact = arrWeightedNps('relational', list, arrs2);
        const weighted = arrWeights('relational', list, arrs2).map((r) => w(scoreCategory(r.score), r.weight));
        const float = weightedNps('relational', weighted);
        if (exact.nps === null) return float.nps === null;
        return Math.abs(exact.nps - float.nps!) < 1e-6 && Math.abs(exact.kishN! - float.kishN!) < 1e-6;
      }),
    );
  });
});
