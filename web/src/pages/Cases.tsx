import { useState } from 'react';
import { Anchor, Group, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { useMe, useVocab } from '../api/hooks';
import { CaseListExports } from '../exports/CaseListExports';
import { QueryState } from '../components/States';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../api/paged';
import { formatPartialDate } from '../format';
import { MatchedForm } from '../components/MatchedForm';

export default function Cases() {
  const { t } = useTranslation();
  const { label, options } = useVocab();
  const me = useMe();
  const manager = me.data?.role === 'admin' || me.data?.role === 'coordinator';
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [stage, setStage] = useState<string | null>(null);
  const [dq] = useDebouncedValue(q.trim(), 300);
  const query = { q: dq || undefined, status: status ?? undefined, stage: stage ?? undefined, limit: 50 };
  const list = usePaged(['cases', query], async (cursor) =>
    unwrap(await api.GET('/api/v1/cases', { params: { query: { ...query, cursor } } })),
  );
  return (
    <>
      <Group justify="space-between" align="start" mb="md" wrap="wrap">
        <Title order={2}>{t('nav.cases')}</Title>
        <CaseListExports filters={{ q: dq || undefined, status: status ?? undefined, stage: stage ?? undefined }} manager={manager} />
      </Group>
      <Group mb="md" align="end">
        <TextInput label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} style={{ flex: 2, minWidth: 200 }} />
        <Select label={t('case.status')} data={options('case_statuses')} value={status} onChange={setStatus} clearable />
        <Select label={t('case.stage')} data={options('stages')} value={stage} onChange={setStage} clearable searchable />
      </Group>
      <QueryState isLoading={list.isLoading} error={list.error} empty={!list.isLoading && list.items.length === 0} emptyText={t('case.none')}>
        <Text size="sm" c="dimmed" mb="xs" aria-live="polite">
          {t(list.totalCapped ? 'common.resultsCapped' : 'common.results', { count: list.total })}
        </Text>
        <Table.ScrollContainer minWidth={500} type="native" tabIndex={0}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('case.title')}</Table.Th>
                <Table.Th>{t('case.detainee')}</Table.Th>
                <Table.Th>{t('case.status')}</Table.Th>
                <Table.Th>{t('case.stage')}</Table.Th>
                <Table.Th>{t('case.dates.detained_at')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/cases/${c.id}`} dir="auto">
                      {c.title || c.case_numbers.join(', ') || t('case.untitled')}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <bdi>{c.detainee_name}</bdi>
                    <MatchedForm matched={c.matched} shown={[c.title, c.detainee_name]} q={dq} />
                  </Table.Td>
                  <Table.Td>{label('case_statuses', c.status)}</Table.Td>
                  <Table.Td>{label('stages', c.stage)}</Table.Td>
                  <Table.Td>{formatPartialDate(c.detained_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
    </>
  );
}
