import { isCalendarDate, toIsoInstant } from './salesforce-values';

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
