import { ReadCursor, sinceMs } from './read-cursor';

const start = Date.parse('2026-01-15T12:00:00.000Z');
const settle = 60_000;

describe('ReadCursor', () => {
  it('keeps a full read restartable until it ends, then resumes just past the newest change', () => {
    const cursor = new ReadCursor(null, start, settle);
    cursor.see('2026-01-10T00:00:00.000Z');
    cursor.see('2026-01-12T00:00:00.000Z');
    cursor.see('2026-01-11T00:00:00.000Z');
    expect(cursor.page).toBeNull();
    expect(cursor.final).toBe('2026-01-12T00:00:00.001Z');
  });

  it('resumes an incremental read at the newest time seen (records come oldest first)', () => {
    const cursor = new ReadCursor(Date.parse('2026-01-01T00:00:00.000Z'), start, settle);
    expect(cursor.page).toBe('2026-01-01T00:00:00.000Z');
    cursor.see('2026-01-05T00:00:00.000Z');
    expect(cursor.page).toBe('2026-01-05T00:00:00.000Z');
    expect(cursor.final).toBe('2026-01-05T00:00:00.001Z');
  });

  it('never passes the read start minus the settle margin, so changes made meanwhile are read again', () => {
    const cursor = new ReadCursor(null, start, settle);
    cursor.see('2026-01-15T11:59:30.000Z');
    expect(cursor.final).toBe('2026-01-15T11:59:00.000Z');
    expect(new ReadCursor(null, start, settle).final).toBe('2026-01-15T11:59:00.000Z');
  });

  it('keeps the cursor of an incremental read that found nothing', () => {
    expect(new ReadCursor(Date.parse('2026-01-01T00:00:00.000Z'), start, settle).final).toBe('2026-01-01T00:00:00.000Z');
  });

  it('refuses a since that is not an instant', () => {
    expect(sinceMs(null)).toBeNull();
    expect(() => sinceMs('last tuesday')).toThrow('since must be an ISO 8601 instant');
  });
});
