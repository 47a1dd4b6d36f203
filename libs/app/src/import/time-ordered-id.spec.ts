import { timeOrderedUuid } from './time-ordered-id';

describe('time-ordered ids of imported answers', () => {
  it('are version 7 UUIDs with the RFC 9562 variant, the millisecond time first', () => {
    const id = timeOrderedUuid(Date.UTC(2026, 11, 6, 10, 0, 0));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 6, 10, 0, 0));
  });

  it('ascend with time and never repeat', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => timeOrderedUuid(1_765_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 20000 }, () => timeOrderedUuid(1_765_000_000_000))).size).toBe(20000);
  });
});

describe('time-ordered ids made in one reused buffer', () => {
  it('keep each id as made (later ids do not change earlier ones), the time part the 48-bit time in hex', () => {
    const first = timeOrderedUuid(0xabcdef012345);
    const copy = `${first}`;
    for (let i = 0; i < 3000; i++) timeOrderedUuid(i); // past the random pool's refill
    expect(first).toBe(copy);
    expect(first.slice(0, 13)).toBe('abcdef01-2345');
    expect(() => timeOrderedUuid(2 ** 48)).toThrow(/out of range/);
  });
});
