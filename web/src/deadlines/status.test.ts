import { describe, expect, it } from 'vitest';
import { daysText, deadlineStatuses, sortDeadlines, statusColor, statusKeys, statusVariant } from './status';
import i18n from '../i18n';
import en from '../i18n/en.json';
import zh from '../i18n/zh-Hans.json';

describe('deadline status', () => {
  it.each([
    [{ status: 'overdue' as const }, 'red'],
    [{ status: 'pending' as const, days_remaining: 30 }, 'indigo'],
    [{ status: 'pending' as const, days_remaining: 7 }, 'yellow'],
    [{ status: 'pending' as const, days_remaining: 0 }, 'yellow'],
    [{ status: 'met' as const }, 'green'],
    [{ status: 'unknown' as const }, 'gray'],
    [{ status: 'overdue_unless_extended' as const }, 'orange'],
    [{ status: 'not_applicable' as const }, 'gray'],
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

  it('only a proven overdue limit is a filled badge', () => {
    expect(statusVariant('overdue')).toBe('filled');
    expect(statusVariant('overdue_unless_extended')).toBe('light');
    expect(statusVariant('not_applicable')).toBe('outline');
  });

  it('days past the base limit for overdue unless extended', () => {
    expect(daysText({ status: 'overdue_unless_extended', days_overdue: 12 })).toEqual({ key: 'deadlines.daysPastBase', count: 12 });
    expect(daysText({ status: 'not_applicable', days_overdue: 12 })).toBeNull();
  });

  it('sorts the new statuses: overdue, overdue unless extended, pending, met, unknown, not applicable', () => {
    const items = [
      { id: 'na', status: 'not_applicable' as const, due_at: null },
      { id: 'u', status: 'unknown' as const, due_at: null },
      { id: 'x1', status: 'overdue_unless_extended' as const, due_at: '2026-01-01T23:59:59+08:00', days_overdue: 5 },
      { id: 'p', status: 'pending' as const, due_at: '2026-12-01T23:59:59+08:00' },
      { id: 'x2', status: 'overdue_unless_extended' as const, due_at: '2025-01-01T23:59:59+08:00', days_overdue: 50 },
      { id: 'o', status: 'overdue' as const, due_at: '2026-11-01T23:59:59+08:00', days_overdue: 1 },
      { id: 'm', status: 'met' as const, due_at: null },
    ];
    expect(sortDeadlines(items).map((d) => d.id)).toEqual(['o', 'x2', 'x1', 'p', 'm', 'u', 'na']);
  });

  it('every status has a label and an explanation in English and Chinese', () => {
    for (const lang of ['en', 'zh-Hans']) {
      for (const s of deadlineStatuses) {
        const { label, explain } = statusKeys(s);
        expect(i18n.exists(label, { lng: lang }), `${lang} ${label}`).toBe(true);
        expect(i18n.exists(explain, { lng: lang }), `${lang} ${explain}`).toBe(true);
      }
    }
    expect(en.deadlines.status.overdue_unless_extended).toBe('Overdue unless extended');
    expect(zh.deadlines.status.overdue_unless_extended).toContain('除非已依法延长');
    expect(zh.deadlines.status.not_applicable).toBe('不适用');
    expect(i18n.t('deadlines.missing', { lng: 'en', fact: 'arrest date' })).toBe('Missing: arrest date');
    expect(i18n.t('deadlines.missing', { lng: 'zh-Hans', fact: '批准逮捕日期' })).toBe('缺少：批准逮捕日期');
  });
});
