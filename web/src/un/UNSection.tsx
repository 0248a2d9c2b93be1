import { useState } from 'react';
import { Badge, Button, Card, Checkbox, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { QueryState } from '../components/States';
import { ErrorText } from '../components/ErrorText';
import { fieldErrorsOf } from '../components/fieldErrors';
import { SaveError } from '../edit/EditForm';
import { diffPatch, ifMatch, isStale } from '../edit/patch';
import { formatPartialDate } from '../format';
import { useUNCommunications } from './query';
import { replyClock, todayCST } from './clock';

type Comm = Schemas['UNCommunication'];

/** The UN communications of a case: a table with each one's reply clock, and their forms. */
export default function UNSection({ caseId, canWrite }: { caseId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const q = useUNCommunications(caseId);
  const [editing, setEditing] = useState<Comm | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Comm | null>(null);
  const items = q.data ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="un-title" data-testid="un-section">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="un-title">
          {t('un.title')}
        </Title>
        {canWrite && (
          <Button size="xs" variant="light" onClick={() => setEditing('new')}>
            {t('un.add')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('un.intro')}
      </Text>
      <QueryState isLoading={q.isLoading} error={q.error} empty={items.length === 0} emptyText={t('un.none')}>
        <CommTable items={items} canWrite={canWrite} onEdit={setEditing} onDelete={setDeleting} />
        <Text size="xs" c="dimmed" mt="xs">
          {t('un.clockNote')}
        </Text>
      </QueryState>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('un.add') : t('un.edit')}
        size="lg"
      >
        {editing !== null && (
          <CommForm
            key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
            caseId={caseId}
            comm={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
            onReload={async () => {
              const fresh = await q.refetch();
              setEditing(editing === 'new' ? null : (fresh.data?.find((x) => x.id === editing.id) ?? null));
            }}
          />
        )}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={deleting !== null} onClose={() => setDeleting(null)} title={t('un.delete')}>
        {deleting && (
          <DeleteComm
            key={`${deleting.id}:${deleting.version}`}
            caseId={caseId}
            comm={deleting}
            onDone={() => setDeleting(null)}
            onReload={async () => {
              const fresh = await q.refetch();
              setDeleting(fresh.data?.find((x) => x.id === deleting.id) ?? null);
            }}
          />
        )}
      </Modal>
    </Card>
  );
}

/** A communication's name in labels: its reference, else its kind and date transmitted. */
function commName(u: Comm, kindLabel: string): string {
  return u.reference || [kindLabel, formatPartialDate(u.transmitted_at)].filter(Boolean).join(' ');
}

/** The reply clock badge: due in N days, no reply recorded by a date, replied, or not transmitted yet. */
export function ClockBadge({ u, today = todayCST() }: { u: Pick<Comm, 'transmitted_at' | 'reply_due_at' | 'replied_at'>; today?: string }) {
  const { t } = useTranslation();
  const c = replyClock(u, today);
  switch (c.state) {
    case 'replied':
      return (
        <Badge color="green" variant="light" data-clock="replied">
          {t('un.clock.replied', { date: formatPartialDate(c.date) })}
        </Badge>
      );
    case 'not_transmitted':
      return (
        <Badge color="gray" variant="light" data-clock="not_transmitted">
          {t('un.clock.notTransmitted')}
        </Badge>
      );
    case 'due':
      return (
        <Badge color={c.days <= 7 ? 'orange' : 'blue'} variant="light" data-clock="due">
          {c.days === 0 ? t('un.clock.dueToday') : t('un.clock.dueIn', { count: c.days })}
        </Badge>
      );
    default:
      return (
        <Badge color="red" variant="light" data-clock="overdue">
          {t('un.clock.overdue', { count: c.days, date: formatPartialDate(c.date) })}
        </Badge>
      );
  }
}

function CommTable({ items, canWrite, onEdit, onDelete }: { items: Comm[]; canWrite: boolean; onEdit: (u: Comm) => void; onDelete: (u: Comm) => void }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const today = todayCST();
  return (
    <Table.ScrollContainer minWidth={640} type="native" tabIndex={0}>
      <Table>
        <Table.Caption>
          <VisuallyHidden>{t('un.table')}</VisuallyHidden>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('un.reference')}</Table.Th>
            <Table.Th>{t('un.transmittedAt')}</Table.Th>
            <Table.Th>{t('un.reply')}</Table.Th>
            <Table.Th>{t('un.opinion')}</Table.Th>
            {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((u) => {
            const kind = label('un_communication_kinds', u.kind);
            const name = commName(u, kind);
            return (
              <Table.Tr key={u.id}>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm" fw={500}>
                      {u.reference || '—'}
                    </Text>
                    {u.confidential && (
                      <Badge size="xs" color="red" variant="light">
                        {t('common.confidential')}
                      </Badge>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {[kind, u.body].filter(Boolean).join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatPartialDate(u.transmitted_at) || '—'}</Table.Td>
                <Table.Td>
                  <ClockBadge u={u} today={today} />
                  {u.reply_summary && (
                    <Text size="xs" mt={4}>
                      {u.reply_summary}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {u.opinion_number ? t('un.opinionOf', { number: u.opinion_number }) : '—'}
                  {u.opinion_date && (
                    <Text size="xs" c="dimmed">
                      {formatPartialDate(u.opinion_date)}
                    </Text>
                  )}
                  {u.follow_up && (
                    <Text size="xs" mt={4}>
                      {t('un.followUp')}: {u.follow_up}
                    </Text>
                  )}
                </Table.Td>
                {canWrite && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-sm" variant="subtle" onClick={() => onEdit(u)} aria-label={t('un.editOf', { name })}>
                        {t('un.editShort')}
                      </Button>
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => onDelete(u)} aria-label={t('un.deleteOf', { name })}>
                        {t('un.deleteShort')}
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

type Form = {
  kind: string;
  reference: string;
  body: string;
  submitted_at: string;
  transmitted_at: string;
  reply_due_at: string;
  replied_at: string;
  reply_summary: string;
  opinion_number: string;
  opinion_date: string;
  follow_up: string;
  confidential: boolean;
};

const dayFields = ['submitted_at', 'transmitted_at', 'reply_due_at', 'replied_at', 'opinion_date'] as const;

function toForm(u?: Comm): Form {
  return {
    kind: u?.kind ?? '',
    reference: u?.reference ?? '',
    body: u?.body ?? '',
    submitted_at: u?.submitted_at ?? '',
    transmitted_at: u?.transmitted_at ?? '',
    reply_due_at: u?.reply_due_at ?? '',
    replied_at: u?.replied_at ?? '',
    reply_summary: u?.reply_summary ?? '',
    opinion_number: u?.opinion_number ?? '',
    opinion_date: u?.opinion_date ?? '',
    follow_up: u?.follow_up ?? '',
    confidential: u?.confidential ?? false,
  };
}

const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** Field errors checked in the browser before sending (keys as the API names them; values are un.fieldError keys). */
export function validateComm(v: Form): Record<string, string> {
  const out: Record<string, string> = {};
  if (!v.kind) out.kind = 'required';
  for (const f of dayFields) if (v[f].trim() && !isDay(v[f].trim())) out[f] = 'day';
  const s = v.submitted_at.trim();
  const tr = v.transmitted_at.trim();
  if (!out.transmitted_at && s && tr && tr < s) out.transmitted_at = 'before_submitted';
  if (!out.reply_due_at && v.reply_due_at.trim() && !tr) out.reply_due_at = 'needs_transmitted';
  else if (!out.reply_due_at && tr && v.reply_due_at.trim() && v.reply_due_at.trim() < tr) out.reply_due_at = 'before_transmitted';
  if (!out.replied_at && tr && v.replied_at.trim() && v.replied_at.trim() < tr) out.replied_at = 'before_transmitted';
  if (!out.opinion_date && s && v.opinion_date.trim() && v.opinion_date.trim() < s) out.opinion_date = 'before_submitted';
  if (v.opinion_number.trim() && !/^(no\.?\s*)?\d{1,4}\/\d{4}$/i.test(v.opinion_number.trim())) out.opinion_number = 'opinion';
  return out;
}

function trimmed(v: Form): Schemas['UNCommunicationInput'] {
  const out: Record<string, unknown> = { ...v };
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x.trim();
  return out as Schemas['UNCommunicationInput'];
}

/** Add or edit a communication: POST, or PATCH of the changed fields with If-Match (412: reload). */
export function CommForm({ caseId, comm, onDone, onReload }: { caseId: string; comm?: Comm; onDone: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  const initial = toForm(comm);
  const [v, setV] = useState<Form>(initial);
  const [tried, setTried] = useState(false);
  const set = <K extends keyof Form>(k: K, x: Form[K]) => setV((s) => ({ ...s, [k]: x }));
  const local = validateComm(v);
  const save = useMutation({
    mutationFn: async () => {
      const b = trimmed(v);
      if (!comm) return unwrap(await api.POST('/api/v1/cases/{id}/un-communications', { params: { path: { id: caseId } }, body: b }));
      const patch = diffPatch(trimmed(initial) as Record<string, unknown>, b as Record<string, unknown>) as Schemas['UNCommunicationInput'];
      return unwrap(
        await api.PATCH('/api/v1/cases/{id}/un-communications/{uid}', {
          params: { path: { id: caseId, uid: comm.id }, header: { 'If-Match': ifMatch(comm.version) } },
          body: patch,
        }),
      );
    },
    onSuccess: () => onDone(),
  });
  const unchanged = !!comm && Object.keys(diffPatch(initial, v)).length === 0;
  const server = fieldErrorsOf(t, save.error);
  // A field's message under its input: the browser's own check once the user tried to save, else the server's.
  const fieldError = (key: string): string | undefined => {
    const mine = local[key];
    if (mine && (tried || mine !== 'required')) return t(`un.fieldError.${mine}`);
    return server[key];
  };
  const day = (k: (typeof dayFields)[number], labelKey: string, description?: string) => (
    <TextInput
      label={t(labelKey)}
      description={description ?? t('un.dayHint')}
      placeholder="YYYY-MM-DD"
      value={v[k]}
      error={fieldError(k)}
      onChange={(e) => set(k, e.currentTarget.value)}
    />
  );
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (Object.keys(local).length > 0 || unchanged) return;
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <Select
          label={t('un.kind')}
          data={options('un_communication_kinds')}
          value={v.kind || null}
          onChange={(x) => set('kind', x ?? '')}
          required
          allowDeselect={false}
          error={fieldError('kind')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('un.reference')} description={t('un.referenceHint')} value={v.reference} error={fieldError('reference')} onChange={(e) => set('reference', e.currentTarget.value)} />
          <TextInput label={t('un.body')} description={t('un.bodyHint')} value={v.body} error={fieldError('body')} onChange={(e) => set('body', e.currentTarget.value)} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {day('submitted_at', 'un.submittedAt')}
          {day('transmitted_at', 'un.transmittedAt')}
          {day('reply_due_at', 'un.replyDueAt', t('un.replyDueHint'))}
          {day('replied_at', 'un.repliedAt')}
        </SimpleGrid>
        <Textarea label={t('un.replySummary')} autosize minRows={2} maxRows={8} value={v.reply_summary} error={fieldError('reply_summary')} onChange={(e) => set('reply_summary', e.currentTarget.value)} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('un.opinionNumber')}
            description={t('un.opinionNumberHint')}
            value={v.opinion_number}
            error={fieldError('opinion_number')}
            onChange={(e) => set('opinion_number', e.currentTarget.value)}
          />
          {day('opinion_date', 'un.opinionDate')}
        </SimpleGrid>
        <Textarea label={t('un.followUp')} autosize minRows={2} maxRows={8} value={v.follow_up} error={fieldError('follow_up')} onChange={(e) => set('follow_up', e.currentTarget.value)} />
        <Checkbox label={t('un.confidential')} checked={v.confidential} onChange={(e) => set('confidential', e.currentTarget.checked)} />
        <SaveError error={save.error} onReload={onReload} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={unchanged}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteComm({ caseId, comm, onDone, onReload }: { caseId: string; comm: Comm; onDone: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const del = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE('/api/v1/cases/{id}/un-communications/{uid}', {
          params: { path: { id: caseId, uid: comm.id }, header: { 'If-Match': ifMatch(comm.version) } },
        }),
      ),
    onSuccess: () => onDone(),
  });
  return (
    <Stack gap="sm">
      <Text>{t('un.deleteConfirm', { name: commName(comm, label('un_communication_kinds', comm.kind)) })}</Text>
      {isStale(del.error) ? <SaveError error={del.error} onReload={onReload} /> : <ErrorText error={del.error} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button color="red" loading={del.isPending} onClick={() => del.mutate()}>
          {t('un.deleteShort')}
        </Button>
      </Group>
    </Stack>
  );
}
