import { Badge, Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUnreadCount } from './query';

/** A bell drawn inline (the header has no icon library). */
function BellIcon() {
  return (
    <svg width={20} height={20} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable="false">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

/**
 * The header's notifications button: opens the inbox; the unread count as a badge and in its accessible name
 * ("Notifications, 3 unread"). Signed-in only (Layout), so it stays out of the sign-in page's bundle.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const count = useUnreadCount();
  const unread = count.data ?? 0;
  const label = unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');
  return (
    <Button
      component={Link}
      to="/inbox"
      variant="subtle"
      size="xs"
      px={6}
      aria-label={label}
      title={label}
      data-testid="notification-bell"
      rightSection={
        unread > 0 ? (
          <Badge size="sm" color="red" circle={unread < 10} aria-hidden>
            {unread > 99 ? '99+' : unread}
          </Badge>
        ) : undefined
      }
    >
      <BellIcon />
    </Button>
  );
}
