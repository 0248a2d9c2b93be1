import { describe, expect, it } from 'vitest';
import { daysText, sortDeadlines, statusColor } from './status';

describe('deadline status', () => {
  it.each([
    [{ status: 'overdue' as const }, 'red'],
    [{ status: 'pending' as const, days_remaining: 30 }, 'indigo'],
    [{ status: 'pending' as const, days_remaining: 7 }, 'yellow'],
    [{ status: 'pending' as const, days_remaining: 0 }, 'yellow'],
    [{ status: 'met' as const }, 'green'],
    [{ status: 'unknown' as const }, 'gray'],
  ])('colour of %j is %s', (d, c) => {
    expect(statusColor(d)).toBe(c);
  });

  it('days text', () => {
    expect(daysText({ status: 'overdue', days_overdue: 3 })).toEqual({ key: 'deadlines.daysOverdue', count: 3 });
    expect(daysText({ status: 'pending', days_remaining: 5 })).toEqual({ key: 'deadlines.daysRemaining', count: 5 });
    expect(daysText({ status: 'pending', days_remaining: 0 })).toEqual({ key: 'deadlines.dueToday', count: 0 });
    expect(daysText({ status: 'met' })).toBeNull();
    expect(daysText({ status: 'unknown' })).toBeNull();
    expect(daysText({ status: 'overdue' })).toBeNull();
  });

  it('sorts overdue (most first), pending by due date, met, unknown', () => {
    const items = [
      { id: 'u', status: 'unknown' as const, due_at: null },
      { id: 'p2', status: 'pending' as const, due_at: '2026-12-20T23:59:59+08:00' },
      { id: 'm', status: 'met' as const, due_at: '2020-01-01T23:59:59+08:00' },
      { id: 'o1', status: 'overdue' as const, due_at: '2026-11-01T23:59:59+08:00', days_overdue: 26 },
      { id: 'p1', status: 'pending' as const, due_at: '2026-12-01T23:59:59+08:00' },
      { id: 'o2', status: 'overdue' as const, due_at: '2025-01-01T23:59:59+08:00', days_overdue: 400 },
    ];
    expect(sortDeadlines(items).map((d) => d.id)).toEqual(['o2', 'o1', 'p1', 'p2', 'm', 'u']);
  });
});
