import { useState } from 'react';
import { Checkbox, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { EditForm } from '../edit/EditForm';
import { Area, PartialDateInput } from '../edit/inputs';
import { partialDateRe } from '../edit/patch';
import { evidenceKinds } from './kinds';

/** The metadata form's fields (the content, its hash and filename never change). */
export type EvidenceForm = { title: string; kind: string; captured_at: string; description: string; source: string; language: string; confidential: boolean };

export function evidenceForm(e: Schemas['Evidence']): EvidenceForm {
  return { title: e.title, kind: e.kind, captured_at: e.captured_at ?? '', description: e.description, source: e.source, language: e.language, confidential: e.confidential };
}

/** The PATCH body: the changed fields with the version read (the evidence API takes the version in the body; 412 when stale). */
export function evidenceBody(patch: Partial<EvidenceForm>, version: number): Schemas['EvidencePatch'] {
  return { ...patch, version };
}

/** Edit an evidence item's metadata; a 412 offers to reload the item as stored now. */
export default function EvidenceEdit({ item, onSaved }: { item: Schemas['Evidence']; onSaved: () => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState(item);
  return (
    <EditForm<EvidenceForm>
      key={current.version}
      initial={evidenceForm(current)}
      version={current.version}
      onSaved={onSaved}
      onReload={async () =>
        setCurrent(unwrap(await api.GET('/api/v1/cases/{id}/evidence/{eid}', { params: { path: { id: current.case_id, eid: current.id } } })))
      }
      invalid={(v) => !v.title.trim() || !partialDateRe.test(v.captured_at)}
      save={async (patch) =>
        unwrap(await api.PATCH('/api/v1/cases/{id}/evidence/{eid}', { params: { path: { id: current.case_id, eid: current.id } }, body: evidenceBody(patch, current.version) }))
      }
    >
      {(v, set) => (
        <>
          <TextInput label={t('evidence.itemTitle')} required value={v.title} onChange={(x) => set('title', x.currentTarget.value)} error={v.title.trim() ? undefined : t('evidence.titleRequired')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('evidence.kind')}
              data={evidenceKinds.map((k) => ({ value: k, label: t(`evidence.kinds.${k}`) }))}
              value={v.kind}
              onChange={(x) => x && set('kind', x)}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
            />
            <PartialDateInput label={t('evidence.capturedAt')} value={v.captured_at} onChange={(x) => set('captured_at', x)} />
            <TextInput label={t('evidence.source')} value={v.source} onChange={(x) => set('source', x.currentTarget.value)} />
            <TextInput label={t('evidence.language')} value={v.language} onChange={(x) => set('language', x.currentTarget.value)} />
          </SimpleGrid>
          <Area label={t('evidence.description')} value={v.description} onChange={(x) => set('description', x)} />
          <Checkbox label={t('evidence.confidentialItem')} checked={v.confidential} onChange={(x) => set('confidential', x.currentTarget.checked)} />
        </>
      )}
    </EditForm>
  );
}
