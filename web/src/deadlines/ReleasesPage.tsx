import { Group, SegmentedControl, Select, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { usePaged } from '../api/paged';
import { LoadMore } from '../components/LoadMore';
import { DeadlineQueryState } from './Items';
import { refreshRetry } from './query';
import { releaseFiltersFromSearch, ReleaseItems, releaseSpans, releasesHref, type ReleaseFilters, type ReleaseSpan } from './Releases';

/** Page size of the full list. */
export const releasesPageSize = 50;

/**
 * Every expected release of the cases the user sees (the dashboard cards' "See all"): expected within a span
 * or passed with no release recorded (kept in the URL), by date, a page at a time with the total.
 */
export default function ReleasesPage() {
  const { t } = useTranslation();
  const [sp, setSp] = useSearchParams();
  const f = releaseFiltersFromSearch(sp);
  const set = (patch: Partial<ReleaseFilters>) => setSp(new URLSearchParams(releasesHref({ ...f, ...patch }).split('?')[1] ?? ''), { replace: true });
  const list = usePaged(
    ['releases', 'list', f],
    async (cursor) =>
      unwrap(
        await api.GET('/api/v1/releases', {
          params: { query: { status: f.status, within: f.status === 'expected' ? f.within : undefined, cursor, limit: releasesPageSize } },
        }),
      ),
    refreshRetry,
  );
  const title = f.status === 'passed' ? t('releases.passed') : t('releases.expectedWithin', { span: t(`releases.span_${f.within}`) });
  const statusLabel = useId();
  return (
    <>
      <Title order={2} mb="md">
        {t('releases.pageTitle')}
      </Title>
      <Group align="end" wrap="wrap" mb="md">
        <div>
          <Text size="sm" fw={500} id={statusLabel} mb={4}>
            {t('releases.show')}
          </Text>
          <SegmentedControl
            aria-labelledby={statusLabel}
            value={f.status}
            onChange={(v) => set({ status: v as ReleaseFilters['status'] })}
            data={[
              { value: 'expected', label: t('releases.statusExpected') },
              { value: 'passed', label: t('releases.statusPassed') },
            ]}
          />
        </div>
        {f.status === 'expected' && (
          <Select
            label={t('releases.within')}
            data={releaseSpans.map((s) => ({ value: s, label: t(`releases.span_${s}`) }))}
            value={f.within}
            allowDeselect={false}
            onChange={(v) => v && set({ within: v as ReleaseSpan })}
            w={200}
          />
        )}
      </Group>
      <Title order={3} size="h4" mb="xs">
        {title}
      </Title>
      <DeadlineQueryState q={list} empty={list.items.length === 0} emptyText={f.status === 'passed' ? t('releases.noPassed') : t('releases.none')}>
        <Text size="sm" mb="xs" aria-live="polite">
          {list.totalCapped ? t('releases.totalCapped', { count: list.total }) : t('releases.total', { count: list.total })}
        </Text>
        <ReleaseItems items={list.items} label={title} />
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </DeadlineQueryState>
    </>
  );
}
