import { parseDecimal } from './decimal-amount';

describe('parseDecimal', () => {
  it.each([
    // JSON numbers, as a CRM's REST API sends them
    [125000.5, 2, '125000.50'],
    [100000, 2, '100000.00'],
    [0.1, 2, '0.10'],
    [8499.995, 2, '8500.00'],
    [0.005, 2, '0.01'],
    [-0.004, 2, '0.00'],
    [-12.345, 2, '-12.35'],
    [999.999, 2, '1000.00'],
    [1e21, 2, '1000000000000000000000.00'],
    [1.5e-7, 2, '0.00'],
    [73.25, undefined, '73.25'],
    [1.5e-7, undefined, '0.00000015'],
    [42, undefined, '42'],
    [-0, 2, '0.00'],
    // strings, as a CRM that sends every property as text does
    ['12345.678', 2, '12345.68'],
    ['125000', 2, '125000.00'],
    ['8499.5', 2, '8499.50'],
    ['1.25E6', 2, '1250000.00'],
    ['12345678901234567890.129', 2, '12345678901234567890.13'],
    ['99.995', 2, '100.00'],
    ['-10.005', 2, '-10.01'],
    ['-0.001', 2, '0.00'],
    ['.5', 2, '0.50'],
    ['-.5', 2, '-0.50'],
    ['+7', 2, '7.00'],
    ['5.', 2, '5.00'],
    ['007', 2, '7.00'],
    ['75', undefined, '75'],
    ['7.50E1', undefined, '75'],
    ['0.250', undefined, '0.25'],
    [' 42.0 ', undefined, '42'],
    ['1.5E5', undefined, '150000'],
    ['123456789012345678901234567890.5', 0, '123456789012345678901234567891'],
  ])('%p with scale %p is %p', (value, scale, expected) => {
    expect(parseDecimal(value, scale)).toBe(expected);
  });

  it.each([
    [NaN],
    [Infinity],
    [-Infinity],
    ['12,000'],
    ['12 000'],
    ['$100'],
    [''],
    ['   '],
    ['.'],
    ['1e'],
    ['--1'],
    ['abc'],
    ['NaN'],
    ['Infinity'],
    ['0x1F'],
    ['1e999'],
    ['1e-61'],
    [null],
    [undefined],
    [true],
    [{}],
  ])('refuses %p', (value) => {
    expect(parseDecimal(value, 2)).toBeUndefined();
    expect(parseDecimal(value)).toBeUndefined();
  });

  it('never uses float arithmetic: 0.1 + 0.2 style values keep their printed digits', () => {
    expect(parseDecimal(0.30000000000000004)).toBe('0.30000000000000004');
    expect(parseDecimal(1234567.89, 2)).toBe('1234567.89');
    expect(parseDecimal('0.1', 2)).toBe('0.10');
  });

  it('takes zero with any exponent, and magnitudes up to 10^60', () => {
    expect(parseDecimal('0e999', 2)).toBe('0.00');
    expect(parseDecimal('1e60')).toBe(`1${'0'.repeat(60)}`);
  });
});
