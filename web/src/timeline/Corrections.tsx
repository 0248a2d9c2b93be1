import { fieldErrorsOf } from '../components/fieldErrors';
import { useState } from 'react';
import { Button, Checkbox, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { EditForm, SaveError } from '../edit/EditForm';
import { ifMatch } from '../edit/patch';
import { isPartialDate } from './dates';
import { EventDetailsFields, type EventDetails } from './EventDetailsFields';

/** The correction form's fields: what PATCH /events/{eid} accepts. */
export type EventForm = EventDetails & {
  type: string;
  occurred_at: string;
  approximate: boolean;
  description: string;
  confidential: boolean;
  extension_months: number;
};

/** The form's values from an event as read. */
export function eventForm(e: Schemas['Event']): EventForm {
  return {
    type: e.type,
    occurred_at: e.occurred_at,
    approximate: e.approximate,
    description: e.description,
    confidential: e.confidential,
    extension_months: e.extension_months,
    place: e.place,
    source: e.source,
    source_reliability: e.source_reliability as EventForm['source_reliability'],
    information_credibility: e.information_credibility as EventForm['information_credibility'],
    lawyer_id: e.lawyer_id ?? '',
    relative_id: e.relative_id ?? '',
    evidence_ids: e.evidence_ids,
  };
}

/** A date the correction may send: a partial date, or the timestamp as read (unchanged). */
export function validOccurredAt(v: string, initial: string): boolean {
  return v === initial || isPartialDate(v);
}

/** Correct an event: only the changed fields are sent with If-Match of the version read (a new revision). */
export function EventCorrect({ e, onSaved, onReload }: { e: Schemas['Event']; onSaved: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  const initial = eventForm(e);
  return (
    <EditForm<EventForm>
      key={e.version}
      initial={initial}
      version={e.version}
      onSaved={onSaved}
      onReload={onReload}
      invalid={(v) => !v.type || !validOccurredAt(v.occurred_at, initial.occurred_at)}
      save={async (patch, im) =>
        unwrap(await api.PATCH('/api/v1/cases/{id}/events/{eid}', { params: { path: { id: e.case_id, eid: e.id }, header: { 'If-Match': im } }, body: patch }))
      }
    >
      {(v, set, fe) => (
        <>
          <Select label={t('timeline.type')} required searchable data={options('event_types')} value={v.type} onChange={(x) => set('type', x ?? '')} comboboxProps={{ withinPortal: true }} error={fe.type} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('timeline.when')}
              description={t('timeline.whenHint')}
              required
              value={v.occurred_at}
              onChange={(x) => set('occurred_at', x.currentTarget.value)}
              error={validOccurredAt(v.occurred_at, initial.occurred_at) ? fe.occurred_at : t('timeline.badDate')}
            />
            {v.type === 'custody_extended' && (
              <NumberInput label={t('timeline.extensionMonths')} min={0} max={12} value={v.extension_months} onChange={(x) => set('extension_months', typeof x === 'number' ? x : 0)} error={fe.extension_months} />
            )}
          </SimpleGrid>
          <Checkbox label={t('timeline.approximate')} checked={v.approximate} onChange={(x) => set('approximate', x.currentTarget.checked)} />
          <Textarea label={t('timeline.description')} autosize minRows={3} maxRows={12} value={v.description} onChange={(x) => set('description', x.currentTarget.value)} error={fe.description} />
          <EventDetailsFields
            caseId={e.case_id}
            value={v}
            onChange={(d) => {
              for (const k of ['place', 'source', 'source_reliability', 'information_credibility', 'lawyer_id', 'relative_id', 'evidence_ids'] as const) if (d[k] !== v[k]) set(k, d[k]);
            }}
          />
          <Checkbox label={t('timeline.confidential')} checked={v.confidential} onChange={(x) => set('confidential', x.currentTarget.checked)} />
        </>
      )}
    </EditForm>
  );
}

/** Soft-delete an event with a required reason (the event stays readable with its revisions). */
export function EventDelete({ e, onDone, onReload }: { e: Schemas['Event']; onDone: (deleted: boolean) => void; onReload: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      noValidate
      aria-label={t('timeline.deleteTitle')}
      onSubmit={async (ev) => {
        ev.preventDefault();
        if (!reason.trim()) return;
        setBusy(true);
        setError(null);
        try {
          unwrap(
            await api.DELETE('/api/v1/cases/{id}/events/{eid}', {
              params: { path: { id: e.case_id, eid: e.id }, header: { 'If-Match': ifMatch(e.version) } },
              body: { reason: reason.trim() },
            }),
          );
          void qc.invalidateQueries();
          onDone(true);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack gap="sm">
        <Text size="sm">{t('timeline.deleteHint')}</Text>
        <Textarea label={t('timeline.deleteReason')} required autosize minRows={2} maxLength={2000} value={reason} onChange={(x) => setReason(x.currentTarget.value)} error={fieldErrorsOf(t, error).reason} />
        <SaveError error={error} onReload={onReload} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(false)}>
            {t('timeline.cancel')}
          </Button>
          <Button type="submit" color="red" disabled={!reason.trim()} loading={busy}>
            {t('timeline.delete')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type Admitted = boolean | null;

/** The hearing form's fields: status, outcome, who was admitted, observers present, notes. */
export type HearingFormValues = {
  status: Schemas['Hearing']['status'];
  outcome: string;
  defense_lawyer_admitted: Admitted;
  family_admitted: Admitted;
  diplomats_admitted: Admitted;
  other_observers_admitted: Admitted;
  observers: string;
  notes: string;
  confidential: boolean;
};

const statuses: Array<Schemas['Hearing']['status']> = ['scheduled', 'held', 'postponed', 'cancelled', 'held_without_notice'];
const admittedFields = ['defense_lawyer_admitted', 'family_admitted', 'diplomats_admitted', 'other_observers_admitted'] as const;

/** Tri-state select value: "yes", "no" or "unknown" (null). */
export const admittedValue = (a: Admitted) => (a === null ? 'unknown' : a ? 'yes' : 'no');
export const admittedFrom = (s: string | null): Admitted => (s === 'yes' ? true : s === 'no' ? false : null);

/** Record a hearing's outcome: status, who was admitted, observers present, notes (PATCH + If-Match). */
export function HearingEdit({ h, onSaved, onReload }: { h: Schemas['Hearing']; onSaved: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const admittedOptions = [
    { value: 'unknown', label: t('hearings.admitted.unknown') },
    { value: 'yes', label: t('hearings.admitted.yes') },
    { value: 'no', label: t('hearings.admitted.no') },
  ];
  return (
    <EditForm<HearingFormValues>
      key={h.version}
      initial={{
        status: h.status,
        outcome: h.outcome,
        defense_lawyer_admitted: h.defense_lawyer_admitted,
        family_admitted: h.family_admitted,
        diplomats_admitted: h.diplomats_admitted,
        other_observers_admitted: h.other_observers_admitted,
        observers: h.observers,
        notes: h.notes,
        confidential: h.confidential,
      }}
      version={h.version}
      onSaved={onSaved}
      onReload={onReload}
      save={async (patch, im) =>
        unwrap(await api.PATCH('/api/v1/cases/{id}/hearings/{hid}', { params: { path: { id: h.case_id, hid: h.id }, header: { 'If-Match': im } }, body: patch }))
      }
    >
      {(v, set, fe) => (
        <>
          <Select
            label={t('hearings.status')}
            error={fe.status}
            required
            data={statuses.map((s) => ({ value: s, label: label('hearing_statuses', s) }))}
            value={v.status}
            onChange={(x) => x && set('status', x as HearingFormValues['status'])}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <Textarea label={t('hearings.outcome')} autosize minRows={2} maxRows={10} value={v.outcome} onChange={(x) => set('outcome', x.currentTarget.value)} error={fe.outcome} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {admittedFields.map((f) => (
              <Select
                key={f}
                label={t(`hearings.${f}`)}
                data={admittedOptions}
                value={admittedValue(v[f])}
                onChange={(x) => set(f, admittedFrom(x))}
                error={fe[f]}
                allowDeselect={false}
                comboboxProps={{ withinPortal: true }}
              />
            ))}
          </SimpleGrid>
          <Textarea label={t('hearings.observers')} description={t('hearings.observersHint')} autosize minRows={2} maxLength={5000} value={v.observers} onChange={(x) => set('observers', x.currentTarget.value)} error={fe.observers} />
          <Textarea label={t('hearings.notes')} autosize minRows={2} maxRows={10} value={v.notes} onChange={(x) => set('notes', x.currentTarget.value)} error={fe.notes} />
          <Checkbox label={t('timeline.confidential')} checked={v.confidential} onChange={(x) => set('confidential', x.currentTarget.checked)} />
        </>
      )}
    </EditForm>
  );
}
