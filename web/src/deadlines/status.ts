import type { Schemas } from '../api/client';

export type DeadlineStatus = Schemas['Deadline']['status'];

/** Badge colour of a time limit's status: overdue red, pending (due soon yellow) indigo, met green, unknown grey. */
export function statusColor(d: Pick<Schemas['Deadline'], 'status' | 'days_remaining'>): string {
  switch (d.status) {
    case 'overdue':
      return 'red';
    case 'pending':
      return d.days_remaining !== undefined && d.days_remaining <= 7 ? 'yellow' : 'indigo';
    case 'met':
      return 'green';
    default:
      return 'gray';
  }
}

/** The translation key and count of the "days" line: remaining, due today, overdue, or none. */
export function daysText(d: Pick<Schemas['Deadline'], 'status' | 'days_remaining' | 'days_overdue'>): { key: string; count: number } | null {
  if (d.status === 'overdue' && d.days_overdue !== undefined) return { key: 'deadlines.daysOverdue', count: d.days_overdue };
  if (d.status === 'pending' && d.days_remaining !== undefined)
    return d.days_remaining === 0 ? { key: 'deadlines.dueToday', count: 0 } : { key: 'deadlines.daysRemaining', count: d.days_remaining };
  return null;
}

/** Overdue first (most overdue first), then pending by due date, then met, then unknown. */
export function sortDeadlines<T extends Pick<Schemas['Deadline'], 'status' | 'due_at' | 'days_overdue'>>(items: T[]): T[] {
  const rank: Record<DeadlineStatus, number> = { overdue: 0, pending: 1, met: 2, unknown: 3 };
  return [...items].sort(
    (a, b) =>
      rank[a.status] - rank[b.status] ||
      (a.status === 'overdue' ? (b.days_overdue ?? 0) - (a.days_overdue ?? 0) : 0) ||
      (a.due_at ?? '\uffff').localeCompare(b.due_at ?? '\uffff'),
  );
}
