import fc from 'fast-check';
import { decideQuarterlySurvey, fnv1a32, quarterlySendWindow, quarterlyWave, quarterlyWaveMonth, type QuarterlySurveyInput } from './quarterly-survey';
import type { ContactSurvey } from './suppression';

// Reference values computed independently (Python) for FNV-1a 32 over UTF-8.
const WAVE_0 = '003A000002'; // 0x82af0af3 → 2192509683 mod 3 = 0
const WAVE_1 = '003A000003'; // 0x81af0960 → 2175732064 mod 3 = 1
const WAVE_2 = '003A000001'; // 0x83af0c86 → 2209287302 mod 3 = 2

describe('FNV-1a 32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
    ['é', 0x1e9de8c1],
    ['😀', 0x33a29608],
    [WAVE_0, 0x82af0af3],
  ])('%p → %p', (text, hash) => expect(fnv1a32(text)).toBe(hash));
});

describe('quarterly waves', () => {
  it('wave = hash(contact id) mod 3', () => {
    expect(quarterlyWave(WAVE_0)).toBe(0);
    expect(quarterlyWave(WAVE_1)).toBe(1);
    expect(quarterlyWave(WAVE_2)).toBe(2);
    expect(() => quarterlyWave('')).toThrow('Invalid contact id ""');
  });

  it.each([
    ['2025-02-14T00:00:00Z', WAVE_0, 2025, 1],
    ['2025-02-14T00:00:00Z', WAVE_1, 2025, 2],
    ['2025-02-14T00:00:00Z', WAVE_2, 2025, 3],
    ['2025-04-01T00:00:00Z', WAVE_0, 2025, 4],
    ['2025-06-30T23:59:59Z', WAVE_1, 2025, 5],
    ['2025-08-09T00:00:00Z', WAVE_2, 2025, 9],
    ['2025-12-31T23:59:59Z', WAVE_0, 2025, 10],
    ['2026-03-31T00:00:00Z', WAVE_2, 2026, 3],
  ])('at %p contact %p is surveyed in %p-%p', (now, id, year, month) => {
    expect(quarterlyWaveMonth(id, new Date(now))).toEqual({ year, month });
  });

  it('send window is the whole wave month in UTC', () => {
    expect(quarterlySendWindow(WAVE_2, new Date('2025-11-20T00:00:00Z'))).toEqual({
      start: new Date('2025-12-01T00:00:00Z'),
      end: new Date('2026-01-01T00:00:00Z'),
    });
  });

  it('spreads contacts over the three waves', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[quarterlyWave(`003A${i}`)]++;
    for (const c of counts) expect(c).toBeGreaterThan(900);
  });

  it('the wave month is always inside the quarter of now', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), (id, now) => {
        const { month } = quarterlyWaveMonth(id, now);
        return Math.floor((month - 1) / 3) === Math.floor(now.getUTCMonth() / 3);
      }),
    );
  });
});

describe('decideQuarterlySurvey', () => {
  const base: QuarterlySurveyInput = {
    contact: { id: WAVE_1, email: 'c@acme.test', optedOut: false },
    accountActive: true,
    contactSurveys: [],
    now: new Date('2025-05-10T08:00:00Z'), // Q2, wave 1 → May
  };

  it('sends now during the wave month', () => {
    expect(decideQuarterlySurvey(base)).toEqual({ send: true, sendAt: base.now, cancelSurveyIds: [] });
  });

  it('schedules at 00:00 UTC on the 1st of the wave month when earlier in the quarter', () => {
    expect(decideQuarterlySurvey({ ...base, now: new Date('2025-04-03T00:00:00Z') })).toEqual({
      send: true,
      sendAt: new Date('2025-05-01T00:00:00Z'),
      cancelSurveyIds: [],
    });
  });

  it('skips after the wave month', () => {
    expect(decideQuarterlySurvey({ ...base, now: new Date('2025-06-01T00:00:00Z') })).toEqual({
      send: false,
      reason: 'wave_month_passed',
    });
  });

  it('once per quarter', () => {
    const earlier: ContactSurvey = { id: 'q', trigger: 'quarterly', status: 'sent', at: new Date('2025-04-01T00:00:00Z') };
    expect(decideQuarterlySurvey({ ...base, contactSurveys: [earlier] })).toEqual({
      send: false,
      reason: 'already_surveyed_this_quarter',
    });
    const lastQuarter: ContactSurvey = { ...earlier, at: new Date('2025-03-31T23:00:00Z') };
    expect(decideQuarterlySurvey({ ...base, contactSurveys: [lastQuarter] })).toEqual({
      send: true,
      sendAt: base.now,
      cancelSurveyIds: [],
    });
  });

  it('inactive accounts and opted-out contacts are not surveyed', () => {
    expect(decideQuarterlySurvey({ ...base, accountActive: false })).toEqual({ send: false, reason: 'account_inactive' });
    expect(decideQuarterlySurvey({ ...base, contact: { ...base.contact, optedOut: true } })).toEqual({
      send: false,
      reason: 'opted_out',
    });
  });

  it('is suppressed by another survey within 30 days of the send time', () => {
    const ticket: ContactSurvey = { id: 't', trigger: 'ticket_solved', status: 'sent', at: new Date('2025-04-11T08:00:01Z') };
    expect(decideQuarterlySurvey({ ...base, contactSurveys: [ticket] })).toEqual({ send: false, reason: 'suppressed' });
    const older: ContactSurvey = { ...ticket, at: new Date('2025-04-10T08:00:00Z') };
    expect(decideQuarterlySurvey({ ...base, contactSurveys: [older] }).send).toBe(true);
  });
});
