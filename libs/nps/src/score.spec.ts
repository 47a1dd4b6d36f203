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
  adjustedWald,
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
      stream: 'relational',
      n: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      nps: null,
      adjustedNps: null,
      standardError: null,
      interval: null,
      lowSample: true,
    });
  });

  it('is 100 × (P − D) / n, exact', () => {
    expect(npsFromCounts(counts(5, 3, 2))).toBe(30);
    expect(npsFromCounts(counts(1, 1, 1))).toBe(0);
    expect(npsFromCounts(counts(2, 0, 1))).toBeCloseTo(33.333333333, 8);
    expect(npsFromCounts(counts(0, 0, 4))).toBe(-100);
  });

  it("n = 1 (one promoter): NPS 100 exact; n' = 4, p' = 1.75/4, d' = 0.75/4 → NPS' 25, SE 37.5", () => {
    // variance = p' + d' − (p' − d')² = 0.625 − 0.0625 = 0.5625; SE = 100·√(0.5625/4) = 37.5.
    const s = summariseNps('relational', [rel(10)]);
    expect(s.nps).toBe(100);
    expect(s.adjustedNps).toBe(25);
    expect(s.standardError).toBe(37.5);
    expect(s.interval).toEqual({ low: 25 - 73.5, high: 25 + 73.5 }); // 1.96·37.5 = 73.5: −48.5 … 98.5
  });

  it("n = 1 passive: NPS 0, NPS' 0, SE = 100·√(0.375/4)", () => {
    const s = summariseCounts('relational', counts(0, 1, 0));
    expect(s.nps).toBe(0);
    expect(s.adjustedNps).toBe(0);
    expect(s.standardError).toBeCloseTo(30.6186218, 6);
    expect(s.interval?.high).toBeCloseTo(60.0124987, 6);
  });

  it("P = 5, D = 2, n = 10: NPS 30 exact, NPS' = 300/13, SE = 100·√(101.5/13³)", () => {
    // n' = 13, p' = 5.75/13, d' = 2.75/13. variance·13² = 8.5·13 − 3² = 101.5; 13³ = 2197.
    const s = summariseCounts('relational', counts(5, 3, 2));
    expect(s.nps).toBe(30);
    expect(s.adjustedNps).toBeCloseTo(23.0769231, 6);
    expect(s.standardError).toBeCloseTo(21.494037, 6);
    expect(s.interval?.low).toBeCloseTo(-19.0513895, 6);
    expect(s.interval?.high).toBeCloseTo(65.2052356, 6);
    expect(s.lowSample).toBe(true);
    expect(npsStandardError(counts(5, 3, 2))).toBe(s.standardError);
  });

  it("50 P, 30 passive, 20 D: NPS 30, NPS' = 3000/103, SE = 100·√(6464.5/103³)", () => {
    // variance·103² = 71.5·103 − 30² = 6464.5
    const s = summariseCounts('transactional', counts(50, 30, 20));
    expect(s.nps).toBe(30);
    expect(s.adjustedNps).toBeCloseTo(29.1262136, 6);
    expect(s.standardError).toBeCloseTo(7.6915104, 6);
    expect(s.interval?.low).toBeCloseTo(14.0508532, 6);
    expect(s.interval?.high).toBeCloseTo(44.201574, 6);
    expect(s.lowSample).toBe(false);
  });

  it("clips to [−100, 100]: 10 promoters → NPS' 76.92 ± 29.42 → high 100; 10 detractors → low −100", () => {
    // all promoters: variance·13² = 11.5·13 − 10² = 49.5, SE = 100·√(49.5/2197) = 15.0102377
    const up = summariseCounts('relational', counts(10, 0, 0));
    expect(up.nps).toBe(100);
    expect(up.adjustedNps).toBeCloseTo(76.9230769, 6);
    expect(up.standardError).toBeCloseTo(15.0102377, 6);
    expect(up.interval?.low).toBeCloseTo(47.5030109, 6);
    expect(up.interval?.high).toBe(100);
    const down = summariseCounts('relational', counts(0, 0, 10));
    expect(down.interval?.low).toBe(-100);
    expect(down.interval?.high).toBeCloseTo(-47.5030109, 6);
  });

  it('adjustedWald takes effective (non-integer) counts and refuses impossible ones', () => {
    expect(adjustedWald(0, 0, 0)).toBeNull();
    const w = adjustedWald(2.5, 1.25, 5)!; // n' = 8, a = 3.25, b = 2: NPS' = 15.625
    expect(w.adjustedNps).toBe(15.625);
    expect(w.standardError).toBeCloseTo(100 * Math.sqrt((5.25 * 8 - 1.25 ** 2) / 512), 12);
    expect(() => adjustedWald(3, 3, 5)).toThrow('exceed n 5');
    expect(() => adjustedWald(-1, 0, 5)).toThrow('Invalid promoters -1');
    expect(() => adjustedWald(0, 0, NaN)).toThrow('Invalid n NaN');
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
    expect(() => summariseNps('relational', mixed)).toThrow('Streams never mix: expected only "relational" responses but found one of stream "transactional"');
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
    expect(() => compareNpsChange(a, summariseCounts('relational', counts(0, 0, 0)), 0)).toThrow('Cannot compare an undefined NPS (n = 0)');
  });
});

