import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { formatDateTime, formatPartialDate } from '../format';

export type Notification = components['schemas']['Notification'];
export type NotificationRule = components['schemas']['NotificationRule'];
export type NotificationSettings = components['schemas']['NotificationSettings'];
export type NotificationSettingsInput = components['schemas']['NotificationSettingsInput'];

/** How often the header asks for the unread count while the tab is visible (issue 26). */
export const unreadPollMs = 60_000;

export const unreadCountKey = ['notifications', 'unread-count'] as const;
export const inboxKey = ['notifications', 'list'] as const;

/**
 * The unread count of the header's bell: asked every minute while the tab is visible only (TanStack Query
 * stops the interval in a hidden tab and refetches when it is shown again).
 */
export function useUnreadCount() {
  return useQuery({
    queryKey: unreadCountKey,
    queryFn: async () => unwrap(await api.GET('/api/v1/notifications/unread-count')).unread,
    refetchInterval: unreadPollMs,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
  });
}

/** After a notification was marked read: the badge and the inbox ask again. */
export function refreshNotifications(qc: QueryClient): Promise<unknown> {
  return Promise.all([qc.invalidateQueries({ queryKey: unreadCountKey }), qc.invalidateQueries({ queryKey: inboxKey })]);
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** The local calendar day (midnight) of a due value: a YYYY-MM-DD date as is, an instant in the user's zone. */
function localDay(due: string): Date | null {
  if (dateOnly.test(due)) {
    const [y, m, d] = due.split('-').map(Number);
    return new Date(y!, m! - 1, d!);
  }
  const at = new Date(due);
  if (Number.isNaN(at.getTime())) return null;
  return new Date(at.getFullYear(), at.getMonth(), at.getDate());
}

/** Whole days from today to the due day (negative when past), in the user's calendar. */
export function daysUntil(due: string, now: Date = new Date()): number | null {
  const day = localDay(due);
  if (!day) return null;
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((day.getTime() - today.getTime()) / 86_400_000);
}

/** A due value in the user's locale: a date as a date, an instant with its time. */
export function formatDue(due: string): string {
  return dateOnly.test(due) ? formatPartialDate(due) : formatDateTime(due);
}

/** The sentence of a notification in the user's language, from its rule and subject. */
export function notificationText(t: TFunction, n: Pick<Notification, 'rule' | 'subject'>): string {
  const subject = n.subject.trim() || t('notifications.noSubject');
  return t(`notifications.rule.${n.rule}`, { subject, defaultValue: t('notifications.rule.unknown', { subject }) });
}

/** "Due in 3 days (12 Dec 2026)", "Due today", "Overdue by 2 days": the due line of a notification, or ''. */
export function dueText(t: TFunction, due: string | null, now: Date = new Date()): string {
  if (!due) return '';
  const days = daysUntil(due, now);
  const date = formatDue(due);
  if (days === null) return t('notifications.due.on', { date });
  if (days === 0) return t('notifications.due.today', { date });
  if (days > 0) return t('notifications.due.in', { count: days, date });
  return t('notifications.due.ago', { count: -days, date });
}

/** The rules that take a number of days ahead. */
export const rulesWithDays: readonly NotificationRule[] = ['deadline_due', 'support_due'];
