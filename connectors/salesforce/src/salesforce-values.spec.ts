import { isCalendarDate, toDecimalString, toIsoInstant } from './salesforce-values';

describe('toDecimalString', () => {
  it.each([
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
    ['12345.678', 2, '12345.68'],
    [73.25, undefined, '73.25'],
    [1.5e-7, undefined, '0.00000015'],
    [42, undefined, '42'],
  ])('%p with scale %p is %p', (value, scale, expected) => {
    expect(toDecimalString(value, scale)).toBe(expected);
  });

  it.each([[NaN], [Infinity], [-Infinity], ['12,000'], [''], ['1e'], [null], [true], [{}]])('refuses %p', (value) => {
    expect(toDecimalString(value, 2)).toBeNull();
  });

  it('never uses float arithmetic: 0.1 + 0.2 style values keep their printed digits', () => {
    expect(toDecimalString(0.30000000000000004)).toBe('0.30000000000000004');
    expect(toDecimalString(1234567.89, 2)).toBe('1234567.89');
  });
});

describe('toIsoInstant', () => {
  it('reads Salesforce datetimes in any offset form', () => {
    expect(toIsoInstant('2026-11-23T10:00:00.000+0000')).toBe('2026-11-23T10:00:00.000Z');
    expect(toIsoInstant('2026-11-23T12:00:00.000+02:00')).toBe('2026-11-23T10:00:00.000Z');
    expect(toIsoInstant('2026-11-23T10:00:00Z')).toBe('2026-11-23T10:00:00.000Z');
  });

  it('refuses text that is not a datetime', () => {
    expect(toIsoInstant('2026-11-23')).toBeNull();
    expect(toIsoInstant('2026-02-30T10:00:00.000+0000')).toBeNull();
    expect(toIsoInstant('yesterday')).toBeNull();
  });
});

describe('isCalendarDate', () => {
  it('accepts real dates only', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2027-2-1')).toBe(false);
  });
});
