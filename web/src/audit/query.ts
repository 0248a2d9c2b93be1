/** The filters of the audit log screen, as typed (times from datetime-local inputs, in the user's zone). */
export type AuditFilters = {
  actor_id: string;
  case_id: string;
  object_type: string;
  object_id: string;
  action: string;
  from: string;
  to: string;
};

export const emptyAuditFilters: AuditFilters = { actor_id: '', case_id: '', object_type: '', object_id: '', action: '', from: '', to: '' };

const keys = Object.keys(emptyAuditFilters) as Array<keyof AuditFilters>;

/** The routine action hidden from the default view: a session renewal every few minutes per signed-in user. */
export const hiddenByDefault = 'auth.refresh';

export type AuditQuery = Partial<Record<keyof AuditFilters, string>> & { exclude_action?: string[] };

/**
 * Query parameters of GET /api/v1/audit: trimmed, empty ones left out, times as RFC 3339 UTC. Session renewals
 * (auth.refresh) are left out unless shown, or unless the action filter asks for them.
 */
export function auditQuery(f: AuditFilters, opts: { showRefresh?: boolean } = {}): AuditQuery {
  const q: AuditQuery = {};
  if (!opts.showRefresh && f.action.trim() !== hiddenByDefault) q.exclude_action = [hiddenByDefault];
  for (const k of keys) {
    const v = f[k].trim();
    if (!v) continue;
    if (k === 'from' || k === 'to') {
      const iso = localToRFC3339(v);
      if (iso) q[k] = iso;
    } else q[k] = v;
  }
  return q;
}

/** A datetime-local value ("2026-03-01T08:30") read in the browser's zone, as RFC 3339 UTC; null if invalid. */
export function localToRFC3339(v: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(v)) return null;
  const d = new Date(v.includes('T') ? v : `${v}T00:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The time range is reversed (from after to). */
export function badRange(f: AuditFilters): boolean {
  const a = f.from && localToRFC3339(f.from);
  const b = f.to && localToRFC3339(f.to);
  return !!(a && b && a >= b);
}

/** Filters read from the page URL (so a filtered view can be linked, e.g. from a case page). */
export function filtersFromSearch(s: URLSearchParams): AuditFilters {
  const f = { ...emptyAuditFilters };
  for (const k of keys) f[k] = s.get(k) ?? '';
  return f;
}

/** Filters written to the page URL, empty ones left out. */
export function filtersToSearch(f: AuditFilters): URLSearchParams {
  const s = new URLSearchParams();
  for (const k of keys) if (f[k].trim()) s.set(k, f[k].trim());
  return s;
}
