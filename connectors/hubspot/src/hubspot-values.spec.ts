import { dateOnly, decimal, instant, money } from './hubspot-values';

describe('HubSpot property values', () => {
  it('reads money as a 2-decimal string without float arithmetic', () => {
    expect(money('125000')).toBe('125000.00');
    expect(money('8499.5')).toBe('8499.50');
    expect(money('1.25E6')).toBe('1250000.00');
    expect(money('12345678901234567890.129')).toBe('12345678901234567890.13');
    expect(money('0.1')).toBe('0.10'); // 0.1 + 0.2 style float noise never appears
    expect(money('99.995')).toBe('100.00');
    expect(money('-10.005')).toBe('-10.01');
    expect(money('-0.001')).toBe('0.00');
    expect(money('.5')).toBe('0.50');
    expect(money('')).toBeNull();
    expect(money(null)).toBeNull();
  });

  it('gives undefined (the caller errors) for anything that is not a number', () => {
    for (const bad of ['abc', '12,500', '$100', '1e', '--1', '.', 'NaN', 'Infinity', '1e999']) expect(money(bad)).toBeUndefined();
    expect(decimal('seven')).toBeUndefined();
  });

  it('reads usage scores as plain decimals', () => {
    expect(decimal('75')).toBe('75');
    expect(decimal('7.50E1')).toBe('75');
    expect(decimal('0.250')).toBe('0.25');
    expect(decimal(' 42.0 ')).toBe('42');
  });

  it('reads date properties sent as ISO dates, ISO instants or epoch milliseconds', () => {
    expect(dateOnly('2026-03-31')).toBe('2026-03-31');
    expect(dateOnly('1725235200000')).toBe('2024-09-02');
    expect(dateOnly('2026-09-02T00:00:00Z')).toBe('2026-09-02');
    expect(dateOnly('2026-09-01T22:00:00-05:00')).toBe('2026-09-02');
    expect(dateOnly('')).toBeNull();
    expect(dateOnly('2026-02-30')).toBeUndefined();
    expect(dateOnly('31/03/2026')).toBeUndefined();
    expect(dateOnly('soon')).toBeUndefined();
  });

  it('reads instants from strings, epoch ms and the SDK Date objects', () => {
    expect(instant('2026-01-14T16:03:27.981Z')).toBe('2026-01-14T16:03:27.981Z');
    expect(instant('1768406607981')).toBe('2026-01-14T16:03:27.981Z');
    expect(instant(new Date('2026-01-14T16:03:27.981Z'))).toBe('2026-01-14T16:03:27.981Z');
    expect(instant('not a time')).toBeUndefined();
    expect(instant(null)).toBeUndefined();
  });
});
