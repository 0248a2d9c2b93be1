import { useState } from 'react';
import { Button, Card, Checkbox, Group, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { usePaged } from '../api/paged';
import { useMe } from '../api/hooks';
import { ErrorText } from '../components/ErrorText';
import { fieldErrorsOf } from '../components/fieldErrors';
import { LoadMore } from '../components/LoadMore';
import { QueryState } from '../components/States';
import { ActionList } from './ActionList';
import { moneyTypes } from './ActionEdit';
import { useSupportVocab } from './vocab';

/** International support actions of a case; managers record new ones. */
export default function SupportSection({ caseId, manager }: { caseId: string; manager: boolean }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  const list = usePaged(['support', 'case', caseId], async (cursor) =>
    unwrap(await api.GET('/api/v1/cases/{id}/support-actions', { params: { path: { id: caseId }, query: { cursor, limit: 50 } } })),
  );
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          {t('support.title')}
        </Title>
        {manager && !adding && (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {t('support.add')}
          </Button>
        )}
      </Group>
      {adding && <CreateAction caseId={caseId} onDone={() => setAdding(false)} />}
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('support.none')}>
        <ActionList items={list.items} showCase={false} label={t('support.title')} />
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
    </Card>
  );
}

export function CreateAction({ caseId, onDone }: { caseId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { options } = useSupportVocab();
  const [type, setType] = useState<string | null>(null);
  const [priority, setPriority] = useState<string | null>('normal');
  const [addressee, setAddressee] = useState('');
  const [description, setDescription] = useState('');
  const [due, setDue] = useState('');
  const [toMe, setToMe] = useState(true);
  // Confidential follows the type until the user sets it: a grant to a family is confidential by default.
  const [confidentialSet, setConfidential] = useState<boolean | null>(null);
  const confidential = confidentialSet ?? defaultConfidential(type);
  const me = useMe();
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/support-actions', {
          params: { path: { id: caseId } },
          body: {
            type: type as Schemas['SupportActionType'],
            priority: (priority ?? 'normal') as Schemas['SupportPriority'],
            addressee: addressee.trim(),
            description: description.trim(),
            ...(due ? { due_at: due } : {}),
            ...(toMe && me.data ? { assignee_user_id: me.data.id } : {}),
            confidential,
          },
        }),
      ),
    onSuccess: onDone,
  });
  // The server's refusals, each under its field in the user's language.
  const fe = fieldErrorsOf(t, save.error);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (type) save.mutate();
      }}
      aria-label={t('support.add')}
    >
      <Stack gap="sm" mb="md">
        <Select label={t('support.type')} required data={options('support_action_types')} value={type} onChange={setType} searchable error={fe.type} />
        <Select label={t('support.priority')} data={options('support_priorities')} value={priority} onChange={setPriority} allowDeselect={false} error={fe.priority} />
        <TextInput label={t('support.addressee')} value={addressee} onChange={(e) => setAddressee(e.currentTarget.value)} maxLength={500} error={fe.addressee} />
        <Textarea label={t('support.description')} autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} maxLength={10000} error={fe.description} />
        <Checkbox label={t('support.assignToMe')} checked={toMe} onChange={(e) => setToMe(e.currentTarget.checked)} error={fe.assignee_user_id} />
        <TextInput type="date" label={t('support.due')} value={due} onChange={(e) => setDue(e.currentTarget.value)} error={fe.due_at} />
        <Checkbox label={t('support.confidential')} description={t('support.confidentialHint')} checked={confidential} onChange={(e) => setConfidential(e.currentTarget.checked)} error={fe.confidential} />
        <ErrorText error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('timeline.cancel')}
          </Button>
          <Button type="submit" disabled={!type} loading={save.isPending}>
            {t('support.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The confidential default of a new action of this type: on for funding (a grant to a family), off otherwise. */
export function defaultConfidential(type: string | null): boolean {
  return !!type && (moneyTypes as readonly string[]).includes(type);
}
