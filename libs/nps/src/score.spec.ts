import fc from 'fast-check';
import {
  assertScore,
  compareNpsChange,
  compareNpsGap,
  countCategories,
  displayNps,
  displayNpsGap,
  InvalidScoreError,
  isValidScore,
  npsFromCounts,
  npsGap,
  npsStandardError,
  roundFractionHalfAwayFromZero,
  roundNpsForDisplay,
  scoreCategory,
  significanceOfChange,
  summariseCounts,
  summariseNps,
} from './score';
import { MixedStreamError, type Stream } from './types';

const rel = (score: number) => ({ stream: 'relational' as Stream, score });
const counts = (promoters: number, passives: number, detractors: number) => ({ promoters, passives, detractors });

describe('score validation', () => {
  it.each([0, 1, 6, 7, 8, 9, 10])('accepts %p', (s) => {
    expect(isValidScore(s)).toBe(true);
    expect(() => assertScore(s)).not.toThrow();
  });

  it.each([
    [-1, 'Invalid NPS score -1: a score must be an integer from 0 to 10'],
    [11, 'Invalid NPS score 11: a score must be an integer from 0 to 10'],
    [6.5, 'Invalid NPS score 6.5: a score must be an integer from 0 to 10'],
    [NaN, 'Invalid NPS score NaN: a score must be an integer from 0 to 10'],
    [Infinity, 'Invalid NPS score Infinity: a score must be an integer from 0 to 10'],
    ['7', 'Invalid NPS score "7": a score must be an integer from 0 to 10'],
    [null, 'Invalid NPS score null: a score must be an integer from 0 to 10'],
    [undefined, 'Invalid NPS score undefined: a score must be an integer from 0 to 10'],
  ])('rejects %p with a clear error naming the value', (value, message) => {
    expect(isValidScore(value)).toBe(false);
    expect(() => assertScore(value)).toThrow(InvalidScoreError);
    expect(() => assertScore(value)).toThrow(message);
    expect(() => scoreCategory(value as number)).toThrow(InvalidScoreError);
  });

  it('keeps the rejected value on the error', () => {
    try {
      assertScore(6.5);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidScoreError);
      expect((e as InvalidScoreError).value).toBe(6.5);
      expect((e as InvalidScoreError).name).toBe('InvalidScoreError');
    }
  });
});

describe('scoreCategory', () => {
  it.each([
    [0, 'detractor'],
    [6, 'detractor'],
    [7, 'passive'],
    [8, 'passive'],
    [9, 'promoter'],
    [10, 'promoter'],
  ])('%p is %p', (score, category) => expect(scoreCategory(score)).toBe(category));

  it('counts categories and rejects an invalid score in a batch', () => {
    expect(countCategories([10, 9, 8, 7, 6, 0])).toEqual(counts(2, 2, 2));
    expect(() => countCategories([10, 11])).toThrow('Invalid NPS score 11');
  });
});

describe('NPS', () => {
  it('is null for n = 0, never 0', () => {
    expect(npsFromCounts(counts(0, 0, 0))).toBeNull();
    const s = summariseNps('relational', []);
    expect(s).toEqual({
      stream: 'relational', n: 0, promoters: 0, passives: 0, detractors: 0,
      nps: null, standardError: null, interval: null, lowSample: true,
    });
  });

  it('is 100 × (P − D) / n, exact', () => {
    expect(npsFromCounts(counts(5, 3, 2))).toBe(30);
    expect(npsFromCounts(counts(1, 1, 1))).toBe(0);
    expect(npsFromCounts(counts(2, 0, 1))).toBeCloseTo(33.333333333, 8);
    expect(npsFromCounts(counts(0, 0, 4))).toBe(-100);
  });

  it('n = 1 has an NPS but no interval', () => {
    const s = summariseNps('relational', [rel(10)]);
    expect(s.nps).toBe(100);
    expect(s.standardError).toBeNull();
    expect(s.interval).toBeNull();
  });

  it('n = 2 has an interval: p = d = 0.5 → variance 1, SE = 100/√2', () => {
    const s = summariseNps('relational', [rel(10), rel(0)]);
    expect(s.nps).toBe(0);
    expect(s.standardError).toBeCloseTo(70.7106781, 6);
    expect(s.interval?.low).toBeCloseTo(-138.5929291, 6);
    expect(s.interval?.high).toBeCloseTo(138.5929291, 6);
  });

  it('matches the worked margin-of-error example: 50 P, 30 passive, 20 D', () => {
    // p = .5, d = .2, variance = .7 − .09 = .61, SE = 100·√(.61/100) = 7.8102497
    expect(npsStandardError(counts(50, 30, 20))).toBeCloseTo(7.8102497, 6);
    const s = summariseCounts('transactional', counts(50, 30, 20));
    expect(s.nps).toBe(30);
    expect(s.interval?.low).toBeCloseTo(30 - 1.96 * 7.8102497, 5);
    expect(s.interval?.high).toBeCloseTo(30 + 1.96 * 7.8102497, 5);
    expect(s.lowSample).toBe(false);
  });

  it('marks n = 29 low sample and n = 30 not', () => {
    expect(summariseCounts('relational', counts(29, 0, 0)).lowSample).toBe(true);
    expect(summariseCounts('relational', counts(30, 0, 0)).lowSample).toBe(false);
  });

  it('rejects invalid counts', () => {
    expect(() => npsFromCounts(counts(-1, 0, 0))).toThrow('Invalid promoters count -1');
    expect(() => npsFromCounts(counts(0, 1.5, 0))).toThrow('Invalid passives count 1.5');
  });

  it('refuses to mix streams', () => {
    const mixed = [rel(9), { stream: 'transactional' as Stream, score: 3 }];
    expect(() => summariseNps('relational', mixed)).toThrow(MixedStreamError);
    expect(() => summariseNps('relational', mixed)).toThrow(
      'Streams never mix: expected only "relational" responses but found one of stream "transactional"',
    );
    expect(() => summariseNps('bogus' as Stream, [])).toThrow(MixedStreamError);
  });
});

