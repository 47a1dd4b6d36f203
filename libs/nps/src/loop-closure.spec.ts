import { loopClosure, metSla, type FollowUpStatus } from './loop-closure';
import { MixedStreamError } from './types';

const now = new Date('2025-05-01T00:00:00Z');
const due = new Date('2025-04-20T00:00:00Z');
const closed = (closedAt: string): FollowUpStatus => ({
  stream: 'relational',
  category: 'detractor',
  due,
  closedAt: new Date(closedAt),
});
const overdue: FollowUpStatus = { stream: 'relational', category: 'detractor', due, closedAt: null };
const notYetDue: FollowUpStatus = { ...overdue, due: new Date('2025-05-02T00:00:00Z') };
const times = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);

describe('loop closure', () => {
  it('rate = closed / (closed + overdue); not-yet-due follow-ups count in neither', () => {
    const r = loopClosure('relational', [closed('2025-04-19T00:00:00Z'), closed('2025-04-25T00:00:00Z'), overdue, notYetDue], now);
    expect(r).toEqual({
      stream: 'relational',
      closed: 2,
      overdue: 1,
      open: 1,
      slaMet: 1,
      rate: 2 / 3,
      belowAlertThreshold: true,
    });
  });

  it('SLA met when closed by the due time, inclusive', () => {
    expect(metSla({ due, closedAt: due })).toBe(true);
    expect(metSla({ due, closedAt: new Date(due.getTime() + 1) })).toBe(false);
    expect(metSla({ due, closedAt: null })).toBe(false);
  });

  it('a follow-up exactly at its due time is not overdue yet', () => {
    expect(loopClosure('relational', [{ ...overdue, due: now }], now)).toMatchObject({ overdue: 0, open: 1, rate: null });
  });

  it('alert below 70 %: 7 of 10 is fine, 69 of 100 is not', () => {
    const c = closed('2025-04-01T00:00:00Z');
    expect(loopClosure('relational', [...times(7, c), ...times(3, overdue)], now)).toMatchObject({
      rate: 0.7,
      belowAlertThreshold: false,
    });
    expect(loopClosure('relational', [...times(69, c), ...times(31, overdue)], now)).toMatchObject({
      rate: 0.69,
      belowAlertThreshold: true,
    });
  });

  it('no closed or overdue follow-ups → rate null, no alert', () => {
    expect(loopClosure('relational', [notYetDue], now)).toMatchObject({ rate: null, belowAlertThreshold: false });
  });

  it('can be limited to one category', () => {
    const passiveOverdue: FollowUpStatus = { ...overdue, category: 'passive' };
    expect(loopClosure('relational', [closed('2025-04-01T00:00:00Z'), passiveOverdue], now, { category: 'detractor' })).toMatchObject({
      closed: 1,
      overdue: 0,
      rate: 1,
    });
  });

  it('never mixes streams', () => {
    expect(() => loopClosure('transactional', [overdue], now)).toThrow(MixedStreamError);
  });
});
