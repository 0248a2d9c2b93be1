import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { QueryState } from '../components/States';
import { formatDateTime, formatPartialDate } from '../format';
import { daysText, sortDeadlines, statusColor } from './status';

/** The legal time limits of a case, computed by the server now. */
export default function DeadlinesSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['deadlines', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/deadlines', { params: { path: { id: caseId } } })),
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('deadlines.title')}
      </Title>
      <QueryState isLoading={q.isLoading} error={q.error} empty={q.data?.items.length === 0} emptyText={t('deadlines.none')}>
        <Stack component="ul" gap="xs" aria-label={t('deadlines.title')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {sortDeadlines(q.data?.items ?? []).map((d) => (
            <li key={d.rule}>
              <DeadlineRow d={d} />
            </li>
          ))}
        </Stack>
      </QueryState>
    </Card>
  );
}

export function StatusBadge({ d }: { d: Schemas['Deadline'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor(d)} variant={d.status === 'overdue' ? 'filled' : 'light'}>
      {t(`deadlines.status.${d.status}`)}
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

function DeadlineRow({ d }: { d: Schemas['Deadline'] }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="xs">
      <Group gap="xs" wrap="wrap">
        <StatusBadge d={d} />
        <Text fw={600} component="span">
          {d.title}
        </Text>
        <Text size="sm" c="dimmed" component="span">
          {d.basis}
        </Text>
      </Group>
      <Group gap="md" wrap="wrap" mt={4}>
        <Text size="sm">{d.due_at ? t('deadlines.due', { date: formatDateTime(d.due_at) }) : t('deadlines.noDue')}</Text>
        <DaysText d={d} />
        {d.start_at && <Text size="sm">{t('deadlines.from', { event: d.start_event, date: formatPartialDate(d.start_at) })}</Text>}
        {d.met_at && <Text size="sm">{t('deadlines.metAt', { date: formatPartialDate(d.met_at) })}</Text>}
      </Group>
      {(d.extensions ?? []).length > 0 && <Text size="sm">{t('deadlines.extensions', { list: d.extensions!.join('; ') })}</Text>}
      {(d.notes ?? []).map((n) => (
        <Text key={n} size="sm" c="dimmed">
          {n}
        </Text>
      ))}
    </Card>
  );
}

/** Dashboard lists: overdue limits and pending ones due within 7 days, across the cases the user sees. */
export function DashboardDeadlines() {
  const { t } = useTranslation();
  const overdue = useQuery({
    queryKey: ['deadlines', 'overdue'],
    queryFn: async () => unwrap(await api.GET('/api/v1/deadlines', { params: { query: { status: 'overdue' } } })),
  });
  const soon = useQuery({
    queryKey: ['deadlines', 'soon'],
    queryFn: async () => unwrap(await api.GET('/api/v1/deadlines', { params: { query: { due_within: '7d' } } })),
  });
  return (
    <>
      <DeadlineList title={t('dashboard.overdueLimits')} q={overdue} empty={t('dashboard.noOverdue')} />
      <DeadlineList title={t('dashboard.dueSoon')} q={soon} empty={t('dashboard.noDueSoon')} />
    </>
  );
}

function DeadlineList({ title, q, empty }: { title: string; q: { isLoading: boolean; error: unknown; data?: Schemas['DeadlineList'] }; empty: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      <QueryState isLoading={q.isLoading} error={q.error} empty={q.data?.items.length === 0} emptyText={empty}>
        <Stack component="ul" gap={6} aria-label={title} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {sortDeadlines(q.data?.items ?? []).map((d) => (
            <li key={`${d.case_id}:${d.rule}`}>
              <Group gap="xs" wrap="wrap">
                <StatusBadge d={d} />
                <Anchor component={Link} to={`/cases/${d.case_id}`} fw={500}>
                  {d.detainee_name || t('case.untitled')}
                </Anchor>
                <Text span size="sm">
                  {d.title} ({d.basis})
                </Text>
                <DaysText d={d} />
              </Group>
            </li>
          ))}
        </Stack>
      </QueryState>
    </Card>
  );
}
