import { useState } from 'react';
import { Badge, Box, Button, Card, Checkbox, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, HttpError, unwrap, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { QueryState } from '../components/States';
import { ErrorText } from '../components/ErrorText';
import { SaveError } from '../edit/EditForm';
import { diffPatch, ifMatch, isStale } from '../edit/patch';
import { isPartialDate } from '../timeline/dates';
import { formatPartialDate } from '../format';
import { useCustodyPeriods } from './query';
import { formatMonths } from './SentenceRelease';
import { barPaint, dateOfDay, durationParts, layoutStrip, partialDays, periodLabel, type StripBar } from './strip';

type Period = Schemas['CustodyPeriod'];

/** A case's custody history: a strip chart of its periods, the same periods as a table, and their forms. */
export default function CustodySection({ caseId, canWrite }: { caseId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const q = useCustodyPeriods(caseId);
  const [editing, setEditing] = useState<Period | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Period | null>(null);
  const items = q.data ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="custody-title">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4" id="custody-title">
          {t('custody.title')}
        </Title>
        {canWrite && (
          <Button size="xs" variant="light" onClick={() => setEditing('new')}>
            {t('custody.add')}
          </Button>
        )}
      </Group>
      <QueryState isLoading={q.isLoading} error={q.error} empty={items.length === 0} emptyText={t('custody.none')}>
        <Stack gap="md">
          <Strip periods={items} />
          <PeriodTable periods={items} canWrite={canWrite} onEdit={setEditing} onDelete={setDeleting} />
        </Stack>
      </QueryState>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('custody.add') : t('custody.edit')}
        size="lg"
      >
        {editing !== null && (
          <PeriodForm
            key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
            caseId={caseId}
            period={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
            onReload={async () => {
              const fresh = await q.refetch();
              const again = editing === 'new' ? undefined : fresh.data?.find((p) => p.id === editing.id);
              setEditing(again ?? null);
            }}
          />
        )}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={deleting !== null} onClose={() => setDeleting(null)} title={t('custody.delete')}>
        {deleting && (
          <DeletePeriod
            key={`${deleting.id}:${deleting.version}`}
            caseId={caseId}
            period={deleting}
            onDone={() => setDeleting(null)}
            onReload={async () => {
              const fresh = await q.refetch();
              setDeleting(fresh.data?.find((p) => p.id === deleting.id) ?? null);
            }}
          />
        )}
      </Modal>
    </Card>
  );
}

/** The strip chart: one bar per period on a shared time axis, coloured by measure, with a legend. */
export function Strip({ periods, now = new Date() }: { periods: Period[]; now?: Date }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const layout = layoutStrip(periods, now);
  if (layout.bars.length === 0) return null;
  const byId = new Map(periods.map((p) => [p.id, p]));
  const measures = [...new Set(layout.bars.map((b) => b.measure))];
  const laneHeight = 30;
  const summary = t('custody.chartSummary', {
    count: layout.bars.length,
    from: formatPartialDate(periods.find((p) => p.id === layout.bars[0]!.id)?.started_at),
    to: layout.bars.some((b) => b.ongoing) ? t('custody.today') : formatDay(layout.to - 1),
  });
  return (
    <Box component="figure" m={0}>
      <Box role="img" aria-label={summary} data-testid="custody-strip">
        <Box pos="relative" h={layout.lanes * laneHeight} bg="var(--mantine-color-gray-0)" style={{ borderRadius: 4 }}>
          {layout.bars.map((b) => (
            <Bar key={b.id} b={b} p={byId.get(b.id)!} top={b.lane * laneHeight} height={laneHeight - 4} measureLabel={label('custody_measures', b.measure)} />
          ))}
          {layout.today !== null && (
            <Box
              aria-hidden
              pos="absolute"
              top={-4}
              bottom={-4}
              left={`${layout.today}%`}
              w={0}
              style={{ borderLeft: '2px dashed var(--mantine-color-red-9)' }}
              title={t('custody.today')}
            />
          )}
        </Box>
        <Box pos="relative" h={20} mt={2} aria-hidden>
          {layout.ticks.map((tk) => (
            <Text
              key={tk.year}
              size="xs"
              pos="absolute"
              left={`${tk.left}%`}
              // The label sits right of its tick, or left of it near the right edge (inside the strip either way).
              style={
                tk.left > 95
                  ? { whiteSpace: 'nowrap', borderRight: '1px solid var(--mantine-color-gray-6)', paddingRight: 2, transform: 'translateX(-100%)' }
                  : { whiteSpace: 'nowrap', borderLeft: '1px solid var(--mantine-color-gray-6)', paddingLeft: 2 }
              }
            >
              {tk.year}
            </Text>
          ))}
        </Box>
      </Box>
      <Box component="figcaption" mt="xs">
        <Group component="ul" gap="sm" aria-label={t('custody.legend')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {measures.map((m) => {
            const paint = barPaint(m);
            return (
              <Group component="li" key={m} gap={4} wrap="nowrap">
                <Box aria-hidden w={18} h={12} style={{ background: paint.background, border: `1px solid ${paint.borderColor}`, borderRadius: 2 }} />
                <Text size="sm">{label('custody_measures', m)}</Text>
              </Group>
            );
          })}
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          {t('custody.legendHint')}
        </Text>
      </Box>
    </Box>
  );
}

function formatDay(day: number): string {
  return formatPartialDate(dateOfDay(day).toISOString().slice(0, 10));
}

function Bar({ b, p, top, height, measureLabel }: { b: StripBar; p: Period; top: number; height: number; measureLabel: string }) {
  const { t } = useTranslation();
  const paint = barPaint(b.measure);
  const place = [p.facility?.name, p.facility?.city].filter(Boolean).join(', ');
  const dates = `${formatPartialDate(p.started_at)} – ${p.ended_at ? formatPartialDate(p.ended_at) : t('custody.ongoing')}`;
  return (
    <Box
      data-measure={b.measure}
      data-ongoing={b.ongoing || undefined}
      title={[measureLabel, place, dates, t('custody.days', { count: b.days })].filter(Boolean).join('\n')}
      pos="absolute"
      top={top + 2}
      h={height}
      left={`${b.left}%`}
      w={`${b.width}%`}
      style={{
        // An ongoing period fades out at today's end: open-ended.
        background: b.ongoing && !paint.striped ? `linear-gradient(90deg, ${paint.background} 85%, transparent)` : paint.background,
        color: paint.color,
        border: `1px ${b.imprecise ? 'dashed' : 'solid'} ${paint.borderColor}`,
        borderRight: b.ongoing ? 'none' : undefined,
        borderRadius: b.ongoing ? '3px 0 0 3px' : 3,
        overflow: 'hidden',
        whiteSpace: 'nowrap',
        textOverflow: 'ellipsis',
        fontSize: 12,
        lineHeight: `${height - 2}px`,
        paddingInline: 4,
        boxSizing: 'border-box',
      }}
    >
      {b.width >= 12 ? `${measureLabel}${b.ongoing ? ' →' : ''}` : ''}
    </Box>
  );
}

function PeriodTable({
  periods,
  canWrite,
  onEdit,
  onDelete,
}: {
  periods: Period[];
  canWrite: boolean;
  onEdit: (p: Period) => void;
  onDelete: (p: Period) => void;
}) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const today = new Date();
  return (
    <Table.ScrollContainer minWidth={640} type="native" tabIndex={0}>
      <Table>
        <Table.Caption>
          <VisuallyHidden>{t('custody.table')}</VisuallyHidden>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('custody.measure')}</Table.Th>
            <Table.Th>{t('custody.place')}</Table.Th>
            <Table.Th>{t('custody.authority')}</Table.Th>
            <Table.Th>{t('custody.start')}</Table.Th>
            <Table.Th>{t('custody.end')}</Table.Th>
            <Table.Th>{t('custody.duration')}</Table.Th>
            <Table.Th>{t('custody.source')}</Table.Th>
            {canWrite && <Table.Th>{t('common.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {periods.map((p) => {
            const paint = barPaint(p.measure);
            const s = partialDays(p.started_at);
            const e = p.ended_at ? partialDays(p.ended_at) : null;
            const days = s ? (p.ended_at ? (e ? e.last - s.first + 1 : null) : Math.floor(today.getTime() / 86_400_000) - s.first + 1) : null;
            const name = periodLabel(p, (m) => label('custody_measures', m), formatPartialDate, t('custody.ongoing'));
            return (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Box aria-hidden w={12} h={12} style={{ background: paint.background, border: `1px solid ${paint.borderColor}`, borderRadius: 2, flex: 'none' }} />
                    <Text size="sm">{label('custody_measures', p.measure)}</Text>
                    {p.confidential && (
                      <Badge size="xs" color="red" variant="light">
                        {t('common.confidential')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{p.facility?.name}</Text>
                  <Text size="xs" c="dimmed">
                    {[label('facility_types', p.facility?.kind), p.facility?.city, p.facility?.province].filter(Boolean).join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td>{p.authority}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatPartialDate(p.started_at)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{p.ended_at ? formatPartialDate(p.ended_at) : <Badge variant="outline">{t('custody.ongoing')}</Badge>}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{days !== null && days > 0 ? <Duration days={days} approx={!s?.precise || (!!p.ended_at && !e?.precise)} /> : '—'}</Table.Td>
                <Table.Td>
                  {[p.source, p.source_reliability ? t('custody.reliability', { grade: p.source_reliability }) : ''].filter(Boolean).join(' · ')}
                </Table.Td>
                {canWrite && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-sm" variant="subtle" onClick={() => onEdit(p)} aria-label={t('custody.editOf', { period: name })}>
                        {t('custody.editShort')}
                      </Button>
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => onDelete(p)} aria-label={t('custody.deleteOf', { period: name })}>
                        {t('custody.deleteShort')}
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Duration({ days, approx }: { days: number; approx: boolean }) {
  const { t } = useTranslation();
  const parts = durationParts(days);
  const text = t('custody.days', { count: days });
  const long = parts.years > 0 || parts.months > 0 ? t('custody.about', { text: formatMonths(t, parts.years * 12 + parts.months) }) : '';
  return (
    <>
      <Text size="sm" span>
        {approx ? t('date.approx', { date: text }) : text}
      </Text>
      {long && (
        <Text size="xs" c="dimmed" display="block">
          {long}
        </Text>
      )}
    </>
  );
}

type Form = {
  measure: string;
  started_at: string;
  ended_at: string;
  facility: { name: string; kind: string; city: string; province: string };
  authority: string;
  notes: string;
  source: string;
  source_reliability: string;
  confidential: boolean;
};

function toForm(p?: Period): Form {
  return {
    measure: p?.measure ?? '',
    started_at: p?.started_at ?? '',
    ended_at: p?.ended_at ?? '',
    facility: { name: p?.facility?.name ?? '', kind: p?.facility?.kind ?? '', city: p?.facility?.city ?? '', province: p?.facility?.province ?? '' },
    authority: p?.authority ?? '',
    notes: p?.notes ?? '',
    source: p?.source ?? '',
    source_reliability: p?.source_reliability ?? '',
    confidential: p?.confidential ?? false,
  };
}

/** Field errors checked in the browser before sending (keys as the API names them). */
export function validatePeriod(v: Pick<Form, 'measure' | 'started_at' | 'ended_at'>): Record<string, string> {
  const out: Record<string, string> = {};
  if (!v.measure) out.measure = 'required';
  if (!v.started_at.trim()) out.started_at = 'required';
  else if (!isPartialDate(v.started_at)) out.started_at = 'date';
  if (v.ended_at.trim() && !isPartialDate(v.ended_at)) out.ended_at = 'date';
  else if (v.ended_at.trim() && !out.started_at) {
    const s = partialDays(v.started_at);
    const e = partialDays(v.ended_at);
    // Only a clear contradiction: an end whose last possible day is before the start's first possible day.
    if (s && e && e.last < s.first) out.ended_at = 'before_start';
  }
  return out;
}

/** The API's per-field errors of a failed save, keyed as the API names the fields (`facility.kind`). */
export function serverFieldErrors(err: unknown): Record<string, string> {
  return err instanceof HttpError && err.status === 400 && err.body?.fields ? err.body.fields : {};
}

/** Trims the text fields of a form for sending. */
function body(v: Form): Schemas['CustodyPeriodInput'] {
  return {
    ...v,
    started_at: v.started_at.trim(),
    ended_at: v.ended_at.trim(),
    facility: { name: v.facility.name.trim(), kind: v.facility.kind, city: v.facility.city.trim(), province: v.facility.province.trim() },
    authority: v.authority.trim(),
    source: v.source.trim(),
  };
}

/** Add or edit a period: POST, or PATCH of the changed fields with If-Match (412: reload). */
export function PeriodForm({ caseId, period, onDone, onReload }: { caseId: string; period?: Period; onDone: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  const initial = toForm(period);
  const [v, setV] = useState<Form>(initial);
  const [tried, setTried] = useState(false);
  const set = <K extends keyof Form>(k: K, x: Form[K]) => setV((s) => ({ ...s, [k]: x }));
  const setFacility = (k: keyof Form['facility'], x: string) => setV((s) => ({ ...s, facility: { ...s.facility, [k]: x } }));
  const local = validatePeriod(v);
  const save = useMutation({
    mutationFn: async () => {
      const b = body(v);
      if (!period) return unwrap(await api.POST('/api/v1/cases/{id}/custody-periods', { params: { path: { id: caseId } }, body: b }));
      const patch = diffPatch(body(initial) as Record<string, unknown>, b as Record<string, unknown>) as Schemas['CustodyPeriodInput'];
      return unwrap(
        await api.PATCH('/api/v1/cases/{id}/custody-periods/{pid}', {
          params: { path: { id: caseId, pid: period.id }, header: { 'If-Match': ifMatch(period.version) } },
          body: patch,
        }),
      );
    },
    onSuccess: () => onDone(),
  });
  const unchanged = !!period && Object.keys(diffPatch(initial, v)).length === 0;
  const server = serverFieldErrors(save.error);
  // A field's message: the browser's own check once the user tried to save, else the server's, in the UI language.
  const fieldError = (key: string): string | undefined => {
    const mine = local[key];
    if (mine && (tried || mine !== 'required')) return t(`custody.fieldError.${mine}`);
    if (server[key] !== undefined) return t(`custody.serverError.${key.replace('.', '_')}`, { defaultValue: t('custody.serverError.other') });
    return undefined;
  };
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
        <Select
          label={t('custody.measure')}
          data={options('custody_measures')}
          value={v.measure || null}
          onChange={(x) => set('measure', x ?? '')}
          searchable
          required
          allowDeselect={false}
          error={fieldError('measure')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('custody.start')}
            description={t('common.partialDateHint')}
            required
            value={v.started_at}
            error={fieldError('started_at')}
            onChange={(e) => set('started_at', e.currentTarget.value)}
          />
          <TextInput
            label={t('custody.end')}
            description={t('custody.endHint')}
            value={v.ended_at}
            error={fieldError('ended_at')}
            onChange={(e) => set('ended_at', e.currentTarget.value)}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('custody.facilityName')} value={v.facility.name} error={fieldError('facility.name')} onChange={(e) => setFacility('name', e.currentTarget.value)} />
          <Select
            label={t('custody.facilityKind')}
            data={options('facility_types')}
            value={v.facility.kind || null}
            onChange={(x) => setFacility('kind', x ?? '')}
            clearable
            searchable
            error={fieldError('facility.kind')}
          />
          <TextInput label={t('custody.city')} value={v.facility.city} error={fieldError('facility.city')} onChange={(e) => setFacility('city', e.currentTarget.value)} />
          <TextInput label={t('custody.province')} value={v.facility.province} error={fieldError('facility.province')} onChange={(e) => setFacility('province', e.currentTarget.value)} />
        </SimpleGrid>
        <TextInput label={t('custody.authority')} value={v.authority} error={fieldError('authority')} onChange={(e) => set('authority', e.currentTarget.value)} />
        <Textarea label={t('custody.notes')} autosize minRows={2} maxRows={8} value={v.notes} error={fieldError('notes')} onChange={(e) => set('notes', e.currentTarget.value)} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('custody.source')} value={v.source} error={fieldError('source')} onChange={(e) => set('source', e.currentTarget.value)} />
          <Select
            label={t('edit.sourceReliability')}
            data={options('source_reliability')}
            value={v.source_reliability || null}
            onChange={(x) => set('source_reliability', x ?? '')}
            clearable
            error={fieldError('source_reliability')}
          />
        </SimpleGrid>
        <Checkbox label={t('custody.confidential')} checked={v.confidential} onChange={(e) => set('confidential', e.currentTarget.checked)} />
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

function DeletePeriod({ caseId, period, onDone, onReload }: { caseId: string; period: Period; onDone: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const del = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.DELETE('/api/v1/cases/{id}/custody-periods/{pid}', {
          params: { path: { id: caseId, pid: period.id }, header: { 'If-Match': ifMatch(period.version) } },
        }),
      ),
    onSuccess: () => onDone(),
  });
  return (
    <Stack gap="sm">
      <Text>{t('custody.deleteConfirm', { period: periodLabel(period, (m) => label('custody_measures', m), formatPartialDate, t('custody.ongoing')) })}</Text>
      {isStale(del.error) ? <SaveError error={del.error} onReload={onReload} /> : <ErrorText error={del.error} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button color="red" loading={del.isPending} onClick={() => del.mutate()}>
          {t('custody.deleteShort')}
        </Button>
      </Group>
    </Stack>
  );
}
