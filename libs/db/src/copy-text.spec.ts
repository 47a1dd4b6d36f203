import { COPY_NULL, copyBoolean, copyField, copyJson, copyTextArray, copyTimestamp, isoString } from './copy-text';

describe('COPY text fields', () => {
  it('write NULL as \\N and a backslash, tab, newline or carriage return as its escape, other text as it is', () => {
    expect(copyField(null)).toBe(COPY_NULL);
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('a\tb\nc\rd\\e "f" {g} ü')).toBe('a\\tb\\nc\\rd\\\\e "f" {g} ü');
    expect(copyField('')).toBe('');
  });

  it('quote every element of an array literal, escaping its quotes and backslashes', () => {
    expect(copyTextArray([])).toBe('{}');
    expect(copyTextArray(['a', 'b, "c" \\ {d}'])).toBe('{"a","b, \\\\"c\\\\" \\\\\\\\ {d}"}');
  });

  it('write booleans, instants and JSON as Postgres reads them', () => {
    expect([copyBoolean(true), copyBoolean(false), copyBoolean(null)]).toEqual(['t', 'f', '\\N']);
    expect(copyTimestamp(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)))).toBe('2025-01-02T03:04:05.006Z');
    expect(copyJson({ a: 'x\ny' })).toBe('{"a":"x\\\\ny"}');
    expect(copyJson(null)).toBe('\\N');
  });
});

describe('copyJson', () => {
  it('escapes as copyField does on the JSON text: backslashes doubled, control characters already escaped by JSON', () => {
    const values = [{ a: 'x\\y', b: '\t\n\r', c: ['"q"', '\\\\'] }, { name: null, tags: [], properties: { Plan: 'Pro' } }, 'plain', 12, [], {}];
    for (const value of values) expect(copyJson(value)).toBe(copyField(JSON.stringify(value)));
    expect(copyJson({ f: () => 1 })).toBe('{}');
    expect(copyJson(() => 1)).toBe(COPY_NULL);
  });
});

describe('isoString', () => {
  it('writes what toISOString writes, at the edges of days, years, four-digit years and the epoch', () => {
    const edges = [
      0,
      -1,
      1,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2025, 11, 31, 23, 59, 59, 999),
      Date.UTC(2026, 0, 1),
      Date.UTC(1969, 11, 31, 12, 0, 0, 1),
      -62_167_219_200_000, // 0000-01-01T00:00:00.000Z
      -62_167_219_200_001, // -000001-12-31T23:59:59.999Z
      253_402_300_799_999, // 9999-12-31T23:59:59.999Z
      253_402_300_800_000, // +010000-01-01T00:00:00.000Z
      8.64e15,
      -8.64e15,
    ];
    for (const ms of edges) expect(isoString(new Date(ms))).toBe(new Date(ms).toISOString());
  });

  it('writes what toISOString writes for many instants, the same day again and again or each a new one', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor((random() - 0.5) * 2 * 300_000_000_000_000);
      expect(isoString(new Date(ms))).toBe(new Date(ms).toISOString());
      const sameDay = Date.UTC(2025, 5, 1) + Math.floor(random() * 86_400_000);
      expect(isoString(new Date(sameDay))).toBe(new Date(sameDay).toISOString());
    }
  });

  it('throws for an invalid date, as toISOString does', () => {
    expect(() => isoString(new Date(NaN))).toThrow(RangeError);
    expect(() => copyTimestamp(new Date(NaN))).toThrow(RangeError);
  });
});
