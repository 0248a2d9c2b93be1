import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { QueryState } from '../components/States';
import { formatDateTime, formatPartialDate } from '../format';
import { daysText, sortDeadlines, statusColor, statusKeys, statusVariant } from './status';
import { useCustodyPeriods } from '../custody/query';
import { periodLabel } from '../custody/strip';
import { useVocab } from '../api/hooks';

/** The legal time limits of a case, computed by the server now. */
export default function DeadlinesSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['deadlines', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/deadlines', { params: { path: { id: caseId } } })),
  });
  // The custody periods name the period a limit governs (same query as the custody history).
  const periods = useCustodyPeriods(caseId);
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('deadlines.title')}
      </Title>
      <QueryState isLoading={q.isLoading} error={q.error} empty={q.data?.items.length === 0} emptyText={t('deadlines.none')}>
        <Stack component="ul" gap="xs" aria-label={t('deadlines.title')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {sortDeadlines(q.data?.items ?? []).map((d) => (
            <li key={d.rule}>
              <DeadlineRow d={d} periods={periods.data ?? []} />
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

/** What a status means, for the statuses that are not self-explanatory (shown under the row). */
function explained(status: Schemas['Deadline']['status']) {
  return status === 'overdue_unless_extended' || status === 'unknown' || status === 'not_applicable';
}

function DeadlineRow({ d, periods }: { d: Schemas['Deadline']; periods: Schemas['CustodyPeriod'][] }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const period = d.period_id ? periods.find((p) => p.id === d.period_id) : undefined;
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
        {d.due_at_latest && <Text size="sm">{t('deadlines.dueLatest', { date: formatDateTime(d.due_at_latest) })}</Text>}
      </Group>
      {period && <Text size="sm">{t('deadlines.period', { period: periodLabel(period, (m) => label('custody_measures', m), formatPartialDate) })}</Text>}
      {d.missing && (
        <Text size="sm" fw={500}>
          {t('deadlines.missing', { fact: d.missing })}
        </Text>
      )}
      {explained(d.status) && (
        <Text size="sm" c="dimmed" fs="italic">
          {t(statusKeys(d.status).explain)}
        </Text>
      )}
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
  const toVerify = useQuery({
    queryKey: ['deadlines', 'overdue_unless_extended'],
    queryFn: async () => unwrap(await api.GET('/api/v1/deadlines', { params: { query: { status: 'overdue_unless_extended' } } })),
  });
  const soon = useQuery({
    queryKey: ['deadlines', 'soon'],
    queryFn: async () => unwrap(await api.GET('/api/v1/deadlines', { params: { query: { due_within: '7d' } } })),
  });
  return (
    <>
      <DeadlineList title={t('dashboard.overdueLimits')} q={overdue} empty={t('dashboard.noOverdue')} />
      <DeadlineList title={t('dashboard.overdueUnlessExtended')} q={toVerify} empty={t('dashboard.noOverdueUnlessExtended')} />
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
