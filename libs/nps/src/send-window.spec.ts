import { DEFAULT_PROGRAM_SETTINGS, programSettings, sendWindowOf } from './settings';
import {
  businessDaysOfMonth,
  earliestSendTime,
  isInsideSendWindow,
  localDayBounds,
  localTime,
  nextWindowOpening,
  remainingBusinessDays,
  sendWindowErrors,
  SendWindow,
  spreadWave,
  waveDayIndex,
  zonedInstant,
} from './send-window';

const UTC_WINDOW = sendWindowOf(DEFAULT_PROGRAM_SETTINGS); // Monday–Friday 09:00–11:00 UTC
const NEW_YORK: SendWindow = { ...UTC_WINDOW, timeZone: 'America/New_York' };
const at = (iso: string) => new Date(iso);

describe('send window (rules §4)', () => {
  it('defaults to Monday–Friday 09:00–11:00 UTC and 500 a day', () => {
    expect(DEFAULT_PROGRAM_SETTINGS).toMatchObject({
      sendDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      sendWindowStart: '09:00',
      sendWindowEnd: '11:00',
      timeZone: 'UTC',
      dailySendCap: 500,
      enterpriseEscalation: true,
    });
  });

  it('is [start, end): 09:00 is inside, 10:59:59.999 inside, 11:00 outside; weekends outside', () => {
    expect(isInsideSendWindow(at('2026-11-02T08:59:59.999Z'), UTC_WINDOW)).toBe(false); // Monday
    expect(isInsideSendWindow(at('2026-11-02T09:00:00Z'), UTC_WINDOW)).toBe(true);
    expect(isInsideSendWindow(at('2026-11-02T10:59:59.999Z'), UTC_WINDOW)).toBe(true);
    expect(isInsideSendWindow(at('2026-11-02T11:00:00Z'), UTC_WINDOW)).toBe(false);
    expect(isInsideSendWindow(at('2026-11-07T10:00:00Z'), UTC_WINDOW)).toBe(false); // Saturday
  });

  it('reads the window in the program time zone, across a DST change', () => {
    // New York is UTC−4 until 1 November 2026, then UTC−5.
    expect(isInsideSendWindow(at('2026-10-30T13:00:00Z'), NEW_YORK)).toBe(true); // Fri 09:00 EDT
    expect(isInsideSendWindow(at('2026-11-02T13:00:00Z'), NEW_YORK)).toBe(false); // Mon 08:00 EST
    expect(isInsideSendWindow(at('2026-11-02T14:00:00Z'), NEW_YORK)).toBe(true); // Mon 09:00 EST
    expect(nextWindowOpening(at('2026-10-30T15:00:00Z'), NEW_YORK).toISOString()).toBe('2026-11-02T14:00:00.000Z');
  });

  it('finds the next opening at or after an instant, and keeps an instant already inside', () => {
    expect(nextWindowOpening(at('2026-11-02T09:00:00Z'), UTC_WINDOW).toISOString()).toBe('2026-11-02T09:00:00.000Z');
    expect(nextWindowOpening(at('2026-11-02T09:00:01Z'), UTC_WINDOW).toISOString()).toBe('2026-11-03T09:00:00.000Z');
    expect(nextWindowOpening(at('2026-11-06T12:00:00Z'), UTC_WINDOW).toISOString()).toBe('2026-11-09T09:00:00.000Z'); // Fri → Mon
    expect(earliestSendTime(at('2026-11-02T10:30:00Z'), UTC_WINDOW).toISOString()).toBe('2026-11-02T10:30:00.000Z');
    expect(earliestSendTime(at('2026-11-02T11:00:00Z'), UTC_WINDOW).toISOString()).toBe('2026-11-03T09:00:00.000Z');
    expect(earliestSendTime(at('2026-11-07T10:00:00Z'), { ...UTC_WINDOW, days: ['Saturday'] }).toISOString()).toBe('2026-11-07T10:00:00.000Z');
  });

  it('converts local wall times, skipped and repeated ones included', () => {
    expect(zonedInstant('2026-03-29', 150, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 02:30 does not exist: 03:30 CEST
    expect(zonedInstant('2026-10-25', 150, 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z'); // first 02:30 (CEST)
    expect(zonedInstant('2026-07-01', 9 * 60, 'Asia/Kolkata').toISOString()).toBe('2026-07-01T03:30:00.000Z');
    expect(localTime(at('2026-07-01T03:30:00Z'), 'Asia/Kolkata')).toEqual({ date: '2026-07-01', weekday: 'wednesday', minutes: 540 });
  });

  it('bounds the local day the cap counts in', () => {
    const day = localDayBounds(at('2026-11-03T03:00:00Z'), 'America/New_York'); // still Monday evening in New York
    expect(day.date).toBe('2026-11-02');
    expect([day.start.toISOString(), day.end.toISOString()]).toEqual(['2026-11-02T05:00:00.000Z', '2026-11-03T05:00:00.000Z']);
  });

  it('lists the business days of a month (window weekdays, no holidays)', () => {
    const november = businessDaysOfMonth(2026, 11, UTC_WINDOW);
    expect(november).toHaveLength(21);
    expect(november.slice(0, 3)).toEqual(['2026-11-02', '2026-11-03', '2026-11-04']);
    expect(november[november.length - 1]).toBe('2026-11-30');
    expect(businessDaysOfMonth(2026, 2, { ...UTC_WINDOW, days: ['sunday'] })).toEqual(['2026-02-01', '2026-02-08', '2026-02-15', '2026-02-22']);
    // On the 30th after the window closed only nothing is left; before it, the 30th itself.
    expect(remainingBusinessDays(2026, 11, at('2026-11-30T11:00:00Z'), UTC_WINDOW)).toEqual([]);
    expect(remainingBusinessDays(2026, 11, at('2026-11-30T10:00:00Z'), UTC_WINDOW)).toEqual(['2026-11-30']);
  });

  it('spreads a wave: survey i of n over k business days goes on day ⌊i·k/n⌋', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => waveDayIndex(i, 7, 3))).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect([0, 1].map((i) => waveDayIndex(i, 2, 21))).toEqual([0, 10]);
    const perDay = new Map<number, number>();
    for (let i = 0; i < 2000; i++) perDay.set(waveDayIndex(i, 2000, 21), (perDay.get(waveDayIndex(i, 2000, 21)) ?? 0) + 1);
    expect(perDay.size).toBe(21);
    expect(Math.min(...perDay.values())).toBe(95);
    expect(Math.max(...perDay.values())).toBe(96);
    expect(() => waveDayIndex(3, 3, 5)).toThrow();
    expect(() => waveDayIndex(0, 3, 0)).toThrow();
  });

  it('gives wave send times at the openings of the remaining business days, or now when today is open', () => {
    const times = spreadWave(4, 2026, 11, at('2026-11-27T10:00:00Z'), UTC_WINDOW); // Friday 10:00; Monday 30th left
    expect(times.map((t) => t.toISOString())).toEqual(['2026-11-27T10:00:00.000Z', '2026-11-27T10:00:00.000Z', '2026-11-30T09:00:00.000Z', '2026-11-30T09:00:00.000Z']);
    expect(spreadWave(3, 2026, 11, at('2026-12-01T00:00:00Z'), UTC_WINDOW)).toEqual([]);
  });

  it('names each bad window or cap rule', () => {
    const rules = (overrides: object) => sendWindowErrors(programSettings(overrides));
    expect(rules({})).toEqual([]);
    expect(rules({ timeZone: 'Mars/Olympus' })).toEqual([expect.stringMatching(/^rules\.timeZone: /)]);
    expect(rules({ sendWindowStart: '11:00', sendWindowEnd: '09:00' })).toEqual([expect.stringMatching(/^rules\.sendWindowEnd: must be later/)]);
    expect(rules({ sendWindowStart: '10:00', sendWindowEnd: '10:00' })).toEqual([expect.stringMatching(/^rules\.sendWindowEnd: /)]);
    expect(rules({ sendWindowStart: '9am' })).toEqual([expect.stringMatching(/^rules\.sendWindowStart: /)]);
    expect(rules({ sendDays: [] })).toEqual([expect.stringMatching(/^rules\.sendDays: /)]);
    expect(rules({ sendDays: ['Monday', 'Funday'] })).toEqual(['rules.sendDays: "Funday" is not a weekday (monday … sunday)']);
    expect(rules({ dailySendCap: 0 })).toEqual(['rules.dailySendCap: must be a positive whole number']);
    expect(rules({ dailySendCap: 2.5 })).toEqual(['rules.dailySendCap: must be a positive whole number']);
    expect(rules({ sendWindowStart: '00:00', sendWindowEnd: '24:00' })).toEqual([]);
  });
});
