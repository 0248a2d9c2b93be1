import { Checkbox, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useFieldError } from '../components/fieldErrors';
import { EditForm } from '../edit/EditForm';
import { Area, Line } from '../edit/inputs';
import { useSupportVocab } from '../support/vocab';

type Form = { name: string; kind: Schemas['PartnerKind']; country: string; contacts: string; notes: string; confidential: boolean };

/** Every field of a partner (the linked observer accounts are kept as they are), saved with PATCH + If-Match. */
export default function PartnerEdit({ p, onSaved, onReload }: { p: Schemas['Partner']; onSaved: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { options } = useSupportVocab();
  const kindError = useFieldError('kind');
  return (
    <EditForm<Form>
      key={p.version}
      initial={{ name: p.name, kind: p.kind, country: p.country, contacts: p.contacts ?? '', notes: p.notes ?? '', confidential: p.confidential }}
      version={p.version}
      onSaved={onSaved}
      onReload={onReload}
      invalid={(v) => !v.name.trim()}
      save={async (patch, ifMatch) => {
        const body: Schemas['PartnerInput'] = { ...patch };
        if (body.country !== undefined) body.country = body.country.trim().toUpperCase();
        return unwrap(await api.PATCH('/api/v1/partners/{id}', { params: { path: { id: p.id }, header: { 'If-Match': ifMatch } }, body }));
      }}
    >
      {(v, set) => (
        <>
          <Line field="name" label={t('partner.name')} required value={v.name} onChange={(x) => set('name', x)} />
          <Select label={t('partner.kind')} required data={options('partner_kinds')} value={v.kind} error={kindError} onChange={(x) => x && set('kind', x as Schemas['PartnerKind'])} />
          <Line field="country" label={t('partner.country')} value={v.country} onChange={(x) => set('country', x)} />
          <Area field="contacts" label={t('partner.contacts')} value={v.contacts} onChange={(x) => set('contacts', x)} />
          <Area field="notes" label={t('partner.notes')} value={v.notes} onChange={(x) => set('notes', x)} />
          <Checkbox label={t('partner.confidential')} description={t('partner.confidentialHint')} checked={v.confidential} onChange={(e) => set('confidential', e.currentTarget.checked)} />
        </>
      )}
    </EditForm>
  );
}
