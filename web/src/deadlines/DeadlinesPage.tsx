import { Chip, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { usePaged } from '../api/paged';
import { LoadMore } from '../components/LoadMore';
import { DeadlineItems, DeadlineQueryState } from './Items';
import { dueSpans, filtersFromSearch, filtersToSearch, listQuery, refreshRetry, type DeadlineFilters, type DueSpan } from './query';
import { deadlineStatuses, statusKeys, type DeadlineStatus } from './status';

/** Page size of the full list. */
export const pageSize = 50;

/**
 * The time limits of every case the user sees, most urgent first, a page at a time ("load more" with
 * next_cursor), filtered by status, rule and "due within" (kept in the URL), with the matching total.
 */
export default function DeadlinesPage() {
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const f = filtersFromSearch(sp);
  const set = (patch: Partial<DeadlineFilters>) => setSp(filtersToSearch({ ...f, ...patch }), { replace: true });
  const list = usePaged(['deadlines', 'list', f], async (cursor) =>
    unwrap(await api.GET('/api/v1/deadlines', { params: { query: listQuery(f, cursor, pageSize) } })),
    refreshRetry,
  );
  // The rule filter's options: the rules of the summary, titled in the UI's language by the server.
  const summary = useQuery({
    queryKey: ['deadlines', 'summary'],
    queryFn: async () => unwrap(await api.GET('/api/v1/deadlines/summary')),
    ...refreshRetry,
  });
  const rules = (summary.data?.by_rule ?? []).map((r) => ({ value: r.rule, label: `${r.title} (${r.basis})` }));
  if (f.rule && !rules.some((r) => r.value === f.rule)) rules.push({ value: f.rule, label: f.rule });
  const title = t('deadlines.list.title');
  const statusLabel = useId();
  return (
    <>
      <Title order={2} mb="md">
        {title}
      </Title>
      <Stack gap="sm" mb="md">
        <Text size="sm" fw={500} id={statusLabel} mb={-6}>
          {t('deadlines.list.statusFilter')}
        </Text>
        <Chip.Group multiple value={f.status} onChange={(v) => set({ status: v as DeadlineStatus[] })}>
          <Group gap={6} role="group" aria-labelledby={statusLabel}>
            {deadlineStatuses.map((s) => (
              <Chip key={s} value={s} size="xs" variant="outline">
                {t(statusKeys(s).label)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Group align="end" wrap="wrap">
          <Select
            label={t('deadlines.list.rule')}
            placeholder={t('deadlines.list.anyRule')}
            clearable
            searchable
            data={rules}
            value={f.rule ?? null}
            onChange={(v) => set({ rule: v ?? undefined })}
            w={360}
          />
          <Select
            label={t('deadlines.list.dueWithin')}
            description={t('deadlines.list.dueWithinHint')}
            placeholder={t('deadlines.list.anyDue')}
            clearable
            data={dueSpans.map((d) => ({ value: d, label: t(`deadlines.list.due_${d}`) }))}
            value={f.due ?? null}
            onChange={(v) => set({ due: (v ?? undefined) as DueSpan | undefined })}
            w={240}
          />
        </Group>
      </Stack>
      <DeadlineQueryState q={list} empty={list.items.length === 0} emptyText={t('deadlines.list.none')}>
        <Text size="sm" mb="xs" aria-live="polite">
          {list.totalCapped ? t('deadlines.list.totalCapped', { count: list.total }) : t('deadlines.list.total', { count: list.total })}
        </Text>
        <DeadlineItems items={list.items} label={title} />
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </DeadlineQueryState>
    </>
  );
}
