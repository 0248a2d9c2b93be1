import { useState } from 'react';
import { Button, Checkbox, Group, Select, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { ErrorText } from '../components/ErrorText';
import { fieldErrorsOf } from '../components/fieldErrors';

/** Schedules a hearing: type, local date and time at the court (Asia/Shanghai unless another zone), court, confidential. */
export function HearingForm({ caseId, onDone }: { caseId: string; onDone: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  const [type, setType] = useState<string | null>('trial');
  const [at, setAt] = useState('');
  const [zone, setZone] = useState('Asia/Shanghai');
  const [court, setCourt] = useState('');
  const [confidential, setConfidential] = useState(false);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/hearings', {
          params: { path: { id: caseId } },
          body: { type: (type ?? 'other') as Schemas['HearingInput']['type'], scheduled_at: at, time_zone: zone.trim() || 'Asia/Shanghai', court: court.trim(), status: 'scheduled', confidential },
        }),
      ),
    onSuccess: () => onDone(true),
  });
  // The server's refusals, each under its field in the user's language.
  const fe = fieldErrorsOf(t, save.error);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (type && at) save.mutate();
      }}
      aria-label={t('hearings.schedule')}
    >
      <Stack gap="sm" mb="md">
        <Select label={t('hearings.type')} data={options('hearing_types')} value={type} onChange={setType} allowDeselect={false} size="md" error={fe.type} />
        <TextInput type="datetime-local" label={t('hearings.at')} description={t('hearings.atHint')} required value={at} onChange={(e) => setAt(e.currentTarget.value)} size="md" error={fe.scheduled_at} />
        <TextInput label={t('hearings.zone')} value={zone} onChange={(e) => setZone(e.currentTarget.value)} size="md" error={fe.time_zone} />
        <TextInput label={t('hearings.court')} value={court} onChange={(e) => setCourt(e.currentTarget.value)} maxLength={500} size="md" error={fe.court} />
        <Checkbox label={t('timeline.confidential')} checked={confidential} onChange={(e) => setConfidential(e.currentTarget.checked)} />
        <ErrorText error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(false)} size="md">
            {t('timeline.cancel')}
          </Button>
          <Button type="submit" disabled={!type || !at} loading={save.isPending} size="md">
            {t('hearings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
