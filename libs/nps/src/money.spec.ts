import { compareMoney, decimalFromCents, formatMoney, InvalidMoneyError, toCents } from './money';

describe('toCents', () => {
  it.each([
    ['100000.00', 10_000_000n],
    ['100000', 10_000_000n],
    ['99999.99', 9_999_999n],
    ['12.5', 1_250n],
    ['1.230', 123n],
    ['0', 0n],
    ['-5.01', -501n],
    ['123456789012345678.99', 12_345_678_901_234_567_899n],
  ])('%p → %p', (text, cents) => expect(toCents(text)).toBe(cents));

  it('accepts integer cents', () => {
    expect(toCents({ cents: 123 })).toBe(123n);
    expect(toCents({ cents: 123n })).toBe(123n);
  });

  it.each(['1.234', '1e5', '1,000.00', ' 100', '', '.5', 'abc', '+1'])('rejects %p', (text) => {
    expect(() => toCents(text)).toThrow(InvalidMoneyError);
  });

  it('rejects non-integer cents and other values with a message naming them', () => {
    expect(() => toCents({ cents: 1.5 })).toThrow('Invalid money amount { cents: 1.5 }');
    expect(() => toCents(100 as never)).toThrow('Invalid money amount 100');
  });
});

describe('compareMoney / formatMoney', () => {
  it('compares exactly across forms', () => {
    expect(compareMoney('100000.00', { cents: 10_000_000 })).toBe(0);
    expect(compareMoney('99999.99', '100000')).toBe(-1);
    expect(compareMoney('0.01', '0')).toBe(1);
  });

  it('formats with thousands separators', () => {
    expect(formatMoney('120000.5')).toBe('120,000.50');
    expect(formatMoney({ cents: 5n })).toBe('0.05');
    expect(formatMoney('-1234567.89')).toBe('-1,234,567.89');
  });
});

describe('decimalFromCents', () => {
  it('writes cents as a plain decimal that parses back to the same cents', () => {
    expect(decimalFromCents(12000050n)).toBe('120000.50');
    expect(decimalFromCents(5n)).toBe('0.05');
    expect(decimalFromCents(0n)).toBe('0.00');
    expect(decimalFromCents(-123456789n)).toBe('-1234567.89');
    for (const cents of [0n, 1n, 99n, 100n, 12345678901234567890n, -7n]) expect(toCents(decimalFromCents(cents))).toBe(cents);
  });
});
