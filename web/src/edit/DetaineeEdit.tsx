import { ActionIcon, Button, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { EditForm } from './EditForm';
import { Area, Line, NameForms, PartialDateInput, VocabSelect } from './inputs';
import { partialDateRe } from './patch';

type Form = {
  name: string;
  other_names: Array<{ name: string; kind: string }>;
  sex: string;
  born_at: string;
  died_at: string;
  ethnic_group: string;
  religion: string;
  occupation_category: string;
  occupation: string;
  home_province: string;
  home_place: string;
  nationality: string;
  issue: string;
  detention_status: string;
  detention_place: string;
  facility_type: string;
  health_concerns: string;
  cross_references: Array<{ database: string; record_id: string }>;
  summary: string;
  source: string;
  source_reliability: string;
  information_credibility: string;
  family_contacts?: string;
  home_address?: string;
  confidential_notes?: string;
};

function toForm(d: Schemas['Detainee']): Form {
  const f: Form = {
    name: d.name,
    other_names: d.other_names.map((n) => ({ name: n.name, kind: n.kind })),
    sex: d.sex,
    born_at: d.born_at ?? '',
    died_at: d.died_at ?? '',
    ethnic_group: d.ethnic_group,
    religion: d.religion,
    occupation_category: d.occupation_category,
    occupation: d.occupation,
    home_province: d.home_province,
    home_place: d.home_place,
    nationality: d.nationality ?? '',
    issue: d.issue,
    detention_status: d.detention_status,
    detention_place: d.detention_place,
    facility_type: d.facility_type,
    health_concerns: d.health_concerns,
    cross_references: d.cross_references.map((c) => ({ database: c.database, record_id: c.record_id })),
    summary: d.summary,
    source: d.source,
    source_reliability: d.source_reliability,
    information_credibility: d.information_credibility,
  };
  // Confidential fields only when the server sent them (never sent back otherwise).
  if (d.family_contacts !== undefined) f.family_contacts = d.family_contacts;
  if (d.home_address !== undefined) f.home_address = d.home_address;
  if (d.confidential_notes !== undefined) f.confidential_notes = d.confidential_notes;
  return f;
}

/** Every field of a detainee, saved with PATCH + If-Match. */
export default function DetaineeEdit({ d, onSaved, onReload }: { d: Schemas['Detainee']; onSaved: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  return (
    <EditForm<Form>
      key={d.version}
      initial={toForm(d)}
      version={d.version}
      onSaved={onSaved}
      onReload={onReload}
      invalid={(v) => !v.name.trim() || !partialDateRe.test(v.born_at) || !partialDateRe.test(v.died_at)}
      save={async (patch, ifMatch) => {
        const body: Schemas['DetaineeInput'] = { ...patch };
        if (patch.other_names) body.other_names = patch.other_names.filter((n) => n.name.trim());
        if (patch.cross_references) body.cross_references = patch.cross_references.filter((c) => c.database.trim() || c.record_id.trim());
        return unwrap(await api.PATCH('/api/v1/detainees/{id}', { params: { path: { id: d.id }, header: { 'If-Match': ifMatch } }, body }));
      }}
    >
      {(v, set) => (
        <>
          <Line field="name" label={t('detainee.name')} required value={v.name} onChange={(x) => set('name', x)} />
          <NameForms value={v.other_names} onChange={(x) => set('other_names', x)} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <VocabSelect field="sex" label={t('detainee.sex')} vocab="sexes" value={v.sex} onChange={(x) => set('sex', x)} />
            <PartialDateInput field="born_at" label={t('detainee.bornAt')} value={v.born_at} onChange={(x) => set('born_at', x)} />
            <PartialDateInput field="died_at" label={t('detainee.diedAt')} value={v.died_at} onChange={(x) => set('died_at', x)} />
            <Line field="ethnic_group" label={t('detainee.ethnicGroup')} value={v.ethnic_group} onChange={(x) => set('ethnic_group', x)} />
            <Line field="religion" label={t('detainee.religion')} value={v.religion} onChange={(x) => set('religion', x)} />
            <Line field="occupation_category" label={t('edit.occupationCategory')} value={v.occupation_category} onChange={(x) => set('occupation_category', x)} />
            <Line field="occupation" label={t('detainee.occupation')} value={v.occupation} onChange={(x) => set('occupation', x)} />
            <Line field="home_province" label={t('detainee.province')} value={v.home_province} onChange={(x) => set('home_province', x)} />
            <Line field="home_place" label={t('detainee.homePlace')} value={v.home_place} onChange={(x) => set('home_place', x)} />
            <Line field="nationality" label={t('detainee.nationality')} value={v.nationality} onChange={(x) => set('nationality', x)} />
            <VocabSelect field="issue" label={t('detainee.issue')} vocab="issue_categories" value={v.issue} onChange={(x) => set('issue', x)} />
            <VocabSelect field="detention_status" label={t('detainee.status')} vocab="detention_statuses" value={v.detention_status} onChange={(x) => set('detention_status', x)} />
            <Line field="detention_place" label={t('detainee.detentionPlace')} value={v.detention_place} onChange={(x) => set('detention_place', x)} />
            <VocabSelect field="facility_type" label={t('detainee.facilityType')} vocab="facility_types" value={v.facility_type} onChange={(x) => set('facility_type', x)} />
          </SimpleGrid>
          <Area field="health_concerns" label={t('detainee.health')} value={v.health_concerns} onChange={(x) => set('health_concerns', x)} />
          <Area field="summary" label={t('detainee.summary')} value={v.summary} onChange={(x) => set('summary', x)} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Line field="source" label={t('edit.source')} value={v.source} onChange={(x) => set('source', x)} />
            <VocabSelect field="source_reliability" label={t('edit.sourceReliability')} vocab="source_reliability" value={v.source_reliability} onChange={(x) => set('source_reliability', x)} />
            <VocabSelect field="information_credibility" label={t('edit.credibility')} vocab="information_credibility" value={v.information_credibility} onChange={(x) => set('information_credibility', x)} />
          </SimpleGrid>
          <CrossReferences value={v.cross_references} onChange={(x) => set('cross_references', x)} />
          {v.family_contacts !== undefined && (
            <Stack gap="sm" p="sm" style={{ border: '1px solid var(--mantine-color-red-7)', borderRadius: 4 }}>
              <Title order={3} size="h5">
                {t('detainee.confidential')}
              </Title>
              <Area field="family_contacts" label={t('detainee.familyContacts')} value={v.family_contacts} onChange={(x) => set('family_contacts', x)} />
              <Area field="home_address" label={t('detainee.homeAddress')} value={v.home_address ?? ''} onChange={(x) => set('home_address', x)} />
              <Area field="confidential_notes" label={t('detainee.notes')} value={v.confidential_notes ?? ''} onChange={(x) => set('confidential_notes', x)} />
            </Stack>
          )}
        </>
      )}
    </EditForm>
  );
}

function CrossReferences({ value, onChange }: { value: Array<{ database: string; record_id: string }>; onChange: (v: Array<{ database: string; record_id: string }>) => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {t('detainee.crossReferences')}
      </Text>
      {value.map((c, i) => (
        <Group key={i} align="end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={t('edit.database', { n: i + 1 })}
            value={c.database}
            onChange={(e) => {
              const database = e.currentTarget.value;
              onChange(value.map((x, j) => (j === i ? { ...x, database } : x)));
            }}
          />
          <TextInput
            style={{ flex: 1 }}
            label={t('edit.recordId', { n: i + 1 })}
            value={c.record_id}
            onChange={(e) => {
              const record_id = e.currentTarget.value;
              onChange(value.map((x, j) => (j === i ? { ...x, record_id } : x)));
            }}
          />
          <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('edit.removeReference', { n: i + 1 })} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button variant="light" size="xs" style={{ alignSelf: 'flex-start' }} onClick={() => onChange([...value, { database: '', record_id: '' }])}>
        {t('edit.addReference')}
      </Button>
    </Stack>
  );
}
