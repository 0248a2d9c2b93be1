import type { Schemas } from '../api/client';

/** The board's filters, kept in the URL. */
export type BoardFilters = {
  status?: Schemas['SupportActionStatus'];
  type?: Schemas['SupportActionType'];
  overdue?: 'true' | 'false';
  mine?: boolean;
};

const statuses: readonly string[] = ['proposed', 'assigned', 'in_progress', 'submitted', 'response_received', 'closed', 'declined', 'cancelled'];
const types: readonly string[] = [
  'wgad_communication',
  'special_procedures_urgent_appeal',
  'embassy_trial_observation',
  'demarche',
  'parliamentary_letter',
  'media_campaign',
  'bar_statement',
  'legal_fee_grant',
  'family_assistance',
  'medical_advocacy',
  'other',
];

/** Reads the filters from URL search params, dropping unknown values. */
export function filtersFromSearch(sp: URLSearchParams): BoardFilters {
  const f: BoardFilters = {};
  const s = sp.get('status');
  if (s && statuses.includes(s)) f.status = s as BoardFilters['status'];
  const ty = sp.get('type');
  if (ty && types.includes(ty)) f.type = ty as BoardFilters['type'];
  const o = sp.get('overdue');
  if (o === 'true' || o === 'false') f.overdue = o;
  if (sp.get('mine') === '1') f.mine = true;
  return f;
}

/** The filters as URL search params (only those set). */
export function filtersToSearch(f: BoardFilters): URLSearchParams {
  const sp = new URLSearchParams();
  if (f.status) sp.set('status', f.status);
  if (f.type) sp.set('type', f.type);
  if (f.overdue) sp.set('overdue', f.overdue);
  if (f.mine) sp.set('mine', '1');
  return sp;
}

/** The API query of the board (GET /support-actions or, for "my work", /me/support-actions), limit items a page. */
export function boardQuery(f: BoardFilters, cursor?: string, limit = 50) {
  return {
    path: f.mine ? ('/api/v1/me/support-actions' as const) : ('/api/v1/support-actions' as const),
    query: {
      ...(f.status ? { status: f.status } : {}),
      ...(f.type ? { type: f.type } : {}),
      ...(f.overdue ? { overdue: f.overdue } : {}),
      ...(cursor ? { cursor } : {}),
      limit,
    },
  };
}

/** The statuses offered in a status change: the action's allowed_statuses (from the server). */
export function nextStatuses(a: Pick<Schemas['SupportAction'], 'status' | 'allowed_statuses'>): Schemas['SupportActionStatus'][] {
  return a.allowed_statuses.filter((s) => s !== a.status);
}

/** Local YYYY-MM-DD dates for the calendar's range: [first day of the month, first day of the next month). */
export function monthRange(year: number, month0: number): { from: string; to: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const next = month0 === 11 ? { y: year + 1, m: 0 } : { y: year, m: month0 + 1 };
  return { from: `${year}-${pad(month0 + 1)}-01`, to: `${next.y}-${pad(next.m + 1)}-01` };
}

/** The dashboard's rows: open actions by type, only the types with any, most first (ties by type name). */
export function openTypeRows(s: Pick<Schemas['SupportSummary'], 'open_by_type'>): Array<{ key: string; count: number }> {
  return Object.entries(s.open_by_type)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, count]) => ({ key, count }));
}

/** Number of open actions: the sum of open_by_type. */
export function openTotal(s: Pick<Schemas['SupportSummary'], 'open_by_type'>): number {
  return Object.values(s.open_by_type).reduce((a, n) => a + n, 0);
}
