import { ActionIcon, Button, Group, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useVocab } from '../api/hooks';
import { partialDateRe } from './patch';

/** A partial-date input (YYYY, YYYY-MM, YYYY-MM-DD, optional ~) with its hint and error. */
export function PartialDateInput({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  const bad = !partialDateRe.test(value);
  return (
    <TextInput
      label={label}
      description={t('common.partialDateHint')}
      value={value}
      error={bad ? t('edit.badDate') : undefined}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}

/** A select of a controlled vocabulary; empty means not set. */
export function VocabSelect({ label, vocab, value, onChange, required }: { label: string; vocab: string; value: string; onChange: (v: string) => void; required?: boolean }) {
  const { options } = useVocab();
  return (
    <Select label={label} data={options(vocab)} value={value || null} onChange={(v) => onChange(v ?? '')} clearable={!required} allowDeselect={!required} searchable />
  );
}

export function Line({ label, value, onChange, required }: { label: string; value: string; onChange: (v: string) => void; required?: boolean }) {
  return <TextInput label={label} value={value} required={required} onChange={(e) => onChange(e.currentTarget.value)} />;
}

export function Area({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return <Textarea label={label} value={value} autosize minRows={2} maxRows={10} onChange={(e) => onChange(e.currentTarget.value)} />;
}

/** Every other name form of a person, each with its kind. */
export function NameForms({ value, onChange }: { value: Array<{ name: string; kind: string }>; onChange: (v: Array<{ name: string; kind: string }>) => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('detainee.otherNames')}
      </Text>
      {value.map((n, i) => (
        <Group key={i} align="end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={t('detainee.otherName', { n: i + 1 })}
            dir="auto"
            value={n.name}
            onChange={(e) => {
              const name = e.currentTarget.value;
              onChange(value.map((x, j) => (j === i ? { ...x, name } : x)));
            }}
          />
          <Select
            label={t('detainee.nameKind')}
            data={options('name_kinds')}
            value={n.kind || null}
            onChange={(k) => onChange(value.map((x, j) => (j === i ? { ...x, kind: k ?? 'other' } : x)))}
          />
          <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('edit.removeName', { n: i + 1 })} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button variant="light" size="xs" onClick={() => onChange([...value, { name: '', kind: 'simplified' }])} style={{ alignSelf: 'flex-start' }}>
        {t('detainee.addName')}
      </Button>
    </Stack>
  );
}
