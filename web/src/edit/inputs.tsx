import { ActionIcon, Button, Group, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useVocab } from '../api/hooks';
import { useFieldError } from '../components/fieldErrors';
import { partialDateRe } from './patch';

/** A partial-date input (YYYY, YYYY-MM, YYYY-MM-DD, optional ~) with its hint and error. */
export function PartialDateInput({ label, value, onChange, field }: { label: string; value: string; onChange: (v: string) => void; field?: string }) {
  const { t } = useTranslation();
  const bad = !partialDateRe.test(value);
  const server = useFieldError(field);
  return (
    <TextInput
      label={label}
      description={t('common.partialDateHint')}
      value={value}
      error={bad ? t('edit.badDate') : server}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}

/** A select of a controlled vocabulary; empty means not set. */
export function VocabSelect({
  label,
  vocab,
  value,
  onChange,
  required,
  field,
}: {
  label: string;
  vocab: string;
  value: string;
  onChange: (v: string) => void;
  required?: boolean;
  field?: string;
}) {
  const { options } = useVocab();
  const error = useFieldError(field);
  return (
    <Select
      label={label}
      data={options(vocab)}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      clearable={!required}
      allowDeselect={!required}
      searchable
      error={error}
    />
  );
}

/** A one-line text input; field (the API's name) shows the server's refusal of it under it. */
export function Line({ label, value, onChange, required, field }: { label: string; value: string; onChange: (v: string) => void; required?: boolean; field?: string }) {
  const error = useFieldError(field);
  return <TextInput label={label} value={value} required={required} error={error} onChange={(e) => onChange(e.currentTarget.value)} />;
}

/** A text area; field (the API's name) shows the server's refusal of it under it. */
export function Area({ label, value, onChange, field }: { label: string; value: string; onChange: (v: string) => void; field?: string }) {
  const error = useFieldError(field);
  return <Textarea label={label} value={value} autosize minRows={2} maxRows={10} error={error} onChange={(e) => onChange(e.currentTarget.value)} />;
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
