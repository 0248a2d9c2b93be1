// Partners (issue 8; confidential since issue 25): the organisations support actions are assigned to (UN
// bodies, embassies, NGOs, bar associations, funders). Admins and coordinators list, record, change and delete
// them here; a partner marked confidential (a foreign funder of a family, say) is never shown to observers nor
// printed in an external dossier. Lawyers see no partner; an observer's account linked to a partner sees that
// partner's actions on the support board, not this page.
import { lazy, Suspense, useState } from 'react';
import { Badge, Button, Checkbox, Group, Modal, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useMe } from '../api/hooks';
import { usePaged } from '../api/paged';
import { ErrorText } from '../components/ErrorText';
import { LoadMore } from '../components/LoadMore';
import { Loading, QueryState } from '../components/States';
import { fieldErrorsOf } from '../components/fieldErrors';
import { useSupportVocab } from '../support/vocab';

const PartnerEdit = lazy(() => import('./PartnerEdit'));

type Kind = Schemas['PartnerKind'];
const empty = { name: '', kind: '' as Kind | '', country: '', contacts: '', notes: '', confidential: false };

export default function Partners() {
  const { t } = useTranslation();
  const { label, options } = useSupportVocab();
  const me = useMe();
  const manager = me.data?.role === 'admin' || me.data?.role === 'coordinator';
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [dq] = useDebouncedValue(q.trim(), 300);
  const [kind, setKind] = useState<Kind | null>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Schemas['Partner'] | null>(null);
  const [v, setV] = useState(empty);
  const [tried, setTried] = useState(false);
  const list = usePaged(['partners', { q: dq, kind }], async (cursor) =>
    unwrap(await api.GET('/api/v1/partners', { params: { query: { q: dq || undefined, kind: kind ?? undefined, limit: 50, cursor } } })),
  );
  const create = useMutation({
    mutationFn: async () => {
      const body: Schemas['PartnerInput'] = { name: v.name.trim(), country: v.country.trim().toUpperCase(), contacts: v.contacts, notes: v.notes, confidential: v.confidential };
      if (v.kind) body.kind = v.kind;
      return unwrap(await api.POST('/api/v1/partners', { body }));
    },
    onSuccess: () => {
      setCreating(false);
      setTried(false);
      setV(empty);
      void qc.invalidateQueries({ queryKey: ['partners'] });
    },
  });
  const remove = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/partners/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      setDeleting(null);
      void qc.invalidateQueries({ queryKey: ['partners'] });
    },
  });
  const server = fieldErrorsOf(t, create.error);
  const missing: Record<string, string | undefined> = { name: v.name.trim() ? undefined : t('partner.required'), kind: v.kind ? undefined : t('partner.required') };
  const fe = (k: 'name' | 'kind' | 'country' | 'contacts' | 'notes') => (tried ? missing[k] : undefined) ?? server[k];
  const set = <K extends keyof typeof v>(k: K, val: (typeof v)[K]) => setV((s) => ({ ...s, [k]: val }));
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{t('nav.partners')}</Title>
        {manager && <Button onClick={() => setCreating(true)}>{t('partner.new')}</Button>}
      </Group>
      <Text size="sm" c="dimmed" mb="md" maw={720}>
        {t('partner.intro')}
      </Text>
      <Group mb="md" align="end">
        <TextInput label={t('common.search')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={320} />
        <Select label={t('partner.kind')} data={options('partner_kinds')} value={kind} onChange={(x) => setKind(x as Kind | null)} clearable maw={260} />
      </Group>
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('partner.none')}>
        <Text size="sm" c="dimmed" mb="xs">
          {t(list.totalCapped ? 'common.resultsCapped' : 'common.results', { count: list.total || list.items.length })}
        </Text>
        <Table.ScrollContainer minWidth={500} type="native" tabIndex={0}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('partner.name')}</Table.Th>
                <Table.Th>{t('partner.kind')}</Table.Th>
                <Table.Th>{t('partner.country')}</Table.Th>
                {manager && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <span dir="auto">{p.name}</span>
                    {p.confidential && (
                      <Badge ml="xs" color="red" variant="light" title={t('partner.confidentialHint')}>
                        {t('common.confidential')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{label('partner_kinds', p.kind)}</Table.Td>
                  <Table.Td>{p.country}</Table.Td>
                  {manager && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-sm" variant="subtle" onClick={() => setEditing(p.id)} aria-label={t('partner.editOf', { name: p.name })}>
                          {t('partner.editAction')}
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          onClick={() => {
                            remove.reset();
                            setDeleting(p);
                          }}
                          aria-label={t('partner.deleteOf', { name: p.name })}
                        >
                          {t('partner.deleteAction')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={creating} onClose={() => setCreating(false)} title={t('partner.new')}>
        <form
          noValidate
          aria-label={t('partner.new')}
          onSubmit={(e) => {
            e.preventDefault();
            setTried(true);
            if (!missing.name && !missing.kind) create.mutate();
          }}
        >
          <Stack gap="sm">
            <TextInput label={t('partner.name')} required value={v.name} error={fe('name')} onChange={(e) => set('name', e.currentTarget.value)} />
            <Select label={t('partner.kind')} required data={options('partner_kinds')} value={v.kind || null} error={fe('kind')} onChange={(x) => set('kind', (x ?? '') as Kind | '')} />
            <TextInput label={t('partner.country')} description={t('partner.countryHint')} maxLength={2} value={v.country} error={fe('country')} onChange={(e) => set('country', e.currentTarget.value)} />
            <Textarea label={t('partner.contacts')} description={t('partner.contactsHint')} autosize minRows={2} value={v.contacts} error={fe('contacts')} onChange={(e) => set('contacts', e.currentTarget.value)} />
            <Textarea label={t('partner.notes')} autosize minRows={2} value={v.notes} error={fe('notes')} onChange={(e) => set('notes', e.currentTarget.value)} />
            <Checkbox label={t('partner.confidential')} description={t('partner.confidentialHint')} checked={v.confidential} onChange={(e) => set('confidential', e.currentTarget.checked)} />
            <ErrorText error={create.error} />
            <Button type="submit" loading={create.isPending}>
              {t('common.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!editing} onClose={() => setEditing(null)} title={t('partner.edit')} size="lg">
        {editing && <EditPartner id={editing} onDone={() => setEditing(null)} />}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!deleting} onClose={() => setDeleting(null)} title={t('partner.delete')}>
        {deleting && (
          <Stack gap="sm">
            <Text>{t('partner.deleteConfirm', { name: deleting.name })}</Text>
            <ErrorText error={remove.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(null)}>
                {t('common.cancel')}
              </Button>
              <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(deleting.id)}>
                {t('partner.deleteAction')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

/** Loads the partner (fresh version, contacts and notes: a read that is audited) and shows the edit form. */
function EditPartner({ id, onDone }: { id: string; onDone: () => void }) {
  const p = useQuery({ queryKey: ['partner', id], queryFn: async () => unwrap(await api.GET('/api/v1/partners/{id}', { params: { path: { id } } })) });
  return (
    <QueryState isLoading={p.isLoading} error={p.error}>
      <Suspense fallback={<Loading />}>{p.data && <PartnerEdit p={p.data} onSaved={onDone} onReload={() => void p.refetch()} />}</Suspense>
    </QueryState>
  );
}
