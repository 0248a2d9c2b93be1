import { HttpError, type Schemas } from '../api/client';
import { deadlineStatuses, type DeadlineStatus } from './status';

/** The statuses that need action, most urgent first: the dashboard's list and its "see all" link. */
export const actionStatuses: DeadlineStatus[] = ['overdue', 'overdue_unless_extended', 'pending'];

/** The spans offered by the "due within" filter (the API takes any span up to 366d). */
export const dueSpans = ['7d', '30d', '90d'] as const;
export type DueSpan = (typeof dueSpans)[number];

/** The filters of the time-limit list, kept in the URL. No status: every status. */
export type DeadlineFilters = { status: DeadlineStatus[]; rule?: string; due?: DueSpan };

/** Reads the filters from URL search params (`status=overdue,pending&rule=...&due=7d`), dropping unknown values. */
export function filtersFromSearch(sp: URLSearchParams): DeadlineFilters {
  const wanted = new Set((sp.get('status') ?? '').split(','));
  const f: DeadlineFilters = { status: deadlineStatuses.filter((s) => wanted.has(s)) };
  const rule = sp.get('rule');
  if (rule && /^[a-z0-9_]{1,64}$/.test(rule)) f.rule = rule;
  const due = sp.get('due');
  if (due && (dueSpans as readonly string[]).includes(due)) f.due = due as DueSpan;
  return f;
}

/** The filters as URL search params (only those set; statuses in the order of the list). */
export function filtersToSearch(f: DeadlineFilters): URLSearchParams {
  const sp = new URLSearchParams();
  const status = deadlineStatuses.filter((s) => f.status.includes(s));
  if (status.length > 0) sp.set('status', status.join(','));
  if (f.rule) sp.set('rule', f.rule);
  if (f.due) sp.set('due', f.due);
  return sp;
}

/** The address of the full list with these filters. */
export function listHref(f: Partial<DeadlineFilters>): string {
  const sp = filtersToSearch({ status: [], ...f }).toString();
  return sp ? `/deadlines?${sp}` : '/deadlines';
}

/** The query of GET /deadlines for the filters, a page of `limit` after `cursor`. */
export function listQuery(f: DeadlineFilters, cursor?: string, limit = 50) {
  const status = deadlineStatuses.filter((s) => f.status.includes(s));
  return {
    ...(status.length > 0 ? { status: status.join(',') } : {}),
    ...(f.rule ? { rule: f.rule } : {}),
    ...(f.due ? { due_within: f.due } : {}),
    ...(cursor ? { cursor } : {}),
    limit,
  };
}

/** The server is recomputing its time-limit index (503 deadlines_refreshing): not a failure, wait and ask again. */
export function isRefreshing(err: unknown): err is HttpError {
  return err instanceof HttpError && err.status === 503 && err.body?.code === 'deadlines_refreshing';
}

/** Seconds to wait before asking again: the answer's Retry-After, else 5 (a cross-origin deployment may hide the header). */
export function refreshDelay(err: unknown): number {
  return (isRefreshing(err) && err.retryAfter) || 5;
}

/**
 * TanStack Query options of the time-limit queries: while the server recomputes, ask again after
 * Retry-After for as long as the page is open (the query stays loading, with the 503 as its failureReason);
 * any other failure is retried once, as elsewhere.
 */
export const refreshRetry = {
  retry: (failures: number, err: unknown) => isRefreshing(err) || failures < 1,
  retryDelay: (failures: number, err: unknown) => (isRefreshing(err) ? refreshDelay(err) * 1000 : Math.min(1000 * 2 ** failures, 30_000)),
};

/** A count of a summary's by_status (absent statuses are 0). */
export function countOf(byStatus: Schemas['StatusCounts'], status: DeadlineStatus): number {
  return byStatus[status] ?? 0;
}

/** The rules with overdue limits, most first (ties by title), at most n. */
export function overdueRules(s: Pick<Schemas['DeadlineSummary'], 'by_rule'>, n = 5): Array<{ rule: string; title: string; basis: string; count: number }> {
  return s.by_rule
    .map((r) => ({ rule: r.rule, title: r.title, basis: r.basis, count: countOf(r.by_status, 'overdue') }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || a.title.localeCompare(b.title))
    .slice(0, n);
}
