import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Modal, Radio, Select, Stack, Table, Text, Textarea, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { Loading, QueryState } from '../components/States';
import { ErrorText } from '../components/ErrorText';
import { SaveError } from '../edit/EditForm';
import { ifMatch, isStale } from '../edit/patch';

type Item = Schemas['CaseDetainee'];

/** Pages read at most (200 detainees each): a case has few; this bounds a broken server. */
const maxPages = 5;

/** Every detainee of a case, the principal first (as the server gives them). */
export async function fetchCaseDetainees(caseId: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = unwrap(await api.GET('/api/v1/cases/{id}/detainees', { params: { path: { id: caseId }, query: { limit: 200, cursor } } }));
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return items;
}

/** A detainee's name forms on one line: the name, then its other forms. */
function namesOf(d: Item['detainee']): string {
  return [d.name, ...d.other_names.map((n) => n.name)].filter(Boolean).join(' · ');
}

/**
 * "Detainees in this case" (issue 25): the principal defendant (the case's own detainee) and the other
 * detainees linked to the case with their role. Those who may edit the case add one found by name, change a
 * role, and remove one after confirming; the principal is changed on the case itself.
 */
export default function CaseDetaineesSection({ caseId, canWrite }: { caseId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['case-detainees', caseId], queryFn: () => fetchCaseDetainees(caseId) });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Item | null>(null);
  const items = q.data ?? [];
  const changed = () => {
    void qc.invalidateQueries({ queryKey: ['case-detainees', caseId] });
    void qc.invalidateQueries({ queryKey: ['detainee'] });
  };
  return (
    <Card withBorder component="section" aria-labelledby="case-detainees-title" data-testid="case-detainees">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="case-detainees-title">
          {t('codefendants.title')}
        </Title>
        {canWrite && (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {t('codefendants.add')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('codefendants.intro')}
      </Text>
      <QueryState isLoading={q.isLoading} error={q.error}>
        <Table.ScrollContainer minWidth={480} type="native" tabIndex={0}>
          <Table>
            <Table.Caption>
              <VisuallyHidden>{t('codefendants.table')}</VisuallyHidden>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('codefendants.name')}</Table.Th>
                <Table.Th>{t('codefendants.role')}</Table.Th>
                {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((x) => (
                <Row key={x.detainee_id} caseId={caseId} x={x} canWrite={canWrite} onChanged={changed} onRemove={() => setRemoving(x)} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={adding} onClose={() => setAdding(false)} title={t('codefendants.add')} size="lg">
        {adding && (
          <AddDetainee
            caseId={caseId}
            present={new Set(items.map((x) => x.detainee_id))}
            onDone={() => {
              setAdding(false);
              changed();
            }}
          />
        )}
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title={removing ? t('codefendants.removeOf', { name: removing.detainee.name }) : ''}
      >
        {removing && (
          <RemoveDetainee
            key={`${removing.detainee_id}:${removing.version}`}
            caseId={caseId}
            x={removing}
            onDone={() => {
              setRemoving(null);
              changed();
            }}
            onReload={async () => {
              const fresh = await q.refetch();
              setRemoving(fresh.data?.find((y) => y.detainee_id === removing.detainee_id) ?? null);
            }}
          />
        )}
      </Modal>
    </Card>
  );
}

function Row({ caseId, x, canWrite, onChanged, onRemove }: { caseId: string; x: Item; canWrite: boolean; onChanged: () => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const { label, options } = useVocab();
  const setRole = useMutation({
    mutationFn: async (role: Item['role']) =>
      unwrap(
        await api.PATCH('/api/v1/cases/{id}/detainees/{did}', {
          params: { path: { id: caseId, did: x.detainee_id }, header: { 'If-Match': ifMatch(x.version ?? 0) } },
          body: { role },
        }),
      ),
    onSuccess: onChanged,
  });
  const editable = canWrite && !x.principal;
  return (
    <Table.Tr data-detainee={x.detainee_id}>
      <Table.Td>
        {x.principal ? (
          // The case's heading already links to its own detainee.
          <Text size="sm" lang="und" dir="auto">
            {namesOf(x.detainee)}
          </Text>
        ) : (
          <Anchor component={Link} to={`/detainees/${x.detainee_id}`} lang="und" dir="auto">
            {namesOf(x.detainee)}
          </Anchor>
        )}
        {x.note && (
          <Text size="xs" c="dimmed">
            {x.note}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {x.principal ? (
          <Badge variant="light">{t('codefendants.principal')}</Badge>
        ) : editable ? (
          <>
            <Select
              size="xs"
              aria-label={t('codefendants.roleOf', { name: x.detainee.name })}
              data={options('case_detainee_roles')}
              value={x.role}
              allowDeselect={false}
              disabled={setRole.isPending}
              onChange={(v) => v && v !== x.role && setRole.mutate(v as Item['role'])}
            />
            {isStale(setRole.error) ? <SaveError error={setRole.error} onReload={onChanged} /> : <ErrorText error={setRole.error} />}
          </>
        ) : (
          label('case_detainee_roles', x.role)
        )}
      </Table.Td>
      {canWrite && (
        <Table.Td>
          {editable && (
            <Button size="compact-sm" variant="subtle" color="red" onClick={onRemove} aria-label={t('codefendants.removeOf', { name: x.detainee.name })}>
              {t('codefendants.remove')}
            </Button>
          )}
        </Table.Td>
      )}
    </Table.Tr>
  );
}

/** Finds a detainee the user sees by any name form (the detainee search) and links it with a role. */
function AddDetainee({ caseId, present, onDone }: { caseId: string; present: Set<string>; onDone: () => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  const [q, setQ] = useState('');
  const [dq] = useDebouncedValue(q.trim(), 300);
  const [pick, setPick] = useState('');
  const [role, setRole] = useState<Item['role']>('co_defendant');
  const [note, setNote] = useState('');
  const found = useQuery({
    queryKey: ['detainees', 'case-detainee-candidates', dq],
    enabled: dq.length > 0,
    queryFn: async () => unwrap(await api.GET('/api/v1/detainees', { params: { query: { q: dq, limit: 20 } } })),
  });
  const candidates = (found.data?.items ?? []).filter((d) => !present.has(d.id));
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/detainees', {
          params: { path: { id: caseId } },
          body: { detainee_id: pick, role, ...(note.trim() ? { note: note.trim() } : {}) },
        }),
      ),
    onSuccess: onDone,
  });
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (pick) add.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput
          label={t('codefendants.search')}
          description={t('codefendants.searchHint')}
          type="search"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          data-autofocus
        />
        {found.isFetching && <Loading />}
        {found.error != null && <ErrorText error={found.error} />}
        {dq && found.data && candidates.length === 0 && (
          <Text size="sm" c="dimmed" role="status">
            {t('codefendants.noMatch')}
          </Text>
        )}
        {candidates.length > 0 && (
          <Radio.Group label={t('codefendants.pick')} value={pick} onChange={setPick}>
            <Stack gap="xs" mt="xs">
              {candidates.map((d) => (
                <Radio key={d.id} value={d.id} label={<span lang="und">{[d.name, ...d.other_names.map((n) => n.name)].join(' · ')}</span>} />
              ))}
            </Stack>
          </Radio.Group>
        )}
        <Select
          label={t('codefendants.role')}
          data={options('case_detainee_roles')}
          value={role}
          allowDeselect={false}
          onChange={(v) => v && setRole(v as Item['role'])}
        />
        <Textarea label={t('codefendants.note')} value={note} autosize minRows={1} onChange={(e) => setNote(e.currentTarget.value)} />
        <ErrorText error={add.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={add.isPending} disabled={!pick}>
            {t('codefendants.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RemoveDetainee({ caseId, x, onDone, onReload }: { caseId: string; x: Item; onDone: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const del = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE('/api/v1/cases/{id}/detainees/{did}', {
          params: { path: { id: caseId, did: x.detainee_id }, header: { 'If-Match': ifMatch(x.version ?? 0) } },
        }),
      ),
    onSuccess: onDone,
  });
  return (
    <Stack gap="sm">
      <Text>{t('codefendants.removeConfirm', { name: x.detainee.name })}</Text>
      {isStale(del.error) ? <SaveError error={del.error} onReload={onReload} /> : <ErrorText error={del.error} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button color="red" loading={del.isPending} onClick={() => del.mutate()}>
          {t('codefendants.remove')}
        </Button>
      </Group>
    </Stack>
  );
}
