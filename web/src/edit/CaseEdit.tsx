import { ActionIcon, Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { EditForm } from './EditForm';
import { Area, Line, PartialDateInput, VocabSelect } from './inputs';
import { partialDateRe } from './patch';

export const caseDateFields = [
  'detained_at',
  'rsdl_start_at',
  'rsdl_end_at',
  'arrest_approved_at',
  'indicted_at',
  'trial_at',
  'verdict_at',
  'appeal_at',
  'sentence_start_at',
  'sentence_end_at',
  'release_at',
] as const;

type DateField = (typeof caseDateFields)[number];

type Form = {
  title: string;
  case_numbers: string;
  status: string;
  stage: string;
  charges: Array<{ charge: string; detail: string }>;
  detaining_authority: string;
  investigating_authority: string;
  procuratorate: string;
  court: string;
  detention_place: string;
  sentence: string;
  sentence_kind: string;
  sentence_term_months: string;
  political_rights_months: string;
  sentence_in_force_at: string;
  un_consent_at: string;
  un_consent_method: string;
  un_consent_by?: string;
  summary: string;
  source: string;
  source_reliability: string;
  information_credibility: string;
  confidential_notes?: string;
} & Record<DateField, string>;

/** Case numbers as typed: one per line (commas also separate). */
export function splitNumbers(s: string): string[] {
  return s
    .split(/[,，\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

function toForm(c: Schemas['Case']): Form {
  const f = {
    title: c.title,
    case_numbers: c.case_numbers.join('\n'),
    status: c.status,
    stage: c.stage,
    charges: c.charges.map((x) => ({ charge: x.charge, detail: x.detail })),
    detaining_authority: c.detaining_authority,
    investigating_authority: c.investigating_authority,
    procuratorate: c.procuratorate,
    court: c.court,
    detention_place: c.detention_place,
    sentence: c.sentence,
    sentence_kind: c.sentence_kind ?? '',
    sentence_term_months: monthsText(c.sentence_term_months),
    political_rights_months: monthsText(c.political_rights_months),
    sentence_in_force_at: c.sentence_in_force_at ?? '',
    un_consent_at: c.un_consent_at ?? '',
    un_consent_method: c.un_consent_method ?? '',
    summary: c.summary,
    source: c.source,
    source_reliability: c.source_reliability,
    information_credibility: c.information_credibility,
  } as Form;
  for (const k of caseDateFields) f[k] = c[k] ?? '';
  if (c.confidential_notes !== undefined) f.confidential_notes = c.confidential_notes;
  // Who consented to a UN submission is confidential: only when the server sent it.
  if (c.un_consent_by !== undefined) f.un_consent_by = c.un_consent_by;
  return f;
}

const monthsText = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** A number of months as typed: digits only, or empty (not known). */
export const monthsRe = /^\s*\d{0,4}\s*$/;

/** The months to send: null when empty. */
export const monthsValue = (s: string): number | null => (s.trim() === '' ? null : Number(s.trim()));

/** Every field of a case (charges, authorities, all dates), saved with PATCH + If-Match. */
export default function CaseEdit({ c, onSaved, onReload }: { c: Schemas['Case']; onSaved: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <EditForm<Form>
      key={c.version}
      initial={toForm(c)}
      version={c.version}
      onSaved={onSaved}
      onReload={onReload}
      invalid={(v) =>
        caseDateFields.some((k) => !partialDateRe.test(v[k])) ||
        !partialDateRe.test(v.sentence_in_force_at) ||
        !partialDateRe.test(v.un_consent_at) ||
        !monthsRe.test(v.sentence_term_months) ||
        !monthsRe.test(v.political_rights_months) ||
        v.charges.some((x) => !x.charge)
      }
      save={async (patch, ifMatch) => {
        const { case_numbers, sentence_term_months, political_rights_months, ...rest } = patch;
        const body: Schemas['CaseInput'] = { ...rest };
        if (sentence_term_months !== undefined) body.sentence_term_months = monthsValue(sentence_term_months);
        if (political_rights_months !== undefined) body.political_rights_months = monthsValue(political_rights_months);
        if (case_numbers !== undefined) body.case_numbers = splitNumbers(case_numbers);
        if (patch.charges) body.charges = patch.charges.map((x) => ({ charge: x.charge, detail: x.detail.trim() }));
        return unwrap(await api.PATCH('/api/v1/cases/{id}', { params: { path: { id: c.id }, header: { 'If-Match': ifMatch } }, body }));
      }}
    >
      {(v, set) => (
        <>
          <Line field="title" label={t('case.title')} value={v.title} onChange={(x) => set('title', x)} />
          <Textarea label={t('case.numbers')} description={t('edit.numbersHint')} autosize minRows={1} value={v.case_numbers} onChange={(e) => set('case_numbers', e.currentTarget.value)} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <VocabSelect field="status" label={t('case.status')} vocab="case_statuses" value={v.status} onChange={(x) => set('status', x)} required />
            <VocabSelect field="stage" label={t('case.stage')} vocab="stages" value={v.stage} onChange={(x) => set('stage', x)} />
          </SimpleGrid>
          <Charges value={v.charges} onChange={(x) => set('charges', x)} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Line field="detaining_authority" label={t('case.detainingAuthority')} value={v.detaining_authority} onChange={(x) => set('detaining_authority', x)} />
            <Line field="investigating_authority" label={t('case.investigatingAuthority')} value={v.investigating_authority} onChange={(x) => set('investigating_authority', x)} />
            <Line field="procuratorate" label={t('case.procuratorate')} value={v.procuratorate} onChange={(x) => set('procuratorate', x)} />
            <Line field="court" label={t('case.court')} value={v.court} onChange={(x) => set('court', x)} />
            <Line field="detention_place" label={t('case.detentionPlace')} value={v.detention_place} onChange={(x) => set('detention_place', x)} />
          </SimpleGrid>
          <Title order={3} size="h5">
            {t('edit.dates')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {caseDateFields.map((k) => (
              <PartialDateInput key={k} field={k} label={t(`case.dates.${k}`)} value={v[k]} onChange={(x) => set(k, x)} />
            ))}
          </SimpleGrid>
          <Title order={3} size="h5">
            {t('sentence.title')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <VocabSelect field="sentence_kind" label={t('sentence.kind')} vocab="sentence_kinds" value={v.sentence_kind} onChange={(x) => set('sentence_kind', x)} />
            <PartialDateInput field="sentence_in_force_at" label={t('sentence.inForce')} value={v.sentence_in_force_at} onChange={(x) => set('sentence_in_force_at', x)} />
            <MonthsInput label={t('sentence.termMonths')} value={v.sentence_term_months} onChange={(x) => set('sentence_term_months', x)} />
            <MonthsInput label={t('sentence.politicalRightsMonths')} value={v.political_rights_months} onChange={(x) => set('political_rights_months', x)} />
          </SimpleGrid>
          <Line field="sentence" label={t('sentence.asPronounced')} value={v.sentence} onChange={(x) => set('sentence', x)} />
          <Title order={3} size="h5">
            {t('consent.title')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {v.un_consent_by !== undefined && <Line field="un_consent_by" label={t('consent.by')} value={v.un_consent_by} onChange={(x) => set('un_consent_by', x)} />}
            <PartialDateInput field="un_consent_at" label={t('consent.at')} value={v.un_consent_at} onChange={(x) => set('un_consent_at', x)} />
            <VocabSelect field="un_consent_method" label={t('consent.method')} vocab="consent_methods" value={v.un_consent_method} onChange={(x) => set('un_consent_method', x)} />
          </SimpleGrid>
          <Area field="summary" label={t('case.summary')} value={v.summary} onChange={(x) => set('summary', x)} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Line field="source" label={t('edit.source')} value={v.source} onChange={(x) => set('source', x)} />
            <VocabSelect field="source_reliability" label={t('edit.sourceReliability')} vocab="source_reliability" value={v.source_reliability} onChange={(x) => set('source_reliability', x)} />
            <VocabSelect field="information_credibility" label={t('edit.credibility')} vocab="information_credibility" value={v.information_credibility} onChange={(x) => set('information_credibility', x)} />
          </SimpleGrid>
          {v.confidential_notes !== undefined && <Area field="confidential_notes" label={t('case.confidentialNotes')} value={v.confidential_notes} onChange={(x) => set('confidential_notes', x)} />}
        </>
      )}
    </EditForm>
  );
}

function Charges({ value, onChange }: { value: Array<{ charge: string; detail: string }>; onChange: (v: Array<{ charge: string; detail: string }>) => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('case.charges')}
      </Text>
      {value.map((c, i) => (
        <Group key={i} align="end" wrap="nowrap">
          <Select
            style={{ flex: 1 }}
            label={t('edit.charge', { n: i + 1 })}
            data={options('charges')}
            value={c.charge || null}
            searchable
            error={!c.charge ? t('edit.chooseCharge') : undefined}
            onChange={(charge) => onChange(value.map((x, j) => (j === i ? { ...x, charge: charge ?? '' } : x)))}
          />
          <TextInput
            style={{ flex: 1 }}
            label={t('edit.chargeDetail', { n: i + 1 })}
            value={c.detail}
            onChange={(e) => {
              const detail = e.currentTarget.value;
              onChange(value.map((x, j) => (j === i ? { ...x, detail } : x)));
            }}
          />
          <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('edit.removeCharge', { n: i + 1 })} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button variant="light" size="xs" style={{ alignSelf: 'flex-start' }} onClick={() => onChange([...value, { charge: '', detail: '' }])}>
        {t('edit.addCharge')}
      </Button>
    </Stack>
  );
}

/** A number of months (the term of a sentence), with its hint and error. */
function MonthsInput({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={label}
      description={t('sentence.monthsHint')}
      inputMode="numeric"
      value={value}
      error={monthsRe.test(value) ? undefined : t('sentence.badMonths')}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
