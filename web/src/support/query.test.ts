import { describe, expect, it } from 'vitest';
import { boardQuery, filtersFromSearch, filtersToSearch, monthRange, nextStatuses, openTotal, openTypeRows } from './query';

describe('support board filters', () => {
  it('round-trips through the URL and drops unknown values', () => {
    const f = filtersFromSearch(new URLSearchParams('status=submitted&type=demarche&overdue=true&mine=1&x=y'));
    expect(f).toEqual({ status: 'submitted', type: 'demarche', overdue: 'true', mine: true });
    expect(filtersToSearch(f).toString()).toBe('status=submitted&type=demarche&overdue=true&mine=1');
    expect(filtersFromSearch(new URLSearchParams('status=bogus&type=nope&overdue=maybe'))).toEqual({});
  });

  it('maps to the API query; my work uses /me/support-actions', () => {
    expect(boardQuery({})).toEqual({ path: '/api/v1/support-actions', query: { limit: 50 } });
    expect(boardQuery({ status: 'proposed', overdue: 'false', mine: true }, 'c1')).toEqual({
      path: '/api/v1/me/support-actions',
      query: { status: 'proposed', overdue: 'false', cursor: 'c1', limit: 50 },
    });
  });

  it('offers the allowed statuses other than the current one', () => {
    expect(nextStatuses({ status: 'assigned', allowed_statuses: ['assigned', 'in_progress', 'cancelled'] })).toEqual(['in_progress', 'cancelled']);
    expect(nextStatuses({ status: 'closed', allowed_statuses: [] })).toEqual([]);
  });

  it('month range for the calendar', () => {
    expect(monthRange(2026, 10)).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(monthRange(2026, 11)).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    expect(monthRange(2027, 0)).toEqual({ from: '2027-01-01', to: '2027-02-01' });
  });
});

describe('dashboard open actions by type', () => {
  it('keeps the types with open actions, most first, and sums them', () => {
    const s = { open_by_type: { demarche: 0, media_campaign: 2, wgad_communication: 3, bar_statement: 2 } };
    expect(openTypeRows(s)).toEqual([
      { key: 'wgad_communication', count: 3 },
      { key: 'bar_statement', count: 2 },
      { key: 'media_campaign', count: 2 },
    ]);
    expect(openTotal(s)).toBe(7);
    expect(openTypeRows({ open_by_type: { demarche: 0 } })).toEqual([]);
  });
});
