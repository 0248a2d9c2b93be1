import type { Schemas } from '../api/client';

export type DeadlineStatus = Schemas['Deadline']['status'];

// The rank of each status; a Record so that a status added to the API fails the typecheck until ranked here.
const rank: Record<DeadlineStatus, number> = { overdue: 0, overdue_unless_extended: 1, pending: 2, met: 3, unknown: 4, not_applicable: 5 };

/** Every status the API gives, in the order a coordinator reads them (the sort order of the lists). */
export const deadlineStatuses = (Object.keys(rank) as DeadlineStatus[]).sort((a, b) => rank[a] - rank[b]);

/**
 * Badge colour of a time limit's status: overdue red; overdue unless extended orange (not a proven
 * violation); pending indigo (yellow when due within 7 days); met green; unknown and not applicable grey.
 */
export function statusColor(d: Pick<Schemas['Deadline'], 'status' | 'days_remaining'>): string {
  switch (d.status) {
    case 'overdue':
      return 'red';
    case 'overdue_unless_extended':
      return 'orange';
    case 'pending':
      return d.days_remaining !== undefined && d.days_remaining <= 7 ? 'yellow' : 'indigo';
    case 'met':
      return 'green';
    default:
      return 'gray';
  }
}

/** Badge variant: only a proven overdue limit is filled; "not applicable" is an outline, the rest light. */
export function statusVariant(status: DeadlineStatus): 'filled' | 'light' | 'outline' {
  if (status === 'overdue') return 'filled';
  if (status === 'not_applicable') return 'outline';
  return 'light';
}

/** Translation keys of a status: its label and the sentence explaining what it means. */
export function statusKeys(status: DeadlineStatus): { label: string; explain: string } {
  return { label: `deadlines.status.${status}`, explain: `deadlines.explain.${status}` };
}

/** The translation key and count of the "days" line: remaining, due today, overdue, past the base limit, or none. */
export function daysText(d: Pick<Schemas['Deadline'], 'status' | 'days_remaining' | 'days_overdue'>): { key: string; count: number } | null {
  if (d.status === 'overdue' && d.days_overdue !== undefined) return { key: 'deadlines.daysOverdue', count: d.days_overdue };
  if (d.status === 'overdue_unless_extended' && d.days_overdue !== undefined) return { key: 'deadlines.daysPastBase', count: d.days_overdue };
  if (d.status === 'pending' && d.days_remaining !== undefined)
    return d.days_remaining === 0 ? { key: 'deadlines.dueToday', count: 0 } : { key: 'deadlines.daysRemaining', count: d.days_remaining };
  return null;
}

/** Overdue first (most overdue first), then overdue unless extended (most first), pending by due date, met,
 * unknown, not applicable. */
export function sortDeadlines<T extends Pick<Schemas['Deadline'], 'status' | 'due_at' | 'days_overdue'>>(items: T[]): T[] {
  const rankOf = (s: DeadlineStatus) => rank[s] ?? deadlineStatuses.length;
  const overdueLike = (s: DeadlineStatus) => s === 'overdue' || s === 'overdue_unless_extended';
  return [...items].sort(
    (a, b) =>
      rankOf(a.status) - rankOf(b.status) ||
      (overdueLike(a.status) ? (b.days_overdue ?? 0) - (a.days_overdue ?? 0) : 0) ||
      (a.due_at ?? '\uffff').localeCompare(b.due_at ?? '\uffff'),
  );
}
