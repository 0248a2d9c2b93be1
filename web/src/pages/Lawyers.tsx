import { lazy, Suspense, useState } from 'react';
import { Badge, Button, Checkbox, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useMe, useVocab } from '../api/hooks';
import { Loading, QueryState } from '../components/States';
import { ErrorText } from '../components/ErrorText';
import { UserPicker } from '../components/UserPicker';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../api/paged';
import { DetainedNote } from '../links/pickers';

const LawyerEdit = lazy(() => import('../edit/LawyerEdit'));

export default function Lawyers() {
  const { t } = useTranslation();
  const { label, options } = useVocab();
  const me = useMe();
  const manager = me.data?.role === 'admin' || me.data?.role === 'coordinator';
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const [dq] = useDebouncedValue(q.trim(), 300);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [v, setV] = useState({ name: '', law_firm: '', licence_number: '', jurisdiction: '', licence_status: '', user_id: '' });
  const [confidential, setConfidential] = useState(false);
  const list = usePaged(['lawyers', { q: dq }], async (cursor) =>
    unwrap(await api.GET('/api/v1/lawyers', { params: { query: { q: dq || undefined, limit: 50, sort: 'name', cursor } } })),
  );
  const create = useMutation({
    mutationFn: async () => {
      const body = { ...v, user_id: v.user_id || undefined, confidential };
      return unwrap(await api.POST('/api/v1/lawyers', { body }));
    },
    onSuccess: () => {
      setCreating(false);
      setV({ name: '', law_firm: '', licence_number: '', jurisdiction: '', licence_status: '', user_id: '' });
      setConfidential(false);
      void qc.invalidateQueries({ queryKey: ['lawyers'] });
    },
  });
  const set = (k: keyof typeof v) => (val: string | null) => setV((s) => ({ ...s, [k]: val ?? '' }));
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{t('nav.lawyers')}</Title>
        {manager && <Button onClick={() => setCreating(true)}>{t('lawyer.new')}</Button>}
      </Group>
      <TextInput label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} mb="md" maw={400} />
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('lawyer.none')}>
        <Text size="sm" c="dimmed" mb="xs">
          {t(list.totalCapped ? 'common.resultsCapped' : 'common.results', { count: list.total || list.items.length })}
        </Text>
        <Table.ScrollContainer minWidth={500} type="native" tabIndex={0}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('lawyer.name')}</Table.Th>
                <Table.Th>{t('lawyer.firm')}</Table.Th>
                <Table.Th>{t('lawyer.jurisdiction')}</Table.Th>
                <Table.Th>{t('lawyer.licenceStatus')}</Table.Th>
                <Table.Th>{t('lawyer.risks')}</Table.Th>
                {manager && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((l) => (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    <span dir="auto">{l.name}</span>
                    {l.confidential && (
                      <Badge ml="xs" color="red" variant="light" title={t('lawyer.confidentialHint')}>
                        {t('common.confidential')}
                      </Badge>
                    )}
                    {l.detainee_id && <DetainedNote detaineeId={l.detainee_id} />}
                  </Table.Td>
                  <Table.Td dir="auto">{l.law_firm}</Table.Td>
                  <Table.Td>{l.jurisdiction}</Table.Td>
                  <Table.Td>{label('licence_statuses', l.licence_status)}</Table.Td>
                  <Table.Td>{l.risk_status.map((r) => label('risk_statuses', r)).join(', ')}</Table.Td>
                  {manager && (
                    <Table.Td>
                      <Button size="compact-sm" variant="subtle" onClick={() => setEditing(l.id)} aria-label={t('lawyer.editOf', { name: l.name })}>
                        {t('lawyer.edit')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!editing} onClose={() => setEditing(null)} title={t('lawyer.edit')} size="lg">
        {editing && <EditLawyer id={editing} manager={manager} onDone={() => setEditing(null)} />}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={creating} onClose={() => setCreating(false)} title={t('lawyer.new')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Stack gap="sm">
            <TextInput label={t('lawyer.name')} required value={v.name} onChange={(e) => set('name')(e.currentTarget.value)} />
            <TextInput label={t('lawyer.firm')} value={v.law_firm} onChange={(e) => set('law_firm')(e.currentTarget.value)} />
            <TextInput label={t('lawyer.licenceNumber')} value={v.licence_number} onChange={(e) => set('licence_number')(e.currentTarget.value)} />
            <TextInput label={t('lawyer.jurisdiction')} value={v.jurisdiction} onChange={(e) => set('jurisdiction')(e.currentTarget.value)} />
            <Select label={t('lawyer.licenceStatus')} data={options('licence_statuses')} value={v.licence_status || null} onChange={set('licence_status')} clearable />
            <UserPicker
              label={t('userPicker.linkLabel')}
              description={t('userPicker.linkHint')}
              role="lawyer"
              unlinked
              value={v.user_id || null}
              onChange={set('user_id')}
              clearable
            />
            <Checkbox label={t('lawyer.confidential')} description={t('lawyer.confidentialHint')} checked={confidential} onChange={(e) => setConfidential(e.currentTarget.checked)} />
            <ErrorText error={create.error} />
            <Button type="submit" loading={create.isPending}>
              {t('common.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/** Loads the lawyer (fresh version and confidential fields) and shows the edit form. */
function EditLawyer({ id, manager, onDone }: { id: string; manager: boolean; onDone: () => void }) {
  const l = useQuery({ queryKey: ['lawyer', id], queryFn: async () => unwrap(await api.GET('/api/v1/lawyers/{id}', { params: { path: { id } } })) });
  return (
    <QueryState isLoading={l.isLoading} error={l.error}>
      <Suspense fallback={<Loading />}>{l.data && <LawyerEdit l={l.data} manager={manager} onSaved={onDone} onReload={() => void l.refetch()} />}</Suspense>
    </QueryState>
  );
}
