import { describe, expect, it } from 'vitest';
import { auditQuery, badRange, emptyAuditFilters, filtersFromSearch, filtersToSearch, localToRFC3339 } from './query';

describe('audit filters', () => {
  it('sends only the filters that are set, trimmed', () => {
    expect(auditQuery(emptyAuditFilters, { showRefresh: true })).toEqual({});
    expect(auditQuery({ ...emptyAuditFilters, action: ' case.update ', case_id: 'c1', object_type: '' }, { showRefresh: true })).toEqual({
      action: 'case.update',
      case_id: 'c1',
    });
  });

  it('leaves session renewals out unless shown or asked for', () => {
    expect(auditQuery(emptyAuditFilters)).toEqual({ exclude_action: ['auth.refresh'] });
    expect(auditQuery({ ...emptyAuditFilters, case_id: 'c1' })).toEqual({ case_id: 'c1', exclude_action: ['auth.refresh'] });
    expect(auditQuery(emptyAuditFilters, { showRefresh: true }).exclude_action).toBeUndefined();
    expect(auditQuery({ ...emptyAuditFilters, action: 'auth.refresh' })).toEqual({ action: 'auth.refresh' });
  });

  it('turns local times into RFC 3339 UTC', () => {
    const q = auditQuery({ ...emptyAuditFilters, from: '2026-03-01T08:30', to: '2026-03-02' });
    expect(q.from).toBe(new Date('2026-03-01T08:30').toISOString());
    expect(q.to).toBe(new Date('2026-03-02T00:00').toISOString());
    expect(q.from).toMatch(/Z$/);
  });

  it('drops invalid times and sees a reversed range', () => {
    expect(localToRFC3339('yesterday')).toBeNull();
    expect(auditQuery({ ...emptyAuditFilters, from: 'yesterday' }, { showRefresh: true })).toEqual({});
    expect(badRange({ ...emptyAuditFilters, from: '2026-03-02T00:00', to: '2026-03-01T00:00' })).toBe(true);
    expect(badRange({ ...emptyAuditFilters, from: '2026-03-01T00:00', to: '2026-03-02T00:00' })).toBe(false);
    expect(badRange({ ...emptyAuditFilters, from: '2026-03-01T00:00' })).toBe(false);
  });

  it('round-trips through the page URL', () => {
    const f = { ...emptyAuditFilters, actor_id: 'u1', from: '2026-03-01T08:30' };
    const s = filtersToSearch(f);
    expect(s.toString()).toBe('actor_id=u1&from=2026-03-01T08%3A30');
    expect(filtersFromSearch(s)).toEqual(f);
  });
});
