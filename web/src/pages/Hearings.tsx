import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { useVocab } from '../api/hooks';
import { usePaged } from '../api/paged';
import { LoadMore } from '../components/LoadMore';
import { QueryState } from '../components/States';
import { formatDateTime } from '../format';
import { monthRange } from '../support/query';

/** The hearings of every visible case, a month at a time, in the user's zone (and the court's local time). */
export default function Hearings() {
  const { t, i18n } = useTranslation();
  const { label } = useVocab();
  const now = new Date();
  const [ym, setYm] = useState({ y: now.getFullYear(), m: now.getMonth() });
  const range = monthRange(ym.y, ym.m);
  const list = usePaged(['hearings', range], async (cursor) =>
    unwrap(await api.GET('/api/v1/hearings', { params: { query: { from: range.from, to: range.to, cursor, limit: 100 } } })),
  );
  const shift = (d: number) => setYm(({ y, m }) => ({ y: y + Math.floor((m + d) / 12), m: (((m + d) % 12) + 12) % 12 }));
  const month = new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(ym.y, ym.m, 1)));
  // Group by local day.
  const days = new Map<string, typeof list.items>();
  for (const h of list.items) {
    const key = new Date(h.scheduled_at).toLocaleDateString('en-CA');
    days.set(key, [...(days.get(key) ?? []), h]);
  }
  return (
    <>
      <Title order={2} mb="md">
        {t('hearings.title')}
      </Title>
      <Group mb="md">
        <Button variant="default" onClick={() => shift(-1)} aria-label={t('hearings.prev')}>
          ‹
        </Button>
        <Text fw={600} aria-live="polite" miw={140} ta="center">
          {month}
        </Text>
        <Button variant="default" onClick={() => shift(1)} aria-label={t('hearings.next')}>
          ›
        </Button>
        <Button variant="subtle" onClick={() => setYm({ y: now.getFullYear(), m: now.getMonth() })}>
          {t('hearings.thisMonth')}
        </Button>
        <Anchor component={Link} to="/me" size="sm">
          {t('hearings.subscribe')}
        </Anchor>
      </Group>
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('hearings.none')}>
        <Stack>
          {[...days].map(([day, hs]) => (
            <section key={day} aria-label={formatDay(day, i18n.language)}>
              <Title order={3} size="h5" mb={4}>
                {formatDay(day, i18n.language)}
              </Title>
              <Stack component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {hs.map((h) => (
                  <li key={h.id}>
                    <Card withBorder padding="xs">
                      <Group gap="xs" wrap="wrap">
                        <Text fw={600} component="span">
                          {formatDateTime(h.scheduled_at)}
                        </Text>
                        <Badge variant="light">{label('hearing_types', h.type)}</Badge>
                        <Badge color={h.status === 'held_without_notice' ? 'red' : 'gray'} variant="light">
                          {label('hearing_statuses', h.status)}
                        </Badge>
                        {h.confidential && <Badge color="red" variant="light">{t('common.confidential')}</Badge>}
                      </Group>
                      <Anchor component={Link} to={`/cases/${h.case_id}`} dir="auto">
                        {h.detainee_name || t('case.untitled')}
                      </Anchor>
                      <Text size="sm">
                        <bdi>{h.court}</bdi>
                        {h.time_zone ? ` · ${t('hearings.localTime', { time: h.local_time.slice(0, 16).replace('T', ' '), zone: h.time_zone })}` : ''}
                      </Text>
                    </Card>
                  </li>
                ))}
              </Stack>
            </section>
          ))}
        </Stack>
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
    </>
  );
}

function formatDay(ymd: string, lang: string): string {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y!, m! - 1, d!)));
}