describe('roundNpsForDisplay (half away from zero)', () => {
  it.each([
    [12.5, 13],
    [-12.5, -13],
    [12.4999, 12],
    [-12.4999, -12],
    [0.5, 1],
    [-0.5, -1],
    [-0.4, 0],
    [33.333333, 33],
    [66.666667, 67],
    [100, 100],
  ])('%p → %p', (value, expected) => expect(roundNpsForDisplay(value)).toBe(expected));

  it('never returns -0 and keeps null', () => {
    expect(Object.is(roundNpsForDisplay(-0.2), 0)).toBe(true);
    expect(roundNpsForDisplay(null)).toBeNull();
    expect(() => roundNpsForDisplay(NaN)).toThrow('Cannot round non-finite NPS NaN');
  });

  it('rounds an exact half NPS from counts: 1 P, 7 passives → 12.5 → 13; 1 D → −13', () => {
    expect(roundNpsForDisplay(npsFromCounts(counts(1, 7, 0)))).toBe(13);
    expect(roundNpsForDisplay(npsFromCounts(counts(0, 7, 1)))).toBe(-13);
  });
});

describe('display values from counts, rounded once', () => {
  it.each([
    [25n, 2n, 13],
    [-25n, 2n, -13],
    [25n, -2n, -13],
    [1n, 2n, 1],
    [-1n, 2n, -1],
    [-1n, 3n, 0],
    [-100n, 3n, -33],
    [-200n, 3n, -67],
    [0n, 7n, 0],
  ])('%p / %p → %p', (num, den, expected) => {
    expect(Object.is(roundFractionHalfAwayFromZero(num, den), expected)).toBe(true);
  });

  it('refuses a zero denominator', () => {
    expect(() => roundFractionHalfAwayFromZero(1n, 0n)).toThrow('denominator 0');
  });

  it('account NPS −12.5 (1 promoter, 2 detractors of 8) displays −13, +12.5 displays 13, n = 0 null', () => {
    expect(npsFromCounts(counts(1, 5, 2))).toBe(-12.5);
    expect(Math.round(-12.5)).toBe(-12); // what a plain Math.round would have written
    expect(displayNps(counts(1, 5, 2))).toBe(-13);
    expect(displayNps(counts(2, 5, 1))).toBe(13);
    expect(displayNps(counts(0, 0, 0))).toBeNull();
    expect(displayNps(counts(1, 1, 1))).toBe(0);
  });

  it('a role gap of 37.5 displays 38: one fraction from both roles’ counts', () => {
    // DM: 5 P, 3 D of 8 → 25; EU: 1 P, 2 D of 8 → −12.5; gap 37.5.
    const dm = counts(5, 0, 3);
    const eu = counts(1, 5, 2);
    expect(npsGap(dm, eu)).toBe(37.5);
    expect(displayNpsGap(dm, eu)).toBe(38);
    expect(displayNpsGap(eu, dm)).toBe(38);
    // The rounded values would differ: round(25) − round(−12.5) = 25 + 12 = 37.
    expect(displayNpsGap(dm, counts(0, 0, 0))).toBeNull();
  });

  it('the gap rounds the exact fraction, not a difference of rounded values', () => {
    // 12.5 and −12.5: exact gap 25, while the rounded values 13 and −13 are 26 apart.
    expect(displayNpsGap(counts(1, 7, 0), counts(0, 7, 1))).toBe(25);
    // 33.33… and 0: 33.
    expect(displayNpsGap(counts(1, 2, 0), counts(0, 1, 0))).toBe(33);
  });

  it('property: the display equals half-away rounding of the exact value', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(40), fc.nat(40), fc.nat(40), fc.nat(40), fc.nat(40), (p1, q1, d1, p2, q2, d2) => {
        const a = counts(p1, q1, d1);
        const b = counts(p2, q2, d2);
        const gap = displayNpsGap(a, b);
        const n1 = p1 + q1 + d1;
        const n2 = p2 + q2 + d2;
        if (n1 === 0 || n2 === 0) return gap === null;
        // Scaled to integers: 2·|x|·n1·n2 against the half-way points.
        const twice = 2 * Math.abs(100 * (p1 - d1) * n2 - 100 * (p2 - d2) * n1);
        const den = n1 * n2;
        return gap! * 2 * den <= twice + den && twice + den < (gap! + 1) * 2 * den;
      }),
    );
  });
});

