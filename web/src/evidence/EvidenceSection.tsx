import { lazy, Suspense, useState } from 'react';
import { Badge, Button, Card, Group, Modal, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { usePaged } from '../api/paged';
import { ErrorText } from '../components/ErrorText';
import { LoadMore } from '../components/LoadMore';
import { Loading, QueryState } from '../components/States';
import { formatDateTime, formatPartialDate } from '../format';
import { Custody } from './Custody';
import { downloadToDisk } from './download';
import { HashText } from './HashText';
import { formatBytes } from './upload';
import { Uploader } from './Uploader';

const EvidenceEdit = lazy(() => import('./EvidenceEdit'));

/** The evidence of a case: list, upload (not observers), download, custody, delete (managers). */
export default function EvidenceSection({ caseId, canUpload, manager, meId }: { caseId: string; canUpload: boolean; manager: boolean; meId?: string }) {
  const { t, i18n } = useTranslation();
  const [custody, setCustody] = useState<Schemas['Evidence'] | null>(null);
  const [deleting, setDeleting] = useState<Schemas['Evidence'] | null>(null);
  const [editing, setEditing] = useState<Schemas['Evidence'] | null>(null);
  const [status, setStatus] = useState<{ text: string; bad?: boolean; error?: unknown } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const list = usePaged(['evidence', caseId], async (cursor) =>
    unwrap(await api.GET('/api/v1/cases/{id}/evidence', { params: { path: { id: caseId }, query: { cursor, limit: 50 } } })),
  );

  const download = async (it: Schemas['Evidence']) => {
    setBusy(it.id);
    setStatus(null);
    try {
      await downloadToDisk(it);
      setStatus({ text: t('resumable.downloadStarted', { title: it.title }) });
    } catch (err) {
      setStatus({ text: '', error: err });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('evidence.title')}
      </Title>
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('evidence.none')}>
        <Table.ScrollContainer minWidth={760} type="native" tabIndex={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('evidence.itemTitle')}</Table.Th>
                <Table.Th>{t('evidence.kind')}</Table.Th>
                <Table.Th>{t('evidence.date')}</Table.Th>
                <Table.Th>{t('evidence.size')}</Table.Th>
                <Table.Th>SHA-256</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((it) => (
                <Table.Tr key={it.id}>
                  <Table.Td>
                    <Text fw={500} dir="auto">{it.title}</Text>
                    <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                      {it.filename}
                    </Text>
                    <Group gap={4} mt={2}>
                      {it.confidential && <Badge color="red">{t('common.confidential')}</Badge>}
                      {it.integrity === 'failed' && <Badge color="red" variant="filled">{t('evidence.integrityFailed')}</Badge>}
                      {it.type_mismatch && (
                        <Badge color="orange" variant="light" title={t('evidence.typeMismatch', { declared: it.declared_type, detected: it.detected_type })}>
                          {t('evidence.typeMismatchShort')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{t(`evidence.kinds.${it.kind}`, { defaultValue: it.kind })}</Table.Td>
                  <Table.Td>
                    {it.captured_at && <div>{t('evidence.captured', { date: formatPartialDate(it.captured_at) })}</div>}
                    <Text size="sm">{t('evidence.added', { date: formatDateTime(it.created_at) })}</Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatBytes(it.size, i18n.language)}</Table.Td>
                  <Table.Td>
                    <HashText hash={it.sha256} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-sm" variant="light" loading={busy === it.id} onClick={() => void download(it)} aria-label={t('evidence.downloadOf', { title: it.title })}>
                        {t('evidence.download')}
                      </Button>
                      <Button size="compact-sm" variant="subtle" onClick={() => setCustody(it)} aria-label={t('evidence.custodyOf', { title: it.title })}>
                        {t('evidence.custody')}
                      </Button>
                      {canUpload && (
                        <Button size="compact-sm" variant="subtle" onClick={() => setEditing(it)} aria-label={t('evidence.editOf', { title: it.title })}>
                          {t('evidence.edit')}
                        </Button>
                      )}
                      {manager && (
                        <Button size="compact-sm" variant="subtle" color="red" onClick={() => setDeleting(it)} aria-label={t('evidence.deleteOf', { title: it.title })}>
                          {t('evidence.delete')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
      <div aria-live="polite">
        {status?.text && (
          <Text size="sm" mt="xs" c={status.bad ? 'red.9' : undefined} role={status.bad ? 'alert' : undefined}>
            {status.text}
          </Text>
        )}
        <ErrorText error={status?.error} />
      </div>
      {canUpload && (
        <Stack mt="md" gap="xs">
          <Title order={4} size="h5">
            {t('evidence.add')}
          </Title>
          <Uploader caseId={caseId} />
        </Stack>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={!!custody}
        onClose={() => setCustody(null)}
        title={custody ? t('evidence.custodyTitle', { title: custody.title }) : ''}
        size="xl"
      >
        {custody && <Custody caseId={caseId} itemId={custody.id} meId={meId} />}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!editing} onClose={() => setEditing(null)} title={t('evidence.editTitle')} size="lg">
        {editing && (
          <Suspense fallback={<Loading />}>
            <EvidenceEdit item={editing} onSaved={() => setEditing(null)} />
          </Suspense>
        )}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!deleting} onClose={() => setDeleting(null)} title={t('evidence.deleteTitle')}>
        {deleting && (
          <DeleteForm
            item={deleting}
            onDone={(deleted) => {
              if (deleted) setStatus(null);
              setDeleting(null);
            }}
          />
        )}
      </Modal>
    </Card>
  );
}

function DeleteForm({ item, onDone }: { item: Schemas['Evidence']; onDone: (deleted: boolean) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const del = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE('/api/v1/cases/{id}/evidence/{eid}', { params: { path: { id: item.case_id, eid: item.id } }, body: { reason: reason.trim() } })),
    onSuccess: () => onDone(true),
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) del.mutate();
      }}
    >
      <Stack gap="sm">
        <Text>{t('evidence.deleteIntro', { title: item.title })}</Text>
        <Textarea label={t('evidence.deleteReason')} required autosize minRows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <ErrorText error={del.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(false)}>
            {t('evidence.keep')}
          </Button>
          <Button type="submit" color="red" disabled={!reason.trim()} loading={del.isPending}>
            {t('evidence.delete')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
