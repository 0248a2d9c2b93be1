import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { QueryState } from '../components/States';
import { formatPartialDate } from '../format';


/** How many releases each dashboard list shows (the first page of each). */
export const releasesShown = 20;

/** Dashboard: releases expected within 90 days, and expected dates passed with no release recorded: the first page of each. */
export function DashboardReleases() {
  const { t } = useTranslation();
  const expected = useReleasePage('expected');
  const passed = useReleasePage('passed');
  return (
    <>
      <ReleaseList title={t('releases.expected')} q={expected} empty={t('releases.noExpected')} href={releasesHref({ status: 'expected' })} seeAll={t('releases.seeAllExpected')} />
      <ReleaseList title={t('releases.passed')} q={passed} empty={t('releases.noPassed')} href={releasesHref({ status: 'passed' })} seeAll={t('releases.seeAllPassed')} />
    </>
  );
}

type ReleasePage = Schemas['ReleasePage'];

/** The first page of the releases in status, expected within 90 days or passed. */
function useReleasePage(status: 'expected' | 'passed') {
  return useQuery({
    queryKey: ['releases', '90d', status],
    queryFn: async () => unwrap(await api.GET('/api/v1/releases', { params: { query: { within: '90d', status, limit: releasesShown } } })),
  });
}

function ReleaseList({ title, q, empty, href, seeAll }: { title: string; q: { isLoading: boolean; error: unknown; data?: ReleasePage }; empty: string; href: string; seeAll: string }) {
  const { t } = useTranslation();
  const items = q.data?.items ?? [];
  const total = q.data?.total ?? 0;
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      <QueryState isLoading={q.isLoading} error={q.error} empty={items.length === 0} emptyText={empty}>
        <ReleaseItems items={items} label={title} />
        {q.data && total > items.length && (
          <Text size="sm" c="dimmed" mt="xs">
            {t(q.data.total_capped ? 'releases.shownOfCapped' : 'releases.shownOf', { shown: items.length, count: total })}
          </Text>
        )}
      </QueryState>
      <Anchor component={Link} to={href} size="sm" mt="xs" display="inline-block">
        {seeAll}
      </Anchor>
    </Card>
  );
}

/** Releases as a list: the detainee (linking the case), the expected date and how it was computed. */
export function ReleaseItems({ items, label }: { items: Schemas['Release'][]; label: string }) {
  const { t } = useTranslation();
  return (
    <Stack component="ul" gap={6} aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {items.map((r) => (
        <li key={r.case_id}>
          <Group gap="xs" wrap="wrap">
            <Anchor component={Link} to={`/cases/${r.case_id}`} fw={500} dir="auto">
              {r.detainee_name || t('case.untitled')}
            </Anchor>
            <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
              {t(r.status === 'passed' ? 'releases.wasDue' : 'releases.due', { date: formatPartialDate(r.expected_release_at) })}
            </Text>
          </Group>
          {r.expected_release_basis.length > 0 && (
            <details>
              <summary>
                <Text span size="sm">
                  {t('releases.how')}
                </Text>
              </summary>
              <Stack component="ol" gap={0} m={0} pl="lg">
                {r.expected_release_basis.map((line, i) => (
                  <Text component="li" size="sm" key={i}>
                    {line}
                  </Text>
                ))}
              </Stack>
            </details>
          )}
        </li>
      ))}
    </Stack>
  );
}

/** Filters of the releases page, kept in its URL. */
export type ReleaseFilters = { status: 'expected' | 'passed'; within: ReleaseSpan };
/** Spans offered for expected releases (the API takes up to 366d). */
export const releaseSpans = ['30d', '90d', '180d', '366d'] as const;
export type ReleaseSpan = (typeof releaseSpans)[number];

/** Reads the page's filters from its query string (defaults: expected, within 90 days). */
export function releaseFiltersFromSearch(sp: URLSearchParams): ReleaseFilters {
  const within = sp.get('within');
  return {
    status: sp.get('status') === 'passed' ? 'passed' : 'expected',
    within: (releaseSpans as readonly string[]).includes(within ?? '') ? (within as ReleaseSpan) : '90d',
  };
}

/** The address of the releases page with these filters (defaults left out). */
export function releasesHref(f: Partial<ReleaseFilters>): string {
  const sp = new URLSearchParams();
  if (f.status && f.status !== 'expected') sp.set('status', f.status);
  if (f.within && f.within !== '90d') sp.set('within', f.within);
  const q = sp.toString();
  return q ? `/releases?${q}` : '/releases';
}
