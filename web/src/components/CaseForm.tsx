import { useState } from 'react';
import { Button, Group, MultiSelect, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { api, toApiError, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { ErrorText } from './ErrorText';
import { fieldErrorsOf } from './fieldErrors';

const partialDate = /^$|^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?~?$/;

export function CaseForm({ detaineeId, onCreated }: { detaineeId: string; onCreated: (c: Schemas['Case']) => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  const qc = useQueryClient();
  const [v, setV] = useState({ title: '', status: 'open', stage: '', detained_at: '', detaining_authority: '', summary: '' });
  const [numbers, setNumbers] = useState('');
  const [charges, setCharges] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof v) => (val: string | null) => setV((s) => ({ ...s, [k]: val ?? '' }));
  // The server's refusals, each under its field in the user's language.
  const fe = fieldErrorsOf(t, error);
  const badDate = !partialDate.test(v.detained_at);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        if (badDate) return;
        setBusy(true);
        setError(null);
        try {
          const body: Schemas['CaseCreate'] = {
            ...v,
            detainee_id: detaineeId,
            case_numbers: numbers.split(/[,，\n]/).map((s) => s.trim()).filter(Boolean),
            charges: charges.map((c) => ({ charge: c })),
          };
          const r = await api.POST('/api/v1/cases', { body });
          if (r.error || !r.data) throw toApiError(r.error, r.response);
          void qc.invalidateQueries({ queryKey: ['cases'] });
          onCreated(r.data);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack gap="sm">
        <TextInput error={fe['title']} label={t('case.title')} value={v.title} onChange={(e) => set('title')(e.currentTarget.value)} />
        <Group grow>
          <Select error={fe['status']} label={t('case.status')} data={options('case_statuses')} value={v.status || null} onChange={set('status')} />
          <Select error={fe['stage']} label={t('case.stage')} data={options('stages')} value={v.stage || null} onChange={set('stage')} clearable searchable />
        </Group>
        <TextInput label={t('case.numbers')} description={t('case.numbersHint')} value={numbers} onChange={(e) => setNumbers(e.currentTarget.value)} />
        <TextInput
          label={t('case.detainedAt')}
          description={t('common.partialDateHint')}
          value={v.detained_at}
          error={badDate ? t('common.partialDateHint') : fe['detained_at']}
          onChange={(e) => set('detained_at')(e.currentTarget.value)}
        />
        <TextInput error={fe['detaining_authority']} label={t('case.detainingAuthority')} value={v.detaining_authority} onChange={(e) => set('detaining_authority')(e.currentTarget.value)} />
        <MultiSelect label={t('case.charges')} data={options('charges')} value={charges} onChange={setCharges} searchable />
        <Textarea error={fe['summary']} label={t('case.summary')} autosize minRows={2} value={v.summary} onChange={(e) => set('summary')(e.currentTarget.value)} />
        <ErrorText error={error} />
        <Button type="submit" loading={busy}>
          {t('common.save')}
        </Button>
      </Stack>
    </form>
  );
}
