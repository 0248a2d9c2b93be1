import { useState } from 'react';
import { Anchor, Button, Group, Modal, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { useMe } from '../api/hooks';
import { usePaged } from '../api/paged';
import { LoadMore } from '../components/LoadMore';
import { QueryState } from '../components/States';
import { formatPartialDate } from '../format';
import { CampaignForm } from './CampaignForm';

/** The campaigns the user sees, searchable by name; admins and coordinators create them. */
export default function CampaignsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const manager = me.data?.role === 'admin' || me.data?.role === 'coordinator';
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [dq] = useDebouncedValue(q.trim(), 300);
  const [creating, setCreating] = useState(false);
  const list = usePaged(['campaigns', { q: dq }], async (cursor) =>
    unwrap(await api.GET('/api/v1/campaigns', { params: { query: { q: dq || undefined, limit: 50, cursor } } })),
  );
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{t('campaigns.title')}</Title>
        {manager && <Button onClick={() => setCreating(true)}>{t('campaigns.new')}</Button>}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('campaigns.intro')}
      </Text>
      <TextInput label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} mb="md" maw={400} />
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('campaigns.none')}>
        <Table.ScrollContainer minWidth={480} type="native" tabIndex={0}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaigns.name')}</Table.Th>
                <Table.Th>{t('campaigns.dates')}</Table.Th>
                <Table.Th>{t('campaigns.cases')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/campaigns/${c.id}`} dir="auto">
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{dates(c.started_at, c.ended_at)}</Table.Td>
                  <Table.Td>{c.cases}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={creating} onClose={() => setCreating(false)} title={t('campaigns.new')}>
        {creating && (
          <CampaignForm
            onDone={(c) => {
              setCreating(false);
              void qc.invalidateQueries({ queryKey: ['campaigns'] });
              void navigate(`/campaigns/${c.id}`);
            }}
          />
        )}
      </Modal>
    </>
  );
}

/** A campaign's dates: "2015-07 – 2016", or one of them. */
export function dates(from?: string | null, to?: string | null): string {
  const a = formatPartialDate(from);
  const b = formatPartialDate(to);
  return a && b ? `${a} – ${b}` : a || b;
}
