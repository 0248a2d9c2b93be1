import { Anchor, Card, SimpleGrid, Stack, Title, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useMe, useVocab } from '../api/hooks';
import { Link } from 'react-router';
import { formatDateTime } from '../format';
import { QueryState } from '../components/States';
import { Bars } from '../components/Bars';
import { lazy, Suspense } from 'react';
import { Loading } from '../components/States';

const DashboardDeadlines = lazy(() => import('../deadlines/DeadlinesSection').then((m) => ({ default: m.DashboardDeadlines })));
const DashboardReleases = lazy(() => import('../deadlines/Releases').then((m) => ({ default: m.DashboardReleases })));
const SupportSummaryCard = lazy(() => import('../support/SupportBoard').then((m) => ({ default: m.SupportSummaryCard })));

const maxPages = 20;

/** Every visible case (up to maxPages pages of 200) for the counts. */
async function allCases(): Promise<{ items: Schemas['Case'][]; total: number; partial: boolean }> {
  const items: Schemas['Case'][] = [];
  let cursor: string | undefined;
  let total = 0;
  for (let i = 0; i < maxPages; i++) {
    const page = unwrap(await api.GET('/api/v1/cases', { params: { query: { limit: 200, cursor } } }));
    items.push(...page.items);
    // A capped total is a lower bound: the pages read so far may hold more.
    total = page.total_capped ? Math.max(page.total, items.length) : page.total;
    cursor = page.next_cursor ?? undefined;
    if (!cursor) return { items, total, partial: false };
  }
  return { items, total, partial: true };
}

export function countBy(items: Schemas['Case'][], key: 'status' | 'stage'): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of items) m.set(c[key] || '', (m.get(c[key] || '') ?? 0) + 1);
  return m;
}

export default function Dashboard() {
  const { t } = useTranslation();
  const { label } = useVocab();
  const q = useQuery({ queryKey: ['cases', 'all'], queryFn: allCases });
  const me = useMe();
  // Lawyers see only the cases they hold, observers only those shared with them: list them first.
  const own = me.data?.role === 'lawyer' ? 'dashboard.myCases' : me.data?.role === 'observer' ? 'dashboard.sharedCases' : null;
  const rows = (kind: 'status' | 'stage', vocab: string) =>
    [...countBy(q.data?.items ?? [], kind)]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => ({ key: k, label: k ? label(vocab, k) : t('common.notSet'), count: n }));
  return (
    <>
      <Title order={2} mb="md">
        {t('nav.dashboard')}
      </Title>
      <QueryState isLoading={q.isLoading} error={q.error} empty={q.data?.items.length === 0} emptyText={t('dashboard.noCases')}>
        {own && q.data && <MyCases title={t(own)} cases={q.data.items} />}
        <Text mb="md">{t('dashboard.total', { count: q.data?.total ?? 0 })}</Text>
        {q.data?.partial && <Text c="dimmed">{t('dashboard.partial')}</Text>}
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder>
            <Title order={3} size="h4" mb="sm">
              {t('dashboard.byStatus')}
            </Title>
            <Bars title={t('dashboard.byStatus')} rows={rows('status', 'case_statuses')} />
          </Card>
          <Card withBorder>
            <Title order={3} size="h4" mb="sm">
              {t('dashboard.byStage')}
            </Title>
            <Bars title={t('dashboard.byStage')} rows={rows('stage', 'stages')} />
          </Card>
        </SimpleGrid>
      </QueryState>
      <Stack mt="md">
        <Suspense fallback={<Loading />}>
          <DashboardDeadlines />
        </Suspense>
      </Stack>
      <SimpleGrid cols={{ base: 1, md: 2 }} mt="md">
        <Suspense fallback={<Loading />}>
          <DashboardReleases />
        </Suspense>
      </SimpleGrid>
      {me.data && (
        <Suspense fallback={<Loading />}>
          <SupportSummaryCard />
        </Suspense>
      )}
    </>
  );
}

const myCasesShown = 50;

/** The user's own cases, most recently updated first, each linked. */
function MyCases({ title, cases }: { title: string; cases: Schemas['Case'][] }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const sorted = [...cases].sort((a, b) => b.updated_at.localeCompare(a.updated_at)).slice(0, myCasesShown);
  return (
    <Card withBorder mb="md">
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={title}>
        {sorted.map((c) => (
          <li key={c.id}>
            <Anchor component={Link} to={`/cases/${c.id}`} fw={500} dir="auto">
              {c.title || c.case_numbers.join(', ') || t('case.untitled')}
            </Anchor>{' '}
            <Text span size="sm">
              — <bdi>{c.detainee_name}</bdi> · {[label('case_statuses', c.status), label('stages', c.stage)].filter(Boolean).join(' · ')}
            </Text>
            <Text span size="xs" c="dimmed">
              {' '}
              · {t('common.updated')} {formatDateTime(c.updated_at)}
            </Text>
          </li>
        ))}
      </Stack>
      {cases.length > myCasesShown && (
        <Anchor component={Link} to="/cases" size="sm" mt="xs">
          {t('dashboard.allCases')}
        </Anchor>
      )}
    </Card>
  );
}
