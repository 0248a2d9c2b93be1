import { useState } from 'react';
import { ActionIcon, Button, Group, Select, Stack, TextInput, Textarea, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { api, toApiError, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { ErrorText } from './ErrorText';
import { fieldErrorsOf } from './fieldErrors';

const partialDate = /^$|^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?~?$/;

/** Create a detainee: the primary name and every other name form, with the main facts. */
export function DetaineeForm({ onCreated }: { onCreated: (d: Schemas['Detainee']) => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  const qc = useQueryClient();
  const [v, setV] = useState({ name: '', sex: '', born_at: '', died_at: '', detention_status: '', issue: '', home_province: '', nationality: '', summary: '' });
  const [names, setNames] = useState<Array<{ name: string; kind: string }>>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof v) => (val: string | null) => setV((s) => ({ ...s, [k]: val ?? '' }));
  // The server's refusals, each under its field in the user's language.
  const fe = fieldErrorsOf(t, error);
  const badDate = !partialDate.test(v.born_at);
  const badDeath = !partialDate.test(v.died_at);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        if (badDate || badDeath) return;
        setBusy(true);
        setError(null);
        try {
          const { nationality, died_at, ...rest } = v;
          // Nationality and date of death only when given (an older server refuses unknown fields).
          const body: Schemas['DetaineeInput'] = {
            ...rest,
            ...(nationality.trim() ? { nationality: nationality.trim() } : {}),
            ...(died_at.trim() ? { died_at: died_at.trim() } : {}),
            other_names: names.filter((n) => n.name.trim()),
          };
          const r = await api.POST('/api/v1/detainees', { body });
          if (r.error || !r.data) throw toApiError(r.error, r.response);
          void qc.invalidateQueries({ queryKey: ['detainees'] });
          onCreated(r.data);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack gap="sm">
        <TextInput error={fe['name']} label={t('detainee.name')} required value={v.name} onChange={(e) => set('name')(e.currentTarget.value)} />
        <Text size="sm" fw={500}>
          {t('detainee.otherNames')}
        </Text>
        {names.map((n, i) => (
          <Group key={i} align="end" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              label={t('detainee.otherName', { n: i + 1 })}
              dir="auto"
              value={n.name}
              onChange={(e) => {
                const val = e.currentTarget.value;
                setNames((a) => a.map((x, j) => (j === i ? { ...x, name: val } : x)));
              }}
            />
            <Select
              label={t('detainee.nameKind')}
              data={options('name_kinds')}
              value={n.kind}
              onChange={(k) => setNames((a) => a.map((x, j) => (j === i ? { ...x, kind: k ?? 'other' } : x)))}
            />
            <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('common.remove')} onClick={() => setNames((a) => a.filter((_, j) => j !== i))}>
              ×
            </ActionIcon>
          </Group>
        ))}
        <Button variant="light" size="xs" onClick={() => setNames((a) => [...a, { name: '', kind: 'simplified' }])}>
          {t('detainee.addName')}
        </Button>
        <Group grow>
          <Select error={fe['sex']} label={t('detainee.sex')} data={options('sexes')} value={v.sex || null} onChange={set('sex')} clearable />
          <TextInput
            label={t('detainee.bornAt')}
            description={t('common.partialDateHint')}
            value={v.born_at}
            error={badDate ? t('common.partialDateHint') : fe['born_at']}
            onChange={(e) => set('born_at')(e.currentTarget.value)}
          />
          <TextInput
            label={t('detainee.diedAt')}
            description={t('common.partialDateHint')}
            value={v.died_at}
            error={badDeath ? t('common.partialDateHint') : fe['died_at']}
            onChange={(e) => set('died_at')(e.currentTarget.value)}
          />
        </Group>
        <Select error={fe['detention_status']} label={t('detainee.status')} data={options('detention_statuses')} value={v.detention_status || null} onChange={set('detention_status')} clearable searchable />
        <Select error={fe['issue']} label={t('detainee.issue')} data={options('issue_categories')} value={v.issue || null} onChange={set('issue')} clearable searchable />
        <Group grow>
          <TextInput error={fe['home_province']} label={t('detainee.province')} value={v.home_province} onChange={(e) => set('home_province')(e.currentTarget.value)} />
          <TextInput error={fe['nationality']} label={t('detainee.nationality')} value={v.nationality} onChange={(e) => set('nationality')(e.currentTarget.value)} />
        </Group>
        <Textarea error={fe['summary']} label={t('detainee.summary')} autosize minRows={2} value={v.summary} onChange={(e) => set('summary')(e.currentTarget.value)} />
        <ErrorText error={error} />
        <Button type="submit" loading={busy}>
          {t('common.save')}
        </Button>
      </Stack>
    </form>
  );
}
