import { useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Modal, Select, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { QueryState } from '../components/States';
import { ErrorText } from '../components/ErrorText';
import { fieldErrorsOf } from '../components/fieldErrors';
import { CasePicker, caseName } from './pickers';
import { linkLabelKey, useCaseLinks } from './query';

type CaseLink = Schemas['CaseLink'];
const kinds = ['same_proceedings', 'related', 'lawyer_detained'] as const;

/** The cases linked to a case (either way), with their kind read from this case; add and remove for those who edit the case. */
export default function CaseLinksSection({ caseId, canWrite }: { caseId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const q = useCaseLinks(caseId);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<CaseLink | null>(null);
  const items = q.data ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="case-links-title" data-testid="case-links">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="case-links-title">
          {t('caseLinks.title')}
        </Title>
        {canWrite && (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {t('caseLinks.add')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('caseLinks.intro')}
      </Text>
      <QueryState isLoading={q.isLoading} error={q.error} empty={items.length === 0} emptyText={t('caseLinks.none')}>
        <Table.ScrollContainer minWidth={480} type="native" tabIndex={0}>
          <Table>
            <Table.Caption>
              <VisuallyHidden>{t('caseLinks.table')}</VisuallyHidden>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('caseLinks.case')}</Table.Th>
                <Table.Th>{t('caseLinks.kind')}</Table.Th>
                <Table.Th>{t('caseLinks.note')}</Table.Th>
                {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((l) => (
                <Table.Tr key={l.id} data-link-kind={l.kind} data-link-direction={l.direction}>
                  <Table.Td>
                    <Anchor component={Link} to={`/cases/${l.case_id}`} dir="auto">
                      {caseName(l.other_case)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{t(linkLabelKey(l))}</Badge>
                  </Table.Td>
                  <Table.Td dir="auto">{l.note}</Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => setRemoving(l)} aria-label={t('caseLinks.removeOf', { name: caseName(l.other_case) })}>
                        {t('caseLinks.remove')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={adding} onClose={() => setAdding(false)} title={t('caseLinks.add')}>
        {adding && <AddLink caseId={caseId} onDone={() => setAdding(false)} />}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={removing !== null} onClose={() => setRemoving(null)} title={t('caseLinks.remove')}>
        {removing && <RemoveLink caseId={caseId} link={removing} onDone={() => setRemoving(null)} />}
      </Modal>
    </Card>
  );
}

function AddLink({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [other, setOther] = useState<string | null>(null);
  const [kind, setKind] = useState<string | null>('same_proceedings');
  const [note, setNote] = useState('');
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/links', {
          params: { path: { id: caseId } },
          body: { case_id: other ?? '', kind: (kind ?? '') as Schemas['CaseLinkCreate']['kind'], note: note.trim() || undefined },
        }),
      ),
    onSuccess: async (l) => {
      await Promise.all([qc.invalidateQueries({ queryKey: ['case-links', caseId] }), qc.invalidateQueries({ queryKey: ['case-links', l.case_id] })]);
      onDone();
    },
  });
  const errs = fieldErrorsOf(t, add.error);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <Stack gap="sm">
        <CasePicker label={t('caseLinks.pick')} value={other} onChange={setOther} exclude={caseId} error={errs.case_id} />
        <Select
          label={t('caseLinks.kind')}
          data={kinds.map((k) => ({ value: k, label: t(`caseLinks.kinds.${k}`) }))}
          value={kind}
          onChange={setKind}
          allowDeselect={false}
          error={errs.kind}
        />
        <TextInput label={t('caseLinks.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={errs.note} />
        {!errs.case_id && !errs.kind && <ErrorText error={add.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={add.isPending} disabled={!other || !kind}>
            {t('caseLinks.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RemoveLink({ caseId, link, onDone }: { caseId: string; link: CaseLink; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const del = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/cases/{id}/links/{lid}', { params: { path: { id: caseId, lid: link.id } } })),
    onSuccess: async () => {
      await Promise.all([qc.invalidateQueries({ queryKey: ['case-links', caseId] }), qc.invalidateQueries({ queryKey: ['case-links', link.case_id] })]);
      onDone();
    },
  });
  return (
    <Stack gap="sm">
      <Text>{t('caseLinks.removeConfirm', { name: caseName(link.other_case) })}</Text>
      <ErrorText error={del.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button color="red" loading={del.isPending} onClick={() => del.mutate()}>
          {t('caseLinks.remove')}
        </Button>
      </Group>
    </Stack>
  );
}
