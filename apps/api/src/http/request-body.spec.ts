import { jsonNestsDeeperThan, unstorableText } from './request-body';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('request body checks', () => {
  it('measures JSON nesting in one pass, ignoring brackets inside strings', () => {
    expect(jsonNestsDeeperThan(bytes('{"a":[{"b":1}]}'), 3)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('{"a":[{"b":[1]}]}'), 3)).toBe(true);
    expect(jsonNestsDeeperThan(bytes('{"a":"[[[[[[\\"{{{{"}'), 1)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('[{"é":"ü"}, [], [], {}]'), 2)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('['.repeat(1_000_000)), 32)).toBe(true);
  });

  it('names every field (and field name) holding a NUL or a lone surrogate', () => {
    const body = { ok: 'Acme 🚀', name: 'a\u0000b', rules: { tiers: ['x', '\ud800'], ['k\u0000']: 1 }, nested: [{ deep: '\udc00' }] };
    expect(unstorableText(body, '')).toEqual([
      'name: contains a NUL character (\\u0000), which cannot be stored',
      'nested[0].deep: contains a lone UTF-16 surrogate (not valid Unicode text)',
      'rules.k\u0000: the field name contains a NUL character (\\u0000), which cannot be stored',
      'rules.tiers[1]: contains a lone UTF-16 surrogate (not valid Unicode text)',
    ]);
    expect(unstorableText('\u0000', '')).toEqual(['body: contains a NUL character (\\u0000), which cannot be stored']);
    expect(unstorableText({ comment: 'fine ✓' }, '')).toEqual([]);
  });
});
