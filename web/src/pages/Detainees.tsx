import { useState } from 'react';
import { Anchor, Button, Group, Modal, Select, Table, TextInput, Title, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { useMe, useVocab } from '../api/hooks';
import { QueryState } from '../components/States';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../api/paged';
import { DetaineeForm } from '../components/DetaineeForm';
import { MatchedForm } from '../components/MatchedForm';

export default function Detainees() {
  const { t } = useTranslation();
  const { label, options } = useVocab();
  const navigate = useNavigate();
  const me = useMe();
  const canEdit = me.data?.role === 'admin' || me.data?.role === 'coordinator';
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [issue, setIssue] = useState<string | null>(null);
  const [province, setProvince] = useState('');
  const [creating, setCreating] = useState(false);
  const [dq] = useDebouncedValue(q.trim(), 300);
  const [dprov] = useDebouncedValue(province.trim(), 300);
  const query = { q: dq || undefined, status: status ?? undefined, issue: issue ?? undefined, province: dprov || undefined, limit: 50 };
  const list = usePaged(['detainees', query], async (cursor) =>
    unwrap(await api.GET('/api/v1/detainees', { params: { query: { ...query, cursor } } })),
  );
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{t('nav.detainees')}</Title>
        {canEdit && (
          <Group gap="xs">
            <Button variant="default" component={Link} to="/detainees/import">
              {t('import.open')}
            </Button>
            <Button onClick={() => setCreating(true)}>{t('detainee.new')}</Button>
          </Group>
        )}
      </Group>
      <Group mb="md" align="end">
        <TextInput label={t('common.search')} description={t('detainee.searchHint')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} style={{ flex: 2, minWidth: 200 }} />
        <Select label={t('detainee.status')} data={options('detention_statuses')} value={status} onChange={setStatus} clearable />
        <Select label={t('detainee.issue')} data={options('issue_categories')} value={issue} onChange={setIssue} clearable />
        <TextInput label={t('detainee.province')} value={province} onChange={(e) => setProvince(e.currentTarget.value)} />
      </Group>
      <QueryState isLoading={list.isLoading} error={list.error} empty={!list.isLoading && list.items.length === 0} emptyText={t('detainee.none')}>
        <Text size="sm" c="dimmed" mb="xs" aria-live="polite">
          {t(list.totalCapped ? 'common.resultsCapped' : 'common.results', { count: list.total })}
        </Text>
        <Table.ScrollContainer minWidth={500} type="native" tabIndex={0}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('detainee.name')}</Table.Th>
                <Table.Th>{t('detainee.otherNames')}</Table.Th>
                <Table.Th>{t('detainee.status')}</Table.Th>
                <Table.Th>{t('detainee.province')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/detainees/${d.id}`} dir="auto">
                      {d.name}
                    </Anchor>
                    <MatchedForm matched={d.matched} shown={d.name} q={dq} />
                  </Table.Td>
                  <Table.Td>{d.other_names.map((n) => n.name).join(' · ')}</Table.Td>
                  <Table.Td>{label('detention_statuses', d.detention_status)}</Table.Td>
                  <Table.Td>{d.home_province}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasMore={list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={creating} onClose={() => setCreating(false)} title={t('detainee.new')} size="lg">
        <DetaineeForm onCreated={(d) => navigate(`/detainees/${d.id}`, { state: { possibleDuplicates: d.possible_duplicates ?? [] } })} />
      </Modal>
    </>
  );
}
