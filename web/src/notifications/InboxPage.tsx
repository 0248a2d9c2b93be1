import { Anchor, Badge, Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { usePaged } from '../api/paged';
import { ErrorText } from '../components/ErrorText';
import { LoadMore } from '../components/LoadMore';
import { QueryState } from '../components/States';
import { formatDateTime } from '../format';
import { dueText, inboxKey, notificationText, refreshNotifications, useUnreadCount, type Notification } from './query';

/** Page size of the inbox. */
export const inboxPageSize = 50;

/**
 * The user's notifications (issue 26), newest first: unread ones marked in words and weight, each opening its
 * object (and marked read on the way), "Mark all read", unread/all in the URL, "Load more".
 */
export default function InboxPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const unreadOnly = sp.get('unread') === 'true';
  const count = useUnreadCount();
  const list = usePaged([...inboxKey, { unreadOnly }], async (cursor) =>
    unwrap(await api.GET('/api/v1/notifications', { params: { query: { unread: unreadOnly || undefined, cursor, limit: inboxPageSize } } })),
  );
  const readAll = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/notifications/read-all')),
    onSettled: () => refreshNotifications(qc),
  });
  const filterLabel = useId();
  const unread = count.data ?? 0;
  return (
    <>
      <Group justify="space-between" mb="md" wrap="wrap">
        <Title order={2}>{t('notifications.inboxTitle')}</Title>
        <Group gap="xs">
          <Button variant="subtle" size="xs" component={Link} to="/settings/notifications">
            {t('notifications.settingsLink')}
          </Button>
          <Button size="xs" variant="light" onClick={() => readAll.mutate()} loading={readAll.isPending} disabled={unread === 0}>
            {t('notifications.markAllRead')}
          </Button>
        </Group>
      </Group>
      <Group align="end" mb="md" wrap="wrap">
        <div>
          <Text size="sm" fw={500} id={filterLabel} mb={4}>
            {t('notifications.show')}
          </Text>
          <SegmentedControl
            aria-labelledby={filterLabel}
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(v) => setSp(v === 'unread' ? { unread: 'true' } : {}, { replace: true })}
            data={[
              { value: 'all', label: t('notifications.filterAll') },
              { value: 'unread', label: t('notifications.filterUnread') },
            ]}
          />
        </div>
        <Text size="sm" role="status">
          {t('notifications.unreadCount', { count: unread })}
        </Text>
      </Group>
      {readAll.isSuccess && (
        <Text size="sm" mb="sm" role="status">
          {t('notifications.marked', { count: readAll.data.marked })}
        </Text>
      )}
      <ErrorText error={readAll.error} />
      <QueryState
        isLoading={list.isLoading}
        error={list.error}
        empty={list.items.length === 0}
        emptyText={unreadOnly ? t('notifications.emptyUnread') : t('notifications.empty')}
      >
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('notifications.inboxTitle')}>
          {list.items.map((n) => (
            <InboxItem key={n.id} n={n} />
          ))}
        </Stack>
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
    </>
  );
}

/** One notification: its sentence as a link to the object, the due line, when it came; marked read when opened. */
function InboxItem({ n }: { n: Notification }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const unread = !n.read_at;
  const markRead = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id: n.id } } })),
    onSettled: () => refreshNotifications(qc),
  });
  const due = dueText(t, n.due_at);
  return (
    <Card
      component="li"
      withBorder
      padding="sm"
      data-unread={unread || undefined}
      style={unread ? { borderInlineStart: '4px solid var(--mantine-color-blue-8)' } : undefined}
    >
      <Group justify="space-between" wrap="nowrap" align="start">
        <div style={{ minWidth: 0 }}>
          <Anchor
            component={Link}
            to={n.link}
            fw={unread ? 700 : 400}
            dir="auto"
            // Marked read on the way to the object (offline the mark is simply lost; the object opens anyway).
            onClick={() => unread && markRead.mutate()}
          >
            {notificationText(t, n)}
          </Anchor>
          {due && (
            <Text size="sm" c={n.rule.endsWith('overdue') || n.rule === 'release_unrecorded' ? 'red.8' : undefined}>
              {due}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {formatDateTime(n.created_at)}
          </Text>
        </div>
        {unread && (
          <Badge variant="light" color="blue" style={{ flexShrink: 0 }}>
            {t('notifications.unread')}
          </Badge>
        )}
      </Group>
    </Card>
  );
}
