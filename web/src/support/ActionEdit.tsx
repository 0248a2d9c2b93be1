import { Checkbox, Select, SimpleGrid, Textarea, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { EditForm } from '../edit/EditForm';
import { useSupportVocab } from './vocab';

type Action = Schemas['SupportAction'];

/** The edit form's fields (all strings; "" clears a field on the server). */
export type ActionForm = {
  assignee_user_id: string;
  assignee_partner_id: string;
  priority: string;
  addressee: string;
  description: string;
  due_at: string;
  response: string;
  impact: string;
  notes: string;
  amount: string;
  currency: string;
  /** Never shown to observers; managers set it. */
  confidential: boolean;
};

/** The fields an observer may change (the server refuses the others). */
export const observerFields: Array<keyof ActionForm> = ['response', 'notes'];

/** Types that carry an amount of money. */
export const moneyTypes: ReadonlyArray<Schemas['SupportActionType']> = ['legal_fee_grant', 'family_assistance'];

export function actionForm(a: Action): ActionForm {
  return {
    assignee_user_id: a.assignee_user_id ?? '',
    assignee_partner_id: a.assignee_partner_id ?? '',
    priority: a.priority,
    addressee: a.addressee,
    description: a.description,
    due_at: a.due_at ?? '',
    response: a.response,
    impact: a.impact,
    notes: a.notes,
    amount: a.amount ?? '',
    currency: a.currency ?? '',
    confidential: a.confidential,
  };
}

/** The assignee select's value: "user:<id>", "partner:<id>" or "" (nobody). */
export function assigneeValue(v: Pick<ActionForm, 'assignee_user_id' | 'assignee_partner_id'>): string {
  if (v.assignee_user_id) return `user:${v.assignee_user_id}`;
  if (v.assignee_partner_id) return `partner:${v.assignee_partner_id}`;
  return '';
}

/** Both assignee fields from the select's value (one of them always ""). */
export function assigneeFields(s: string | null): Pick<ActionForm, 'assignee_user_id' | 'assignee_partner_id'> {
  if (s?.startsWith('user:')) return { assignee_user_id: s.slice(5), assignee_partner_id: '' };
  if (s?.startsWith('partner:')) return { assignee_user_id: '', assignee_partner_id: s.slice(8) };
  return { assignee_user_id: '', assignee_partner_id: '' };
}

type Option = { value: string; label: string };

/**
 * Who an action can be assigned to: nobody, me, every partner, and for admins every enabled account that
 * may hold an action (admin, coordinator, observer). Coordinators cannot list accounts (the API keeps the
 * user list to admins), so they choose a partner or themselves; the current assignee always stays listed.
 */
export function assigneeOptions(
  t: (k: string, o?: Record<string, unknown>) => string,
  a: Action,
  me: { id: string; name: string } | undefined,
  partners: Array<{ id: string; name: string; confidential?: boolean }>,
  users: Array<{ id: string; name: string; email: string; role: string; disabled: boolean }> | undefined,
): Option[] {
  const out: Option[] = [{ value: '', label: t('support.nobody') }];
  const seen = new Set<string>(['']);
  const add = (o: Option) => {
    if (!seen.has(o.value)) {
      seen.add(o.value);
      out.push(o);
    }
  };
  if (me) add({ value: `user:${me.id}`, label: t('support.me', { name: me.name }) });
  for (const p of partners) add({ value: `partner:${p.id}`, label: t('support.partnerOption', { name: p.name }) + (p.confidential ? ` (${t('common.confidential')})` : '') });
  for (const u of users ?? []) if (!u.disabled && u.role !== 'lawyer') add({ value: `user:${u.id}`, label: `${u.name || u.email} (${u.email})` });
  if (a.assignee_user_id) add({ value: `user:${a.assignee_user_id}`, label: a.assignee_user_name ?? a.assignee_user_id });
  if (a.assignee_partner_id) add({ value: `partner:${a.assignee_partner_id}`, label: t('support.partnerOption', { name: a.assignee_partner_name ?? a.assignee_partner_id }) });
  return out;
}

const isoDay = /^$|^\d{4}-\d{2}-\d{2}$/;
const amountRe = /^$|^\d{1,12}(\.\d{1,3})?$/;
const currencyRe = /^$|^[A-Za-z]{3}$/;

/** Whether the form may be sent: dates as days, an amount as a decimal, a currency as 3 letters, both or neither. */
export function actionFormInvalid(v: ActionForm): boolean {
  return !isoDay.test(v.due_at) || !amountRe.test(v.amount.trim()) || !currencyRe.test(v.currency.trim()) || (v.amount.trim() === '') !== (v.currency.trim() === '');
}

/** Edit a support action: managers every field and the assignee, observers the response and notes (PATCH + If-Match). */
export default function ActionEdit({ a, role, me, onSaved, onReload }: { a: Action; role: Schemas['Role']; me?: { id: string; name: string }; onSaved: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { options } = useSupportVocab();
  const manager = role === 'admin' || role === 'coordinator';
  const partners = useQuery({
    queryKey: ['partners', 'all'],
    enabled: manager,
    queryFn: async () => unwrap(await api.GET('/api/v1/partners', { params: { query: { limit: 200 } } })),
  });
  const users = useQuery({
    queryKey: ['users', 'assignable'],
    enabled: role === 'admin',
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 200 } } })),
  });
  const assignees = assigneeOptions(t, a, me, partners.data?.items ?? [], users.data?.items);
  return (
    <EditForm<ActionForm>
      key={a.version}
      initial={actionForm(a)}
      version={a.version}
      onSaved={onSaved}
      onReload={onReload}
      invalid={actionFormInvalid}
      save={async (patch, im) =>
        unwrap(await api.PATCH('/api/v1/support-actions/{id}', { params: { path: { id: a.id }, header: { 'If-Match': im } }, body: patch as Schemas['SupportActionPatch'] }))
      }
    >
      {(v, set, fe) => (
        <>
          {manager && (
            <>
              <Select
                label={t('support.assignee')}
                description={role === 'coordinator' ? t('support.assigneeHintCoordinator') : undefined}
                data={assignees}
                value={assigneeValue(v)}
                onChange={(x) => {
                  const f = assigneeFields(x);
                  set('assignee_user_id', f.assignee_user_id);
                  set('assignee_partner_id', f.assignee_partner_id);
                }}
                allowDeselect={false}
                searchable
                comboboxProps={{ withinPortal: true }}
                error={fe.assignee_user_id ?? fe.assignee_partner_id}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <Select label={t('support.priority')} data={options('support_priorities')} value={v.priority} onChange={(x) => x && set('priority', x)} allowDeselect={false} comboboxProps={{ withinPortal: true }} error={fe.priority} />
                <TextInput type="date" label={t('support.due')} value={v.due_at} onChange={(x) => set('due_at', x.currentTarget.value)} error={fe.due_at} />
              </SimpleGrid>
              <TextInput label={t('support.addressee')} value={v.addressee} maxLength={500} onChange={(x) => set('addressee', x.currentTarget.value)} error={fe.addressee} />
              <Textarea label={t('support.description')} autosize minRows={2} maxRows={10} value={v.description} onChange={(x) => set('description', x.currentTarget.value)} error={fe.description} />
              <Checkbox label={t('support.confidential')} description={t('support.confidentialHint')} checked={v.confidential} onChange={(x) => set('confidential', x.currentTarget.checked)} error={fe.confidential} />
            </>
          )}
          <Textarea label={t('support.response')} description={t('support.responseHint')} autosize minRows={2} maxRows={10} value={v.response} onChange={(x) => set('response', x.currentTarget.value)} error={fe.response} />
          {manager && <Textarea label={t('support.impact')} autosize minRows={2} maxRows={10} value={v.impact} onChange={(x) => set('impact', x.currentTarget.value)} error={fe.impact} />}
          <Textarea label={t('support.notes')} autosize minRows={2} maxRows={10} value={v.notes} onChange={(x) => set('notes', x.currentTarget.value)} error={fe.notes} />
          {manager && moneyTypes.includes(a.type) && (
            <SimpleGrid cols={2}>
              <TextInput label={t('support.amount')} inputMode="decimal" placeholder="1500.00" value={v.amount} onChange={(x) => set('amount', x.currentTarget.value)} error={amountRe.test(v.amount.trim()) ? fe.amount : t('support.badAmount')} />
              <TextInput
                label={t('support.currency')}
                placeholder="EUR"
                maxLength={3}
                value={v.currency}
                onChange={(x) => set('currency', x.currentTarget.value.toUpperCase())}
                error={(v.amount.trim() === '') !== (v.currency.trim() === '') ? t('support.amountPair') : currencyRe.test(v.currency) ? fe.currency : t('support.badCurrency')}
              />
            </SimpleGrid>
          )}
        </>
      )}
    </EditForm>
  );
}
