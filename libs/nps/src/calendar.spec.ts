import { calendarDaysUntil, InvalidInstantError, isoDateToDayNumber, nextQuarter, parseQuarter, quarterOf, quarterStartMonth, toIsoDate } from './calendar';

describe('calendar helpers', () => {
  it('counts UTC calendar days regardless of time of day', () => {
    expect(calendarDaysUntil('2025-03-02', new Date('2025-03-01T23:59:59Z'))).toBe(1);
    expect(calendarDaysUntil('2025-03-01', new Date('2025-03-01T00:00:00Z'))).toBe(0);
    expect(calendarDaysUntil('2024-03-01', new Date('2024-02-28T12:00:00Z'))).toBe(2); // leap year
  });

  it('validates dates', () => {
    expect(isoDateToDayNumber('1970-01-02')).toBe(1);
    expect(() => isoDateToDayNumber('2023-02-29')).toThrow('Invalid calendar date "2023-02-29"');
    // read again (the day numbers read are kept): the same answer, the same refusal
    expect(isoDateToDayNumber('1970-01-02')).toBe(1);
    expect(() => isoDateToDayNumber('2023-02-29')).toThrow('Invalid calendar date "2023-02-29"');
    expect(() => toIsoDate(new Date('nope'))).toThrow(InvalidInstantError);
  });

  it('quarters', () => {
    expect(quarterOf(new Date('2025-03-31T23:59:59Z'))).toBe('2025-Q1');
    expect(quarterOf(new Date('2025-04-01T00:00:00Z'))).toBe('2025-Q2');
    expect(nextQuarter('2025-Q4')).toBe('2026-Q1');
    expect(nextQuarter('2025-Q2')).toBe('2025-Q3');
    expect(parseQuarter('2031-Q3')).toEqual({ year: 2031, quarter: 3 });
    expect(() => parseQuarter('2031-Q5' as never)).toThrow('Invalid quarter key "2031-Q5"');
    expect(quarterStartMonth(new Date('2025-12-15T00:00:00Z'))).toBe(10);
  });
});