describe('significanceOfChange (adjusted values)', () => {
  it("is significant when |NPS'₂ − NPS'₁| > 1.96·√(SE₁² + SE₂²)", () => {
    const before = summariseCounts('relational', counts(50, 30, 20)); // NPS 30, NPS' 3000/103
    const after = summariseCounts('relational', counts(30, 30, 40)); // NPS −10, NPS' −1000/103
    const r = significanceOfChange(before, after)!;
    expect(r.change).toBe(-40);
    expect(r.adjustedChange).toBeCloseTo(-4000 / 103, 9);
    // variance·103²: 6464.5 and 71.5·103 − 10² = 7264.5; SEᵢ² = 10⁴·Vᵢ/103³
    expect(r.threshold).toBeCloseTo(1.96 * Math.sqrt((1e4 * (6464.5 + 7264.5)) / 103 ** 3), 9);
    expect(r.significant).toBe(true);
  });

  it('judges the adjusted change, not the exact one, at the boundary', () => {
    // 2 D of 10 → 4 P of 20: exact change 40, adjusted change 32.7759 < threshold 32.7803.
    const below = significanceOfChange(summariseCounts('relational', counts(0, 8, 2)), summariseCounts('relational', counts(4, 16, 0)))!;
    expect(below.change).toBe(40);
    expect(below.adjustedChange).toBeCloseTo(32.7759197, 6);
    expect(below.threshold).toBeCloseTo(32.7802823, 6);
    expect(below.significant).toBe(false);
    // 7 D of 10 → 2 P, 5 D of 20: adjusted change 40.8027 > threshold 40.7949.
    const above = significanceOfChange(summariseCounts('relational', counts(0, 3, 7)), summariseCounts('relational', counts(2, 13, 5)))!;
    expect(above.adjustedChange).toBeCloseTo(40.8026756, 6);
    expect(above.threshold).toBeCloseTo(40.7948773, 6);
    expect(above.significant).toBe(true);
  });

  it('is not significant for a small change on small samples', () => {
    const before = summariseCounts('relational', counts(5, 3, 2)); // 30
    const after = summariseCounts('relational', counts(4, 4, 2)); // 20
    expect(significanceOfChange(before, after)?.significant).toBe(false);
  });

  it('is defined from n = 1 and null when either period has n = 0', () => {
    const one = summariseCounts('relational', counts(1, 0, 0)); // NPS' 25, SE 37.5
    const many = summariseCounts('relational', counts(10, 0, 10)); // NPS' 0, SE 100·√(494.5/23³)
    const r = significanceOfChange(one, many)!;
    expect(r.change).toBe(-100);
    expect(r.adjustedChange).toBe(-25);
    expect(r.threshold).toBeCloseTo(1.96 * Math.sqrt(37.5 ** 2 + (1e4 * 494.5) / 23 ** 3), 9);
    expect(r.significant).toBe(false);
    const none = summariseCounts('relational', counts(0, 0, 0));
    expect(significanceOfChange(none, many)).toBeNull();
    expect(significanceOfChange(many, none)).toBeNull();
  });

  it('refuses to compare periods of different streams', () => {
    const r = summariseCounts('relational', counts(10, 0, 10));
    const t = summariseCounts('transactional', counts(10, 0, 10));
    expect(() => significanceOfChange(r, t)).toThrow(MixedStreamError);
  });

  it('property: the exact decision agrees with the floating one away from the boundary, and is symmetric', () => {
    const c = fc.tuple(fc.nat(60), fc.nat(60), fc.nat(60)).filter(([p, q, d]) => p + q + d > 0);
    fc.assert(
      fc.property(c, c, ([p1, q1, d1], [p2, q2, d2]) => {
        const a = summariseCounts('relational', counts(p1, q1, d1));
        const b = summariseCounts('relational', counts(p2, q2, d2));
        const r = significanceOfChange(a, b)!;
        const back = significanceOfChange(b, a)!;
        if (back.significant !== r.significant) return false;
        const ratio = Math.abs(r.adjustedChange) / r.threshold;
        return Math.abs(ratio - 1) < 1e-9 || r.significant === ratio > 1;
      }),
    );
  });
});

