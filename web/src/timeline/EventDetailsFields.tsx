import { useFieldErrors } from '../components/fieldErrors';
import { MultiSelect, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';

/** The optional fields of an event beside type, date and description. */
export type EventDetails = {
  place: string;
  source: string;
  source_reliability: '' | 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
  information_credibility: '' | '1' | '2' | '3' | '4' | '5' | '6';
  lawyer_id: string;
  /** The relative of the detainee the event concerns (pressure on the family, issue 25). */
  relative_id: string;
  evidence_ids: string[];
};

export const emptyDetails: EventDetails = { place: '', source: '', source_reliability: '', information_credibility: '', lawyer_id: '', relative_id: '', evidence_ids: [] };

/** The details to add to a new event's body: only those filled in (trimmed). */
export function detailsBody(d: EventDetails): Partial<EventDetails> {
  const out: Partial<EventDetails> = {};
  if (d.place.trim()) out.place = d.place.trim();
  if (d.source.trim()) out.source = d.source.trim();
  if (d.source_reliability) out.source_reliability = d.source_reliability;
  if (d.information_credibility) out.information_credibility = d.information_credibility;
  if (d.lawyer_id) out.lawyer_id = d.lawyer_id;
  if (d.relative_id) out.relative_id = d.relative_id;
  if (d.evidence_ids.length > 0) out.evidence_ids = d.evidence_ids;
  return out;
}

const grades = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
const credibility = ['1', '2', '3', '4', '5', '6'] as const;

/** Place, source with its Admiralty grades, the lawyer concerned (one of the case's lawyers) and linked evidence items. */
export function EventDetailsFields({ caseId, value, onChange, size }: { caseId: string; value: EventDetails; onChange: (v: EventDetails) => void; size?: 'sm' | 'md' }) {
  const { t } = useTranslation();
  const lawyers = useQuery({
    queryKey: ['assignments', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/assignments', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  // The relatives of the case's detainee (issue 25): an event may concern one of them.
  const theCase = useQuery({
    queryKey: ['case', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}', { params: { path: { id: caseId } } })),
  });
  const detaineeId = theCase.data?.detainee_id;
  const relatives = useQuery({
    queryKey: ['relatives', detaineeId],
    enabled: !!detaineeId,
    queryFn: async () => unwrap(await api.GET('/api/v1/detainees/{id}/relatives', { params: { path: { id: detaineeId ?? '' }, query: { limit: 200 } } })).items,
  });
  const evidence = useQuery({
    queryKey: ['evidence-options', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/evidence', { params: { path: { id: caseId }, query: { limit: 100 } } })),
  });
  const set = <K extends keyof EventDetails>(k: K, v: EventDetails[K]) => onChange({ ...value, [k]: v });
  const lawyerOptions = [...new Map((lawyers.data?.items ?? []).map((a) => [a.lawyer_id, a.lawyer_name || a.lawyer_id])).entries()].map(([v, l]) => ({ value: v, label: l }));
  // A lawyer or item set earlier but not in the lists (e.g. the assignment ended long ago) stays selectable.
  if (value.lawyer_id && !lawyerOptions.some((o) => o.value === value.lawyer_id)) lawyerOptions.push({ value: value.lawyer_id, label: value.lawyer_id });
  const relativeOptions = (relatives.data ?? []).map((r) => ({ value: r.id, label: r.name }));
  if (value.relative_id && !relativeOptions.some((o) => o.value === value.relative_id)) relativeOptions.push({ value: value.relative_id, label: value.relative_id });
  const evidenceOptions = (evidence.data?.items ?? []).map((e) => ({ value: e.id, label: e.title || e.filename }));
  for (const id of value.evidence_ids) if (!evidenceOptions.some((o) => o.value === id)) evidenceOptions.push({ value: id, label: id });
  // The enclosing form's refusals (FieldErrors: EditForm, or the quick form).
  const fe = useFieldErrors();
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('timeline.place')} value={value.place} maxLength={500} onChange={(e) => set('place', e.currentTarget.value)} size={size} error={fe.place} />
        <TextInput label={t('timeline.source')} value={value.source} maxLength={2000} onChange={(e) => set('source', e.currentTarget.value)} size={size} error={fe.source} />
        <Select
          label={t('timeline.reliability')}
          data={grades.map((g) => ({ value: g, label: t(`timeline.grades.${g}`) }))}
          value={value.source_reliability || null}
          onChange={(v) => set('source_reliability', (v ?? '') as EventDetails['source_reliability'])}
          error={fe.source_reliability}
          clearable
          comboboxProps={{ withinPortal: true }}
          size={size}
        />
        <Select
          label={t('timeline.credibility')}
          data={credibility.map((g) => ({ value: g, label: t(`timeline.credibilities.${g}`) }))}
          value={value.information_credibility || null}
          onChange={(v) => set('information_credibility', (v ?? '') as EventDetails['information_credibility'])}
          error={fe.information_credibility}
          clearable
          comboboxProps={{ withinPortal: true }}
          size={size}
        />
        <Select
          label={t('timeline.lawyer')}
          data={lawyerOptions}
          value={value.lawyer_id || null}
          onChange={(v) => set('lawyer_id', v ?? '')}
          error={fe.lawyer_id}
          clearable
          searchable
          nothingFoundMessage={t('timeline.noLawyers')}
          comboboxProps={{ withinPortal: true }}
          size={size}
        />
        <Select
          label={t('timeline.relative')}
          data={relativeOptions}
          value={value.relative_id || null}
          onChange={(v) => set('relative_id', v ?? '')}
          error={fe.relative_id}
          clearable
          searchable
          nothingFoundMessage={t('timeline.noRelatives')}
          comboboxProps={{ withinPortal: true }}
          size={size}
        />
        <MultiSelect
          label={t('timeline.evidence')}
          data={evidenceOptions}
          value={value.evidence_ids}
          onChange={(v) => set('evidence_ids', v)}
          error={fe.evidence_ids}
          searchable
          clearable
          nothingFoundMessage={t('timeline.noEvidence')}
          comboboxProps={{ withinPortal: true }}
          size={size}
        />
      </SimpleGrid>
    </Stack>
  );
}
