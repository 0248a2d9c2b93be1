import { useState } from 'react';
import { Button, Group, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { ErrorText } from '../components/ErrorText';
import { fieldErrorsOf } from '../components/fieldErrors';
import { diffPatch, ifMatch } from '../edit/patch';

type Campaign = Schemas['Campaign'];

/** The form of a new campaign, or of changes to one (If-Match: its version). */
export function CampaignForm({ campaign, onDone }: { campaign?: Campaign; onDone: (c: Campaign) => void }) {
  const { t } = useTranslation();
  const initial = {
    name: campaign?.name ?? '',
    description: campaign?.description ?? '',
    started_at: campaign?.started_at ?? '',
    ended_at: campaign?.ended_at ?? '',
  };
  const [v, setV] = useState(initial);
  const save = useMutation({
    mutationFn: async () =>
      campaign
        ? unwrap(
            await api.PATCH('/api/v1/campaigns/{id}', {
              params: { path: { id: campaign.id }, header: { 'If-Match': ifMatch(campaign.version) } },
              body: diffPatch(initial, v),
            }),
          )
        : unwrap(await api.POST('/api/v1/campaigns', { body: v })),
    onSuccess: onDone,
  });
  const errs = fieldErrorsOf(t, save.error);
  const set = (k: keyof typeof v) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setV((s) => ({ ...s, [k]: value }));
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput label={t('campaigns.name')} required value={v.name} onChange={set('name')} error={errs.name} />
        <Textarea label={t('campaigns.description')} autosize minRows={3} value={v.description} onChange={set('description')} error={errs.description} />
        <Group grow align="flex-start">
          <TextInput label={t('campaigns.startedAt')} description={t('common.partialDateHint')} value={v.started_at} onChange={set('started_at')} error={errs.started_at} />
          <TextInput label={t('campaigns.endedAt')} description={t('common.partialDateHint')} value={v.ended_at} onChange={set('ended_at')} error={errs.ended_at} />
        </Group>
        {save.error && Object.keys(errs).length === 0 && <ErrorText error={save.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
