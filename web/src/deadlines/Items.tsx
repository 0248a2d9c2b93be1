import { Alert, Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CaseGroup } from '../components/groupByCase';
import type { Schemas } from '../api/client';
import { QueryState } from '../components/States';
import { formatDateTime } from '../format';
import { isRefreshing } from './query';
import { daysText, statusColor, statusKeys, statusVariant } from './status';

export function StatusBadge({ d }: { d: Schemas['Deadline'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor(d)} variant={statusVariant(d.status)} style={{ whiteSpace: 'nowrap' }}>
      {t(statusKeys(d.status).label)}
    </Badge>
  );
}

export function DaysText({ d }: { d: Schemas['Deadline'] }) {
  const { t } = useTranslation();
  const days = daysText(d);
  if (!days) return null;
  return (
    <Text span size="sm" fw={d.status === 'overdue' ? 700 : undefined} c={d.status === 'overdue' ? 'red.9' : undefined}>
      {t(days.key, { count: days.count })}
    </Text>
  );
}

/** Limits across cases, in the server's order (most urgent first): status, the case (linked), rule, due date, days. */
export function DeadlineItems({ items, label }: { items: Schemas['Deadline'][]; label: string }) {
  const { t } = useTranslation();
  return (
    <Stack component="ul" gap={6} aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {items.map((d) => (
        <li key={`${d.case_id}:${d.rule}:${d.period_id ?? ''}`}>
          <Group gap="xs" wrap="wrap">
            <StatusBadge d={d} />
            <Anchor component={Link} to={`/cases/${d.case_id}`} fw={500} dir="auto">
              {d.detainee_name || t('case.untitled')}
            </Anchor>
            <Text span size="sm">
              {d.title} ({d.basis})
            </Text>
            <DaysText d={d} />
            <Text span size="xs" c="dimmed">
              {d.due_at ? t('deadlines.due', { date: formatDateTime(d.due_at) }) : t('deadlines.noDue')}
            </Text>
          </Group>
        </li>
      ))}
    </Stack>
  );
}

/**
 * Dashboard rows of limits grouped by case (most urgent case first): the case linked to its time limits, the
 * most urgent limit, and how many more of the case's limits the list held ("and 2 more"; "2+" when the list
 * was cut before the end).
 */
export function DeadlineCaseRows({ groups, more, label }: { groups: CaseGroup<Schemas['Deadline']>[]; more: boolean; label: string }) {
  const { t } = useTranslation();
  return (
    <Stack component="ul" gap={6} aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {groups.map(({ caseId, first: d, others }) => (
        <li key={caseId}>
          <Group gap="xs" wrap="wrap">
            <StatusBadge d={d} />
            <Anchor component={Link} to={`/cases/${caseId}#time-limits`} fw={500}>
              {d.detainee_name || t('case.untitled')}
            </Anchor>
            <Text span size="sm">
              {d.title} ({d.basis})
            </Text>
            <DaysText d={d} />
            {others > 0 && (
              <Badge variant="outline" color="gray" size="sm">
                {t(more ? 'dashboardGroups.moreAtLeast' : 'dashboardGroups.more', { count: others })}
              </Badge>
            )}
          </Group>
        </li>
      ))}
    </Stack>
  );
}

/** The calm notice shown while the server recomputes its time limits (503 deadlines_refreshing): the query asks again by itself. */
export function RefreshingNotice() {
  const { t } = useTranslation();
  return (
    <Alert color="blue" variant="light" role="status" aria-live="polite" title={t('deadlines.refreshing.title')}>
      {t('deadlines.refreshing.text')}
    </Alert>
  );
}

/**
 * Loading, error and empty states of a time-limit query, with the recomputing notice: while the query waits
 * for the server to finish recomputing (its failureReason is a 503 deadlines_refreshing) the notice replaces
 * the loading state, or stands above the data already shown.
 */
export function DeadlineQueryState({
  q,
  empty,
  emptyText,
  children,
}: {
  q: { isLoading: boolean; error: unknown; failureReason: unknown; data?: unknown };
  empty?: boolean;
  emptyText?: string;
  children: React.ReactNode;
}) {
  const refreshing = isRefreshing(q.failureReason) || isRefreshing(q.error);
  if (refreshing && q.data === undefined) return <RefreshingNotice />;
  return (
    <>
      {refreshing && <RefreshingNotice />}
      <QueryState isLoading={q.isLoading} error={refreshing ? null : q.error} empty={empty} emptyText={emptyText}>
        {children}
      </QueryState>
    </>
  );
}
