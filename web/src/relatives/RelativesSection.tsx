import { useState } from 'react';
import { Badge, Button, Card, Checkbox, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { QueryState } from '../components/States';
import { ErrorText } from '../components/ErrorText';
import { fieldErrorsOf } from '../components/fieldErrors';
import { SaveError } from '../edit/EditForm';
import { diffPatch, ifMatch, isStale, partialDateRe } from '../edit/patch';
import { formatDateTime, formatPartialDate } from '../format';

type Relative = Schemas['Relative'];
type ConsentState = Schemas['ConsentState'];

/** The consent kinds, in the order the server lists them (vocabulary relative_consent_kinds). */
export const consentKinds = ['un_submission', 'publicity', 'contact'] as const;

/** Pages read at most (200 relatives each): a detainee has few; this bounds a broken server. */
const maxPages = 5;

async function fetchRelatives(detaineeId: string): Promise<Relative[]> {
  const items: Relative[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = unwrap(await api.GET('/api/v1/detainees/{id}/relatives', { params: { path: { id: detaineeId }, query: { limit: 200, cursor } } }));
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return items;
}

const stateColor: Record<ConsentState, string> = { given: 'green', withdrawn: 'orange', unknown: 'gray' };

/** A consent state as a badge: "UN submission: given" (never a colour alone). */
export function ConsentBadge({ kind, state }: { kind: string; state: ConsentState }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  return (
    <Badge size="sm" variant="light" color={stateColor[state]} data-consent={`${kind}:${state}`}>
      {label('relative_consent_kinds', kind)}: {t(`relatives.state.${state}`)}
    </Badge>
  );
}

/** The relatives and contacts of a detainee (issue 25): list, add, edit, delete with a reason, and each
 * one's consent history and linked pressure events. Observers get only what the server gives them: no
 * confidential relative, no contact nor address. */
export default function RelativesSection({ detaineeId, canWrite }: { detaineeId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['relatives', detaineeId], queryFn: () => fetchRelatives(detaineeId) });
  const [editing, setEditing] = useState<Relative | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Relative | null>(null);
  const [open, setOpen] = useState<Relative | null>(null);
  const items = q.data ?? [];
  const reload = async (id: string | undefined, set: (r: Relative | null) => void) => {
    const fresh = await q.refetch();
    set(fresh.data?.find((x) => x.id === id) ?? null);
  };
  return (
    <Card withBorder component="section" aria-labelledby="relatives-title" data-testid="relatives-section">
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id="relatives-title">
          {t('relatives.title')}
        </Title>
        {canWrite && (
          <Button size="xs" variant="light" onClick={() => setEditing('new')}>
            {t('relatives.add')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {t('relatives.intro')}
      </Text>
      <QueryState isLoading={q.isLoading} error={q.error} empty={items.length === 0} emptyText={t('relatives.none')}>
        <RelativeTable items={items} canWrite={canWrite} onOpen={setOpen} onEdit={setEditing} onDelete={setDeleting} />
      </QueryState>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('relatives.add') : t('relatives.edit')}
        size="lg"
      >
        {editing !== null && (
          <RelativeForm
            key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
            detaineeId={detaineeId}
            relative={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
            onReload={() => (editing === 'new' ? setEditing(null) : reload(editing.id, setEditing))}
          />
        )}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={deleting !== null} onClose={() => setDeleting(null)} title={t('relatives.delete')}>
        {deleting && (
          <DeleteRelative
            key={`${deleting.id}:${deleting.version}`}
            detaineeId={detaineeId}
            relative={deleting}
            onDone={() => setDeleting(null)}
            onReload={() => reload(deleting.id, setDeleting)}
          />
        )}
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={open !== null}
        onClose={() => setOpen(null)}
        title={open ? t('relatives.detailsOf', { name: open.name }) : ''}
        size="lg"
      >
        {open && <RelativeDetails detaineeId={detaineeId} relativeId={open.id} canWrite={canWrite} />}
      </Modal>
    </Card>
  );
}

function RelativeTable({
  items,
  canWrite,
  onOpen,
  onEdit,
  onDelete,
}: {
  items: Relative[];
  canWrite: boolean;
  onOpen: (r: Relative) => void;
  onEdit: (r: Relative) => void;
  onDelete: (r: Relative) => void;
}) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const showContact = items.some((r) => r.contact !== null);
  return (
    <Table.ScrollContainer minWidth={640} type="native" tabIndex={0}>
      <Table>
        <Table.Caption>
          <VisuallyHidden>{t('relatives.table')}</VisuallyHidden>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('relatives.name')}</Table.Th>
            <Table.Th>{t('relatives.relation')}</Table.Th>
            <Table.Th>{t('relatives.place')}</Table.Th>
            {showContact && <Table.Th>{t('relatives.contact')}</Table.Th>}
            <Table.Th>{t('relatives.consent')}</Table.Th>
            <Table.Th>{t('common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Group gap={6}>
                  <Text size="sm" fw={500} dir="auto">
                    {r.name}
                  </Text>
                  {r.confidential && (
                    <Badge size="xs" color="red" variant="light">
                      {t('common.confidential')}
                    </Badge>
                  )}
                </Group>
                {r.other_names.length > 0 && (
                  <Text size="xs" c="dimmed" dir="auto">
                    {r.other_names.map((n) => n.name).join(' · ')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{label('relations', r.relation)}</Table.Td>
              <Table.Td>{r.place || '—'}</Table.Td>
              {showContact && (
                <Table.Td>
                  <Text size="sm">{r.contact || '—'}</Text>
                  {r.address && (
                    <Text size="xs" c="dimmed">
                      {r.address}
                    </Text>
                  )}
                </Table.Td>
              )}
              <Table.Td>
                <Stack gap={2} align="flex-start">
                  {consentKinds.map((k) => (
                    <ConsentBadge key={k} kind={k} state={r.consent[k]} />
                  ))}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-sm" variant="subtle" onClick={() => onOpen(r)} aria-label={t('relatives.detailsOf', { name: r.name })}>
                    {t('relatives.details')}
                  </Button>
                  {canWrite && (
                    <>
                      <Button size="compact-sm" variant="subtle" onClick={() => onEdit(r)} aria-label={t('relatives.editOf', { name: r.name })}>
                        {t('relatives.editShort')}
                      </Button>
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => onDelete(r)} aria-label={t('relatives.deleteOf', { name: r.name })}>
                        {t('relatives.deleteShort')}
                      </Button>
                    </>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

type Form = {
  relation: string;
  name: string;
  chinese: string;
  pinyin: string;
  contact: string;
  address: string;
  place: string;
  notes: string;
  confidential: boolean;
};

function toForm(r?: Relative): Form {
  const other = (kind: string) => r?.other_names.find((n) => n.kind === kind)?.name ?? '';
  return {
    relation: r?.relation ?? '',
    name: r?.name ?? '',
    chinese: other('simplified'),
    pinyin: other('pinyin'),
    contact: r?.contact ?? '',
    address: r?.address ?? '',
    place: r?.place ?? '',
    notes: r?.notes ?? '',
    confidential: r?.confidential ?? true,
  };
}

/** The request body of a form: the name forms as other_names (keeping the kinds this form does not edit). */
function toBody(v: Form, r?: Relative, withContact = true): Schemas['RelativeInput'] {
  const kept = (r?.other_names ?? []).filter((n) => n.kind !== 'simplified' && n.kind !== 'pinyin');
  const names = [
    ...(v.chinese.trim() ? [{ name: v.chinese.trim(), kind: 'simplified' }] : []),
    ...(v.pinyin.trim() ? [{ name: v.pinyin.trim(), kind: 'pinyin' }] : []),
    ...kept,
  ];
  const out: Schemas['RelativeInput'] = {
    relation: v.relation,
    name: v.name.trim(),
    other_names: names,
    place: v.place.trim(),
    notes: v.notes.trim(),
    confidential: v.confidential,
  };
  if (withContact) {
    out.contact = v.contact.trim();
    out.address = v.address.trim();
  }
  return out;
}

/** Add or edit a relative: POST, or PATCH of the changed fields with If-Match (412: reload). */
export function RelativeForm({ detaineeId, relative, onDone, onReload }: { detaineeId: string; relative?: Relative; onDone: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  const initial = toForm(relative);
  const [v, setV] = useState<Form>(initial);
  const [tried, setTried] = useState(false);
  const set = <K extends keyof Form>(k: K, x: Form[K]) => setV((s) => ({ ...s, [k]: x }));
  // Contact and address are edited only by who reads them (a relative of the list of an observer has none).
  const withContact = !relative || relative.contact !== null;
  const local: Record<string, string> = {};
  if (!v.relation) local.relation = t('relatives.required');
  if (!v.name.trim()) local.name = t('relatives.required');
  const save = useMutation({
    mutationFn: async () => {
      const b = toBody(v, relative, withContact);
      if (!relative) return unwrap(await api.POST('/api/v1/detainees/{id}/relatives', { params: { path: { id: detaineeId } }, body: b }));
      const patch = diffPatch(toBody(initial, relative, withContact) as Record<string, unknown>, b as Record<string, unknown>) as Schemas['RelativeInput'];
      return unwrap(
        await api.PATCH('/api/v1/detainees/{id}/relatives/{rid}', {
          params: { path: { id: detaineeId, rid: relative.id }, header: { 'If-Match': ifMatch(relative.version) } },
          body: patch,
        }),
      );
    },
    onSuccess: () => onDone(),
  });
  const unchanged = !!relative && Object.keys(diffPatch(initial, v)).length === 0;
  const server = fieldErrorsOf(t, save.error);
  const err = (k: string) => (tried ? local[k] : undefined) ?? server[k];
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (Object.keys(local).length > 0 || unchanged) return;
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('relatives.relation')}
            data={options('relations')}
            value={v.relation || null}
            onChange={(x) => set('relation', x ?? '')}
            required
            allowDeselect={false}
            error={err('relation')}
          />
          <TextInput label={t('relatives.name')} required value={v.name} error={err('name')} onChange={(e) => set('name', e.currentTarget.value)} />
          <TextInput label={t('relatives.chinese')} value={v.chinese} error={server['other_names']} onChange={(e) => set('chinese', e.currentTarget.value)} />
          <TextInput label={t('relatives.pinyin')} value={v.pinyin} onChange={(e) => set('pinyin', e.currentTarget.value)} />
        </SimpleGrid>
        <TextInput label={t('relatives.place')} description={t('relatives.placeHint')} value={v.place} error={err('place')} onChange={(e) => set('place', e.currentTarget.value)} />
        {withContact && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('relatives.contactLabel')} value={v.contact} error={err('contact')} onChange={(e) => set('contact', e.currentTarget.value)} />
            <TextInput label={t('relatives.addressLabel')} value={v.address} error={err('address')} onChange={(e) => set('address', e.currentTarget.value)} />
          </SimpleGrid>
        )}
        <Textarea label={t('relatives.notes')} autosize minRows={2} maxRows={8} value={v.notes} error={err('notes')} onChange={(e) => set('notes', e.currentTarget.value)} />
        <Checkbox label={t('relatives.confidential')} checked={v.confidential} onChange={(e) => set('confidential', e.currentTarget.checked)} />
        <SaveError error={save.error} onReload={onReload} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={unchanged}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteRelative({ detaineeId, relative, onDone, onReload }: { detaineeId: string; relative: Relative; onDone: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const del = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE('/api/v1/detainees/{id}/relatives/{rid}', {
          params: { path: { id: detaineeId, rid: relative.id }, header: { 'If-Match': ifMatch(relative.version) } },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: () => onDone(),
  });
  const missing = !reason.trim();
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!missing) del.mutate();
      }}
    >
      <Stack gap="sm">
        <Text>{t('relatives.deleteConfirm', { name: relative.name })}</Text>
        <Textarea
          label={t('relatives.reason')}
          required
          autosize
          minRows={2}
          value={reason}
          error={tried && missing ? t('relatives.required') : fieldErrorsOf(t, del.error)['reason']}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        {isStale(del.error) ? <SaveError error={del.error} onReload={onReload} /> : <ErrorText error={del.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="red" loading={del.isPending}>
            {t('relatives.deleteShort')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One relative: notes, current consent, its consent history (with the form to record a consent or a
 * withdrawal), and the timeline events linked to them (pressure on the family). */
function RelativeDetails({ detaineeId, relativeId, canWrite }: { detaineeId: string; relativeId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const path = { id: detaineeId, rid: relativeId };
  const r = useQuery({
    queryKey: ['relative', relativeId],
    queryFn: async () => unwrap(await api.GET('/api/v1/detainees/{id}/relatives/{rid}', { params: { path } })),
  });
  const h = useQuery({
    queryKey: ['relative-consents', relativeId],
    queryFn: async () => unwrap(await api.GET('/api/v1/detainees/{id}/relatives/{rid}/consents', { params: { path, query: { limit: 200 } } })),
  });
  const x = r.data;
  return (
    <QueryState isLoading={r.isLoading} error={r.error}>
      {x && (
        <Stack gap="md">
          {x.notes && <Text size="sm">{x.notes}</Text>}
          <Group gap={6}>
            {consentKinds.map((k) => (
              <ConsentBadge key={k} kind={k} state={x.consent[k]} />
            ))}
          </Group>
          <Stack gap={4} component="section" aria-labelledby="consent-history-title">
            <Title order={3} size="h5" id="consent-history-title">
              {t('relatives.history')}
            </Title>
            <QueryState isLoading={h.isLoading} error={h.error} empty={h.data?.items.length === 0} emptyText={t('relatives.noConsent')}>
              <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-labelledby="consent-history-title">
                {h.data?.items.map((c) => (
                  <Text component="li" size="sm" key={c.id}>
                    <b>{t(`relatives.status.${c.status}`, { kind: label('relative_consent_kinds', c.kind) })}</b>
                    {' — '}
                    {[c.given_by, formatPartialDate(c.given_at), label('consent_methods', c.method), c.notes].filter(Boolean).join(' · ') || t('relatives.noDetail')}
                    <Text span size="xs" c="dimmed">
                      {' '}
                      ({t('relatives.recordedAt', { at: formatDateTime(c.created_at) })})
                    </Text>
                  </Text>
                ))}
              </Stack>
            </QueryState>
          </Stack>
          {canWrite && <ConsentForm detaineeId={detaineeId} relativeId={relativeId} />}
          <Stack gap={4} component="section" aria-labelledby="pressure-title">
            <Title order={3} size="h5" id="pressure-title">
              {t('relatives.pressure')}
            </Title>
            {(x.events ?? []).length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('relatives.noPressure')}
              </Text>
            ) : (
              <Stack gap={2} component="ul" style={{ paddingLeft: '1.2em', margin: 0 }}>
                {(x.events ?? []).map((ev) => (
                  <Text component="li" size="sm" key={ev.id}>
                    <Link to={`/cases/${ev.case_id}`}>{formatPartialDate(ev.occurred_at)}</Link> {label('event_types', ev.type)}
                    {ev.description && ` — ${ev.description}`}
                  </Text>
                ))}
              </Stack>
            )}
            <Text size="xs" c="dimmed">
              {t('relatives.pressureHint')}
            </Text>
          </Stack>
        </Stack>
      )}
    </QueryState>
  );
}

/** Record a consent given or withdrawn (a new record each time: the history is never rewritten). */
function ConsentForm({ detaineeId, relativeId }: { detaineeId: string; relativeId: string }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  const empty = { kind: '', status: 'given', given_by: '', given_at: '', method: '', notes: '' };
  const [v, setV] = useState(empty);
  const [tried, setTried] = useState(false);
  const set = (k: keyof typeof empty, x: string) => setV((s) => ({ ...s, [k]: x }));
  const local: Record<string, string> = {};
  if (!v.kind) local.kind = t('relatives.required');
  if (!partialDateRe.test(v.given_at.trim())) local.given_at = t('relatives.dateHint');
  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/detainees/{id}/relatives/{rid}/consents', {
          params: { path: { id: detaineeId, rid: relativeId } },
          body: { ...v, given_by: v.given_by.trim(), given_at: v.given_at.trim(), notes: v.notes.trim(), status: v.status as 'given' | 'withdrawn' },
        }),
      ),
    onSuccess: () => {
      setV(empty);
      setTried(false);
    },
  });
  const server = fieldErrorsOf(t, add.error);
  const err = (k: string) => (tried ? local[k] : undefined) ?? server[k];
  return (
    <form
      noValidate
      aria-labelledby="consent-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (Object.keys(local).length === 0) add.mutate();
      }}
    >
      <Stack gap="xs">
        <Title order={3} size="h5" id="consent-form-title">
          {t('relatives.addConsent')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label={t('relatives.consentKind')} data={options('relative_consent_kinds')} value={v.kind || null} onChange={(x) => set('kind', x ?? '')} required allowDeselect={false} error={err('kind')} />
          <Select
            label={t('relatives.consentStatus')}
            data={[
              { value: 'given', label: t('relatives.state.given') },
              { value: 'withdrawn', label: t('relatives.state.withdrawn') },
            ]}
            value={v.status}
            onChange={(x) => set('status', x ?? 'given')}
            allowDeselect={false}
          />
          <TextInput label={t('relatives.givenBy')} value={v.given_by} error={err('given_by')} onChange={(e) => set('given_by', e.currentTarget.value)} />
          <TextInput label={t('relatives.givenAt')} description={t('relatives.dateHint')} value={v.given_at} error={err('given_at')} onChange={(e) => set('given_at', e.currentTarget.value)} />
          <Select label={t('relatives.method')} data={options('consent_methods')} value={v.method || null} onChange={(x) => set('method', x ?? '')} clearable />
          <TextInput label={t('relatives.consentNotes')} value={v.notes} onChange={(e) => set('notes', e.currentTarget.value)} />
        </SimpleGrid>
        <ErrorText error={Object.keys(server).length ? null : add.error} />
        <Group justify="flex-end">
          <Button type="submit" size="sm" loading={add.isPending}>
            {t('relatives.recordConsent')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
