import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { QueryState } from '../components/States';
import { formatPartialDate } from '../format';

type Release = Schemas['Release'];

/** The releases of the dashboard split in two lists: expected soon (earliest first) and passed (longest passed first). */
export function splitReleases(items: Release[]): { expected: Release[]; passed: Release[] } {
  const by = (a: Release, b: Release) => (a.expected_release_at ?? '').localeCompare(b.expected_release_at ?? '');
  return {
    expected: items.filter((r) => r.status === 'expected').sort(by),
    passed: items.filter((r) => r.status === 'passed').sort(by),
  };
}

/** Dashboard: releases expected within 90 days, and expected dates passed with no release recorded. */
export function DashboardReleases() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['releases', '90d'],
    queryFn: async () => unwrap(await api.GET('/api/v1/releases', { params: { query: { within: '90d' } } })),
  });
  const { expected, passed } = splitReleases(q.data?.items ?? []);
  return (
    <>
      <ReleaseList title={t('releases.expected')} q={q} items={expected} empty={t('releases.noExpected')} />
      <ReleaseList title={t('releases.passed')} q={q} items={passed} empty={t('releases.noPassed')} />
    </>
  );
}

function ReleaseList({ title, q, items, empty }: { title: string; q: { isLoading: boolean; error: unknown }; items: Release[]; empty: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      <QueryState isLoading={q.isLoading} error={q.error} empty={items.length === 0} emptyText={empty}>
        <Stack component="ul" gap={6} aria-label={title} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((r) => (
            <li key={r.case_id}>
              <Group gap="xs" wrap="wrap">
                <Anchor component={Link} to={`/cases/${r.case_id}`} fw={500}>
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
      </QueryState>
    </Card>
  );
}
