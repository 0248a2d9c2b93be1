import { Checkbox, MultiSelect, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useFieldError } from '../components/fieldErrors';
import { UserPicker } from '../components/UserPicker';
import { DetaineePicker } from '../links/pickers';
import { useVocab } from '../api/hooks';
import { EditForm } from './EditForm';
import { Area, Line, NameForms, VocabSelect } from './inputs';

type Form = {
  name: string;
  other_names: Array<{ name: string; kind: string }>;
  law_firm: string;
  licence_number: string;
  jurisdiction: string;
  licence_status: string;
  risk_status: string[];
  user_id?: string;
  /** The detainee record that is this lawyer (managers set it). */
  detainee_id?: string;
  /** Must not be named outside (managers set it). */
  confidential?: boolean;
  contact?: string;
  confidential_notes?: string;
};

function toForm(l: Schemas['Lawyer'], manager: boolean): Form {
  const f: Form = {
    name: l.name,
    other_names: l.other_names.map((n) => ({ name: n.name, kind: n.kind })),
    law_firm: l.law_firm,
    licence_number: l.licence_number,
    jurisdiction: l.jurisdiction,
    licence_status: l.licence_status,
    risk_status: [...l.risk_status],
  };
  if (manager) {
    f.user_id = l.user_id ?? '';
    f.detainee_id = l.detainee_id ?? '';
    f.confidential = l.confidential;
  }
  if (l.contact !== undefined) f.contact = l.contact;
  if (l.confidential_notes !== undefined) f.confidential_notes = l.confidential_notes;
  return f;
}

/** Every field of a lawyer (admins and coordinators also link the lawyer's account), saved with PATCH + If-Match. */
export default function LawyerEdit({ l, manager, onSaved, onReload }: { l: Schemas['Lawyer']; manager: boolean; onSaved: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  return (
    <EditForm<Form>
      key={l.version}
      initial={toForm(l, manager)}
      version={l.version}
      onSaved={onSaved}
      onReload={onReload}
      invalid={(v) => !v.name.trim()}
      save={async (patch, ifMatch) => {
        const body: Schemas['LawyerInput'] = { ...patch };
        if (patch.other_names) body.other_names = patch.other_names.filter((n) => n.name.trim());
        return unwrap(await api.PATCH('/api/v1/lawyers/{id}', { params: { path: { id: l.id }, header: { 'If-Match': ifMatch } }, body }));
      }}
    >
      {(v, set) => (
        <>
          <Line field="name" label={t('lawyer.name')} required value={v.name} onChange={(x) => set('name', x)} />
          <NameForms value={v.other_names} onChange={(x) => set('other_names', x)} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Line field="law_firm" label={t('lawyer.firm')} value={v.law_firm} onChange={(x) => set('law_firm', x)} />
            <Line field="licence_number" label={t('lawyer.licenceNumber')} value={v.licence_number} onChange={(x) => set('licence_number', x)} />
            <Line field="jurisdiction" label={t('lawyer.jurisdiction')} value={v.jurisdiction} onChange={(x) => set('jurisdiction', x)} />
            <VocabSelect field="licence_status" label={t('lawyer.licenceStatus')} vocab="licence_statuses" value={v.licence_status} onChange={(x) => set('licence_status', x)} />
          </SimpleGrid>
          <MultiSelect label={t('lawyer.risks')} data={options('risk_statuses')} value={v.risk_status} onChange={(x) => set('risk_status', x)} searchable />
          {v.user_id !== undefined && (
            <LinkedAccount value={v.user_id} onChange={(x) => set('user_id', x ?? '')} />
          )}
          {v.detainee_id !== undefined && <DetainedAs value={v.detainee_id} onChange={(x) => set('detainee_id', x ?? '')} />}
          {v.confidential !== undefined && (
            <Checkbox label={t('lawyer.confidential')} description={t('lawyer.confidentialHint')} checked={v.confidential} onChange={(x) => set('confidential', x.currentTarget.checked)} />
          )}
          {v.contact !== undefined && <Area field="contact" label={t('edit.contact')} value={v.contact} onChange={(x) => set('contact', x)} />}
          {v.confidential_notes !== undefined && <Area field="confidential_notes" label={t('case.confidentialNotes')} value={v.confidential_notes} onChange={(x) => set('confidential_notes', x)} />}
        </>
      )}
    </EditForm>
  );
}

/** The lawyer's own account: lawyer accounts not linked to another record, found by name; its refusal under it. */
function LinkedAccount({ value, onChange }: { value: string; onChange: (id: string | null) => void }) {
  const { t } = useTranslation();
  const error = useFieldError('user_id');
  return (
    <UserPicker
      label={t('userPicker.linkLabel')}
      description={t('userPicker.linkHint')}
      role="lawyer"
      unlinked
      value={value || null}
      onChange={onChange}
      clearable
      error={error}
    />
  );
}

/** The detainee record of this same person, when the lawyer has been detained; its refusal under it. */
function DetainedAs({ value, onChange }: { value: string; onChange: (id: string | null) => void }) {
  const { t } = useTranslation();
  const error = useFieldError('detainee_id');
  return <DetaineePicker label={t('caseLinks.detaineePick')} description={t('caseLinks.detaineePickHint')} value={value || null} onChange={onChange} error={error} />;
}
