import { useEffect, useRef } from 'react';
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { QueryState } from '../components/States';
import { formatDateTime, formatPartialDate } from '../format';
import { sortDeadlines, statusKeys, type DeadlineStatus } from './status';
import { Bars } from '../components/Bars';
import { groupByCase } from '../components/groupByCase';
import { DaysText, DeadlineCaseRows, DeadlineQueryState, StatusBadge } from './Items';
import { actionStatuses, countOf, listHref, listQuery, overdueRules, refreshRetry } from './query';
import { useCustodyPeriods } from '../custody/query';
import { periodLabel } from '../custody/strip';
import { useVocab } from '../api/hooks';
import { startEventLabel } from '../i18n/codes';

/** The legal time limits of a case, computed by the server now. */
export default function DeadlinesSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['deadlines', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/deadlines', { params: { path: { id: caseId } } })),
  });
  // The custody periods name the period a limit governs (same query as the custody history).
  const periods = useCustodyPeriods(caseId);
  // A dashboard row links here (#time-limits): once the limits are on screen, bring them into view.
  const anchor = useRef<HTMLDivElement>(null);
  const loaded = !!q.data;
  useEffect(() => {
    if (loaded && window.location.hash === '#time-limits') anchor.current?.scrollIntoView?.({ block: 'start' });
  }, [loaded]);
  return (
    <Card withBorder id="time-limits" ref={anchor}>
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
        {d.start_at && <Text size="sm">{t('codes.startFrom', { event: startEventLabel(t, d.start_event), date: formatPartialDate(d.start_at) })}</Text>}
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

/** How many limits the dashboard reads (the most urgent) to group them by case. */
export const dashboardShown = 50;

/** How many cases the dashboard lists, each with its most urgent limit; "See all" opens the full list. */
export const dashboardCases = 5;

/**
 * Dashboard card: the counts of the limits that need action (GET /deadlines/summary), the rules with the most
 * overdue limits, the first page of the limits needing action (overdue, overdue unless extended, pending; most
 * urgent first) and a link to the full list.
 */
export function DashboardDeadlines() {
  const { t } = useTranslation();
  const summary = useQuery({
    queryKey: ['deadlines', 'summary'],
    queryFn: async () => unwrap(await api.GET('/api/v1/deadlines/summary')),
    ...refreshRetry,
  });
  const first = useQuery({
    queryKey: ['deadlines', 'list', 'dashboard'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/deadlines', { params: { query: listQuery({ status: actionStatuses }, undefined, dashboardShown) } })),
    ...refreshRetry,
  });
  const s = summary.data;
  const counts: Array<{ key: string; label: string; count: number; capped?: boolean; href: string; status?: DeadlineStatus }> = s
    ? [
        { key: 'overdue', label: t('deadlines.status.overdue'), count: countOf(s.by_status, 'overdue'), href: listHref({ status: ['overdue'] }), status: 'overdue' },
        {
          key: 'overdue_unless_extended',
          label: t('deadlines.status.overdue_unless_extended'),
          count: countOf(s.by_status, 'overdue_unless_extended'),
          href: listHref({ status: ['overdue_unless_extended'] }),
        },
        { key: 'due7', label: t('dashboard.limitsDue7d'), count: s.due_within_7d, capped: s.due_within_7d_capped, href: listHref({ status: ['pending'], due: '7d' }) },
      ]
    : [];
  const rules = s ? overdueRules(s) : [];
  const page = first.data;
  const groups = groupByCase(page?.items ?? [], (d) => d.case_id, dashboardCases);
  const title = t('dashboard.limitsTitle');
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      <DeadlineQueryState q={summary}>
        <SimpleGrid cols={3} spacing="xs" component="ul" aria-label={t('dashboard.limitsCounts')} style={{ listStyle: 'none', padding: 0, margin: 0 }} mb="sm">
          {counts.map((c) => (
            <li key={c.key}>
              <Anchor component={Link} to={c.href} underline="hover" c="inherit" display="block">
                <Text size="xl" fw={700} c={c.status === 'overdue' && c.count > 0 ? 'red.9' : undefined}>
                  {c.capped ? `${c.count}+` : c.count}
                </Text>
                <Text size="sm">{c.label}</Text>
              </Anchor>
            </li>
          ))}
        </SimpleGrid>
        {rules.length > 0 && (
          <>
            <Text size="sm" fw={600} mb={4}>
              {t('dashboard.limitsOverdueByRule')}
            </Text>
            <Bars title={t('dashboard.limitsOverdueByRule')} rows={rules.map((r) => ({ key: r.rule, label: `${r.title} (${r.basis})`, count: r.count }))} />
          </>
        )}
      </DeadlineQueryState>
      <Text size="sm" fw={600} mt="md" mb={4}>
        {t('dashboard.limitsFirst')}
      </Text>
      <DeadlineQueryState q={first} empty={page?.items.length === 0} emptyText={t('dashboard.limitsNone')}>
        <DeadlineCaseRows groups={groups} more={!!page?.next_cursor} label={t('dashboard.limitsFirst')} />
        {page && page.items.length > 0 && (
          <Text size="sm" c="dimmed" mt="xs">
            {t(page.total_capped ? 'dashboardGroups.limitsOfCapped' : 'dashboardGroups.limitsOf', { cases: groups.length, count: page.total })}
          </Text>
        )}
      </DeadlineQueryState>
      <Anchor component={Link} to={listHref({ status: actionStatuses })} size="sm" mt="xs" display="inline-block">
        {t('dashboard.limitsSeeAll')}
      </Anchor>
    </Card>
  );
}
