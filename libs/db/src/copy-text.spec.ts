import { COPY_NULL, copyBoolean, copyField, copyJson, copyTextArray, copyTimestamp } from './copy-text';

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
