import { Anchor, Card, Group, SegmentedControl, Select, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { usePaged } from '../api/paged';
import { Bars } from '../components/Bars';
import { LoadMore } from '../components/LoadMore';
import { QueryState } from '../components/States';
import { ActionList } from './ActionList';
import { boardQuery, filtersFromSearch, filtersToSearch, openTotal, openTypeRows, type BoardFilters } from './query';
import { useSupportVocab } from './vocab';

async function fetchBoard(f: BoardFilters, cursor?: string): Promise<Schemas['SupportActionPage']> {
  const q = boardQuery(f, cursor);
  return q.path === '/api/v1/me/support-actions'
    ? unwrap(await api.GET('/api/v1/me/support-actions', { params: { query: q.query } }))
    : unwrap(await api.GET('/api/v1/support-actions', { params: { query: q.query } }));
}

/** The board of support actions: filters (status, type, overdue, my work) in the URL, the summary counts, load more. */
export default function SupportBoard() {
  const { t } = useTranslation();
  const { label, options } = useSupportVocab();
  const [sp, setSp] = useSearchParams();
  const f = filtersFromSearch(sp);
  const set = (patch: Partial<BoardFilters>) => setSp(filtersToSearch({ ...f, ...patch }), { replace: true });
  const list = usePaged(['support', 'board', f], (cursor) => fetchBoard(f, cursor));
  const summary = (list.data?.pages[0] as Schemas['SupportActionPage'] | undefined)?.summary;
  return (
    <>
      <Title order={2} mb="md">
        {t('support.board')}
      </Title>
      <Group align="end" mb="md" wrap="wrap">
        <SegmentedControl
          value={f.mine ? 'mine' : 'all'}
          onChange={(v) => set({ mine: v === 'mine' })}
          data={[
            { value: 'all', label: t('support.all') },
            { value: 'mine', label: t('support.myWork') },
          ]}
          aria-label={t('support.scope')}
        />
        <Select label={t('support.status')} clearable data={options('support_action_statuses')} value={f.status ?? null} onChange={(v) => set({ status: (v ?? undefined) as BoardFilters['status'] })} w={200} />
        <Select label={t('support.type')} clearable data={options('support_action_types')} value={f.type ?? null} onChange={(v) => set({ type: (v ?? undefined) as BoardFilters['type'] })} w={260} />
        <Select
          label={t('support.overdueFilter')}
          clearable
          data={[
            { value: 'true', label: t('support.onlyOverdue') },
            { value: 'false', label: t('support.notOverdue') },
          ]}
          value={f.overdue ?? null}
          onChange={(v) => set({ overdue: (v ?? undefined) as BoardFilters['overdue'] })}
          w={200}
        />
      </Group>
      {summary && (
        <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
          <Card withBorder>
            <Title order={3} size="h4" mb="xs">
              {t('support.byStatus')}
            </Title>
            <Text size="sm" mb="xs">
              {t('support.summary', { total: summary.total, overdue: summary.overdue })}
            </Text>
            <Bars title={t('support.byStatus')} rows={Object.entries(summary.by_status).map(([k, n]) => ({ key: k, label: label('support_action_statuses', k), count: n }))} />
          </Card>
          <Card withBorder>
            <Title order={3} size="h4" mb="xs">
              {t('support.byType')}
            </Title>
            <Bars title={t('support.byType')} rows={Object.entries(summary.by_type).filter(([, n]) => n > 0).map(([k, n]) => ({ key: k, label: label('support_action_types', k), count: n }))} />
          </Card>
        </SimpleGrid>
      )}
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('support.noneBoard')}>
        <ActionList items={list.items} showCase label={t('support.board')} />
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
    </>
  );
}


/** Dashboard: open support actions by type, with the overdue count, linked to the board. */
export function SupportSummaryCard() {
  const { t } = useTranslation();
  const { label } = useSupportVocab();
  const q = useQuery({
    queryKey: ['support', 'summary'],
    queryFn: async () => unwrap(await api.GET('/api/v1/support-actions', { params: { query: { limit: 1 } } })).summary,
  });
  const s = q.data;
  const openCount = s ? openTotal(s) : 0;
  return (
    <Card withBorder mt="md">
      <Title order={3} size="h4" mb="sm">
        {t('dashboard.supportOpenTitle')}
      </Title>
      <QueryState isLoading={q.isLoading} error={q.error} empty={s !== undefined && openCount === 0} emptyText={t('dashboard.supportNoneOpen')}>
        {s && (
          <>
            <Text size="sm" mb="xs">
              {t('dashboard.supportOpen', { open: openCount, overdue: s.overdue })}{' '}
              <Anchor component={Link} to="/support">
                {t('support.board')}
              </Anchor>
            </Text>
            <Bars title={t('dashboard.supportOpenByType')} rows={openTypeRows(s).map((r) => ({ ...r, label: label('support_action_types', r.key) }))} />
          </>
        )}
      </QueryState>
    </Card>
  );
}