describe('exact NPS comparisons', () => {
  const a = summariseCounts('relational', counts(2, 0, 1)); // 33.33…
  const b = summariseCounts('relational', counts(1, 2, 0)); // 33.33…
  const c = summariseCounts('relational', counts(3, 2, 0)); // 60
  it('compares changes without float error', () => {
    expect(compareNpsChange(a, b, 0)).toBe(0);
    expect(compareNpsChange(a, c, 26)).toBe(1); // 26.67 > 26
    expect(compareNpsChange(a, c, 27)).toBe(-1);
    expect(compareNpsGap(c, a, 26)).toBe(1);
    expect(compareNpsGap(a, c, 27)).toBe(-1);
    const d = summariseCounts('relational', counts(1, 0, 0)); // 100
    const e = summariseCounts('relational', counts(17, 3, 0)); // 85
    expect(compareNpsGap(d, e, 15)).toBe(0);
  });

  it('throws when an NPS is undefined', () => {
    expect(() => compareNpsChange(a, summariseCounts('relational', counts(0, 0, 0)), 0)).toThrow(
      'Cannot compare an undefined NPS (n = 0)',
    );
  });
});

describe('significanceOfChange', () => {
  it('is significant when |Δ| > 1.96·√(SE₁² + SE₂²)', () => {
    const before = summariseCounts('relational', counts(50, 30, 20)); // 30, SE 7.81
    const after = summariseCounts('relational', counts(30, 30, 40)); // −10, SE 8.77
    const r = significanceOfChange(before, after);
    expect(r?.change).toBe(-40);
    expect(r?.threshold).toBeCloseTo(1.96 * Math.sqrt(61 + 69), 9); // SE² = 61 and 69
    expect(r?.significant).toBe(true);
  });

  it('is not significant for a small change on small samples', () => {
    const before = summariseCounts('relational', counts(5, 3, 2)); // 30
    const after = summariseCounts('relational', counts(4, 4, 2)); // 20
    expect(significanceOfChange(before, after)?.significant).toBe(false);
  });

  it('is null when either period has n < 2', () => {
    const one = summariseCounts('relational', counts(1, 0, 0));
    const many = summariseCounts('relational', counts(10, 0, 10));
    expect(significanceOfChange(one, many)).toBeNull();
    expect(significanceOfChange(many, one)).toBeNull();
  });

  it('refuses to compare periods of different streams', () => {
    const r = summariseCounts('relational', counts(10, 0, 10));
    const t = summariseCounts('transactional', counts(10, 0, 10));
    expect(() => significanceOfChange(r, t)).toThrow(MixedStreamError);
  });
});

describe('NPS properties', () => {
  const scores = fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 300 });

  it('NPS is always within −100..100, null only for n = 0', () => {
    fc.assert(
      fc.property(scores, (list) => {
        const s = summariseNps('relational', list.map(rel));
        if (list.length === 0) return s.nps === null && s.interval === null;
        return s.nps !== null && s.nps >= -100 && s.nps <= 100 && s.n === list.length;
      }),
    );
  });

  it('the interval contains the estimate and is symmetric, null for n < 2', () => {
    fc.assert(
      fc.property(scores, (list) => {
        const s = summariseNps('transactional', list.map((score) => ({ stream: 'transactional' as Stream, score })));
        if (list.length < 2) return s.interval === null && s.standardError === null;
        const { low, high } = s.interval!;
        const nps = s.nps!;
        return low <= nps && nps <= high && Math.abs(nps - low - (high - nps)) < 1e-9 && s.standardError! >= 0;
      }),
    );
  });

  it('all promoters give 100, all detractors −100, all passives 0, each with SE 0', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 500 }),
        fc.constantFrom<[number, number]>([9, 100], [10, 100], [0, -100], [6, -100], [7, 0], [8, 0]),
        (n, [score, expected]) => {
          const s = summariseNps('relational', Array.from({ length: n }, () => rel(score)));
          return s.nps === expected && s.standardError === 0 && s.interval!.low === expected;
        },
      ),
    );
  });

  it('the NPS does not depend on the order of responses', () => {
    fc.assert(
      fc.property(scores, (list) => {
        const a = summariseNps('relational', list.map(rel));
        const b = summariseNps('relational', [...list].reverse().map(rel));
        return a.nps === b.nps && a.standardError === b.standardError;
      }),
    );
  });

  it('low sample exactly when n < 30', () => {
    fc.assert(
      fc.property(scores, (list) => summariseNps('relational', list.map(rel)).lowSample === list.length < 30),
    );
  });

  it('display rounding is within 0.5 of the exact value and symmetric', () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), (v) => {
        const r = roundNpsForDisplay(v)!;
        return Math.abs(r - v) <= 0.5 && Object.is(roundNpsForDisplay(-v), r === 0 ? 0 : -r);
      }),
    );
  });
});