describe('NPS properties', () => {
  const scores = fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 300 });

  it('NPS is always within −100..100, null only for n = 0', () => {
    fc.assert(
      fc.property(scores, (list) => {
        const s = summariseNps('relational', list.map(rel));
        if (list.length === 0) return s.nps === null && s.interval === null && s.adjustedNps === null;
        return s.nps !== null && s.nps >= -100 && s.nps <= 100 && s.n === list.length;
      }),
    );
  });

  it("the interval lies in [−100, 100], contains NPS', and is symmetric around it unless clipped", () => {
    fc.assert(
      fc.property(scores, (list) => {
        const s = summariseNps(
          'transactional',
          list.map((score) => ({ stream: 'transactional' as Stream, score })),
        );
        if (list.length === 0) return s.interval === null && s.standardError === null;
        const { low, high } = s.interval!;
        const centre = s.adjustedNps!;
        const margin = 1.96 * s.standardError!;
        return (
          -100 <= low &&
          low <= centre &&
          centre <= high &&
          high <= 100 &&
          s.standardError! > 0 &&
          (low === -100 || Math.abs(centre - low - margin) < 1e-9) &&
          (high === 100 || Math.abs(high - centre - margin) < 1e-9)
        );
      }),
    );
  });

  it('mirroring promoters and detractors mirrors the interval', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(200), fc.nat(200), (p, q, d) => {
        const a = summariseCounts('relational', counts(p, q, d));
        const b = summariseCounts('relational', counts(d, q, p));
        if (a.n === 0) return a.interval === null && b.interval === null;
        return a.standardError === b.standardError && a.interval!.low === -b.interval!.high && a.interval!.high === -b.interval!.low;
      }),
    );
  });

  it('all promoters give 100 and all detractors −100 exactly, with the interval clipped from n = 10 on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 500 }), fc.constantFrom<[number, number]>([9, 100], [10, 100], [0, -100], [6, -100]), (n, [score, expected]) => {
        const s = summariseNps(
          'relational',
          Array.from({ length: n }, () => rel(score)),
        );
        const clipped = expected > 0 ? s.interval!.high : s.interval!.low;
        return s.nps === expected && Math.abs(s.adjustedNps!) < 100 && clipped === expected;
      }),
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
    fc.assert(fc.property(scores, (list) => summariseNps('relational', list.map(rel)).lowSample === list.length < 30));
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
