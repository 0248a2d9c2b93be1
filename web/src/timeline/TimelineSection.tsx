import { FieldErrors, fieldErrorsOf } from '../components/fieldErrors';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Badge, Button, Card, Checkbox, Chip, FileButton, Group, Modal, Progress, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMediaQuery } from '@mantine/hooks';
import { api, unwrap, type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { usePaged } from '../api/paged';
import { ErrorText } from '../components/ErrorText';
import { LoadMore } from '../components/LoadMore';
import { Loading, QueryState } from '../components/States';
import { formatDateTime } from '../format';
import { formatTimelineDate, isPartialDate, occurredAt } from './dates';
import { HearingForm } from './HearingForm';
import { detailsBody, emptyDetails, EventDetailsFields, type EventDetails } from './EventDetailsFields';
import { SupportRow, uniqueItems } from './SupportRow';
import { hasDraft, useDraft } from '../offline/drafts';
import { EventAfterPhotosError, eventTitle, lazyUpload, PhotoUploadError, saveOrQueueEventWithPhotos, type Evidence, type Photo, type UploadFn } from './photoEvent';
import { EventThumbnails } from './Thumbnails';
import { formatBytes, percent, type Progress as UploadProgress } from '../evidence/upload';

const EventCorrect = lazy(() => import('./Corrections').then((m) => ({ default: m.EventCorrect })));
const EventDelete = lazy(() => import('./Corrections').then((m) => ({ default: m.EventDelete })));
const HearingEdit = lazy(() => import('./Corrections').then((m) => ({ default: m.HearingEdit })));
const TimeAxis = lazy(() => import('./TimeAxis').then((m) => ({ default: m.TimeAxis })));

type Item = Schemas['TimelineItem'];
type Kind = Item['kind'];
const allKinds: Kind[] = ['event', 'hearing', 'key_date', 'support_action'];

/** The timeline query: the chosen kinds (none chosen = all), obstacles only, the page cursor. */
export function timelineQuery(kinds: Kind[], obstacles: boolean, cursor?: string) {
  return {
    ...(kinds.length > 0 && kinds.length < allKinds.length ? { kind: kinds } : {}),
    ...(obstacles ? { obstacle: 'true' as const } : {}),
    ...(cursor ? { cursor } : {}),
    limit: 50,
  };
}

/** The case timeline (events, hearings, key dates, support action changes) and the quick "log event" form. */
export default function TimelineSection({ caseId, canLog }: { caseId: string; canLog: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const [hearing, setHearing] = useState<string | null>(null);
  const [logging, setLogging] = useState(false);
  // A half-written entry kept on the device (issue 24): open the form again with it.
  useEffect(() => {
    if (canLog) void hasDraft(`event:${caseId}`).then((has) => has && setLogging(true));
  }, [caseId, canLog]);
  const [scheduling, setScheduling] = useState(false);
  const [done, setDone] = useState('');
  const [kinds, setKinds] = useState<Kind[]>([]);
  const [obstacles, setObstacles] = useState(false);
  const list = usePaged(['timeline', caseId, kinds, obstacles], async (cursor) =>
    unwrap(await api.GET('/api/v1/cases/{id}/timeline', { params: { path: { id: caseId }, query: timelineQuery(kinds, obstacles, cursor) } })),
  );
  const items = uniqueItems(list.items);
  const [sp, setSp] = useSearchParams();
  const view = sp.get('view') === 'axis' ? 'axis' : 'list';
  const setView = (v: string) =>
    setSp(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (v === 'axis') next.set('view', 'axis');
        else next.delete('view');
        return next;
      },
      { replace: true },
    );
  const { label } = useVocab();
  // Phones (Mantine's sm breakpoint and below): "Log an event" sticks to the bottom of the screen.
  const phone = useMediaQuery('(max-width: 48em)', undefined, { getInitialValueInEffect: false }) ?? false;
  const formRef = useRef<HTMLDivElement>(null);
  const startLogging = () => {
    setLogging(true);
    setDone('');
    requestAnimationFrame(() => formRef.current?.scrollIntoView({ block: 'start' }));
  };
  const labelOf = (it: Item) => `${t(`timeline.kinds.${it.kind}`)}: ${itemTitle(it, t, label)}, ${it.support_action ? `${formatDateTime(it.support_action.started_at)} – ${formatDateTime(it.support_action.at)}` : formatTimelineDate(it.date, it.precision, it.approximate)}`;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h4">
          {t('timeline.title')}
        </Title>
        {canLog && !logging && !scheduling && (
          <Group gap="xs">
            {!phone && (
              <Button size="sm" onClick={startLogging}>
                {t('timeline.logEvent')}
              </Button>
            )}
            <Button size="sm" variant="default" onClick={() => setScheduling(true)}>
              {t('hearings.schedule')}
            </Button>
          </Group>
        )}
      </Group>
      <div aria-live="polite">{done && <Text size="sm" mb="xs">{done}</Text>}</div>
      {canLog && phone && !logging && (
        <>
          <div
            style={{
              position: 'fixed',
              left: 0,
              right: 0,
              bottom: 0,
              zIndex: 90, // under the AppShell's header and navbar (100) and dialogs
              padding: '8px 12px calc(8px + env(safe-area-inset-bottom, 0px))',
              background: 'var(--mantine-color-body)',
              borderTop: '1px solid var(--mantine-color-default-border)',
            }}
          >
            <Button fullWidth size="lg" onClick={startLogging} style={{ minHeight: 52 }}>
              {t('timeline.logEvent')}
            </Button>
          </div>
        </>
      )}
      <div ref={formRef} style={{ scrollMarginTop: 72 }}>
      {logging && (
        <LogEventForm
          caseId={caseId}
          onDone={(logged, queued) => {
            setLogging(false);
            setDone(logged ? t(queued ? 'offline.savedOnDevice' : 'timeline.logged') : '');
          }}
        />
      )}
      </div>
      {scheduling && (
        <HearingForm
          caseId={caseId}
          onDone={(saved) => {
            setScheduling(false);
            setDone(saved ? t('hearings.scheduled') : '');
          }}
        />
      )}
      <Group gap="md" mb="sm" wrap="wrap" align="center">
        <Chip.Group multiple value={kinds} onChange={(v) => setKinds(v as Kind[])}>
          <Group gap={6} role="group" aria-label={t('timeline.filterKinds')}>
            {allKinds.map((k) => (
              <Chip key={k} value={k} size="xs" variant="outline">
                {t(`timeline.kinds.${k}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Checkbox size="sm" label={t('timeline.obstaclesOnly')} checked={obstacles} onChange={(e) => setObstacles(e.currentTarget.checked)} />
        <SegmentedControl
          size="xs"
          value={view}
          onChange={setView}
          aria-label={t('timelineView.view')}
          data={[
            { value: 'list', label: t('timelineView.list') },
            { value: 'axis', label: t('timelineView.axis') },
          ]}
        />
      </Group>
      <QueryState isLoading={list.isLoading} error={list.error} empty={items.length === 0} emptyText={t('timeline.none')}>
        {view === 'axis' ? (
          <Suspense fallback={<Loading />}>
            <TimeAxis caseId={caseId} items={items} labelOf={labelOf} />
          </Suspense>
        ) : (
          <Stack component="ol" gap="xs" aria-label={t('timeline.title')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {items.map((it) =>
              it.support_action ? (
                <SupportRow key={`${it.kind}:${it.id}`} g={it.support_action} />
              ) : (
                <TimelineRow key={`${it.kind}:${it.id}`} caseId={caseId} it={it} onOpen={setOpen} onHearing={canLog ? setHearing : undefined} />
              ),
            )}
          </Stack>
        )}
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!open} onClose={() => setOpen(null)} title={t('timeline.eventTitle')} size="lg">
        {open && <EventDetail caseId={caseId} eventId={open} canEdit={canLog} />}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!hearing} onClose={() => setHearing(null)} title={t('hearings.editTitle')} size="lg">
        {hearing && (
          <HearingPanel
            caseId={caseId}
            hearingId={hearing}
            onSaved={() => {
              setHearing(null);
              setDone(t('hearings.saved'));
            }}
          />
        )}
      </Modal>
    </Card>
  );
}

/** Who was admitted to a hearing, as far as known ("Defence lawyer admitted: no"). */
function admissions(h: Schemas['Hearing'], t: (k: string) => string): string {
  return (['defense_lawyer_admitted', 'family_admitted', 'diplomats_admitted', 'other_observers_admitted'] as const)
    .filter((f) => h[f] !== null)
    .map((f) => `${t(`hearings.${f}`)}: ${t(h[f] ? 'hearings.admitted.yes' : 'hearings.admitted.no')}`)
    .join(' · ');
}

/** The title of a timeline item (its type, key date or support action), as its row and its mark on the axis show it. */
export function itemTitle(it: Item, t: (k: string, o?: Record<string, unknown>) => string, label: (kind: string, value: string) => string): string {
  if (it.event) return label('event_types', it.event.type);
  if (it.hearing) return `${label('hearing_types', it.hearing.type)} · ${label('hearing_statuses', it.hearing.status)}`;
  if (it.key_date) return t(`case.dates.${it.key_date.field}`, { defaultValue: it.key_date.label });
  // Titled in the reader's language from the type and addressee (the server's `title` is English).
  if (it.support_action) return [label('support_action_types', it.support_action.type), it.support_action.addressee].filter(Boolean).join(' — ');
  return '';
}

function TimelineRow({ caseId, it, onOpen, onHearing }: { caseId: string; it: Item; onOpen: (id: string) => void; onHearing?: (id: string) => void }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const date = formatTimelineDate(it.date, it.precision, it.approximate);
  let title = '';
  let detail = '';
  let confidential = false;
  if (it.event) {
    title = label('event_types', it.event.type);
    detail = [it.event.place, it.event.description].filter(Boolean).join(' — ');
    confidential = it.event.confidential;
  } else if (it.hearing) {
    title = `${label('hearing_types', it.hearing.type)} · ${label('hearing_statuses', it.hearing.status)}`;
    detail = [it.hearing.court, it.hearing.outcome, admissions(it.hearing, t), it.hearing.observers && `${t('hearings.observers')}: ${it.hearing.observers}`].filter(Boolean).join(' — ');
    confidential = it.hearing.confidential;
  } else if (it.key_date) {
    title = t(`case.dates.${it.key_date.field}`, { defaultValue: it.key_date.label });
  }
  return (
    <li>
      <Card withBorder padding="xs" style={it.obstacle ? { borderLeft: '4px solid var(--mantine-color-red-8)' } : undefined}>
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600} component="span">
            {date}
          </Text>
          <Badge variant="light" color="gray">
            {t(`timeline.kinds.${it.kind}`)}
          </Badge>
          {it.precision !== 'day' && it.precision !== 'time' && (
            <Badge variant="outline" color="gray">
              {t(`timeline.precision.${it.precision}`)}
            </Badge>
          )}
          {it.obstacle && <Badge color="red">{t('timeline.obstacle')}</Badge>}
          {confidential && <Badge color="red" variant="light">{t('common.confidential')}</Badge>}
          {it.event?.deleted && <Badge color="gray">{t('timeline.deleted')}</Badge>}
        </Group>
        <Text fw={500} dir="auto">{title}</Text>
        {detail && (
          <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
            {detail}
          </Text>
        )}
        {it.event && it.event.evidence_ids.length > 0 && <EventThumbnails caseId={caseId} ids={it.event.evidence_ids} />}
        {it.event && (
          <Button size="compact-sm" variant="subtle" mt={4} onClick={() => onOpen(it.id)} aria-label={t('timeline.detailsOf', { title })}>
            {t('timeline.details')}
          </Button>
        )}
        {it.hearing && onHearing && (
          <Button size="compact-sm" variant="subtle" mt={4} onClick={() => onHearing(it.id)} aria-label={t('hearings.recordOf', { title })}>
            {t('hearings.record')}
          </Button>
        )}
      </Card>
    </li>
  );
}

/** One event with every revision (who changed what, when). */
function EventDetail({ caseId, eventId, canEdit }: { caseId: string; eventId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const [mode, setMode] = useState<'view' | 'correct' | 'delete'>('view');
  const q = useQuery({
    queryKey: ['event', caseId, eventId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/events/{eid}', { params: { path: { id: caseId, eid: eventId } } })),
  });
  const e = q.data;
  if (e && mode !== 'view') {
    return (
      <Suspense fallback={<Loading />}>
        <Title order={3} size="h5" mb="sm">
          {t(mode === 'correct' ? 'timeline.correctTitle' : 'timeline.deleteTitle')}
        </Title>
        {mode === 'correct' ? (
          <EventCorrect e={e} onSaved={() => setMode('view')} onReload={() => void q.refetch()} />
        ) : (
          <EventDelete e={e} onDone={() => setMode('view')} onReload={() => void q.refetch()} />
        )}
        {mode === 'correct' && (
          <Button variant="default" mt="sm" onClick={() => setMode('view')}>
            {t('timeline.cancel')}
          </Button>
        )}
      </Suspense>
    );
  }
  return (
    <QueryState isLoading={q.isLoading} error={q.error}>
      {e && (
        <Stack gap="xs">
          {canEdit && !e.deleted && (
            <Group gap="xs">
              <Button size="xs" variant="light" onClick={() => setMode('correct')}>
                {t('timeline.correct')}
              </Button>
              <Button size="xs" variant="light" color="red" onClick={() => setMode('delete')}>
                {t('timeline.delete')}
              </Button>
            </Group>
          )}
          <Text fw={600}>{label('event_types', e.type)}</Text>
          <Text>{formatTimelineDate(e.occurred_at, e.precision, e.approximate)}</Text>
          {e.place && <Text>{t('timeline.place')}: <bdi>{e.place}</bdi></Text>}
          {e.description && <Text dir="auto" style={{ whiteSpace: 'pre-wrap' }}>{e.description}</Text>}
          {e.source && (
            <Text size="sm">
              {t('timeline.source')}: {e.source}
              {(e.source_reliability || e.information_credibility) && ` (${e.source_reliability}${e.information_credibility})`}
            </Text>
          )}
          {e.evidence_ids.length > 0 && <Text size="sm">{t('timeline.evidenceCount', { count: e.evidence_ids.length })}</Text>}
          {e.deleted && <Text c="red.9">{t('timeline.deletedReason', { reason: e.delete_reason ?? '' })}</Text>}
          <Title order={3} size="h5" mt="sm">
            {t('timeline.revisions')}
          </Title>
          <Stack component="ol" gap={6} style={{ paddingLeft: '1.2rem', margin: 0 }}>
            {(e.revisions ?? []).map((r) => (
              <li key={r.version}>
                <Text size="sm">
                  {t('timeline.revision', { version: r.version, change: t(`timeline.changes.${r.change}`), at: formatDateTime(r.changed_at) })}
                </Text>
                <Text size="xs" c="dimmed">
                  {[label('event_types', r.state.type), formatTimelineDate(r.state.occurred_at, r.state.precision, r.state.approximate), r.state.description]
                    .filter(Boolean)
                    .join(' · ')}
                  {r.reason ? ` · ${r.reason}` : ''}
                </Text>
              </li>
            ))}
          </Stack>
        </Stack>
      )}
    </QueryState>
  );
}

/** The hearing as stored now (fresh version), with its outcome form. */
function HearingPanel({ caseId, hearingId, onSaved }: { caseId: string; hearingId: string; onSaved: () => void }) {
  const q = useQuery({
    queryKey: ['hearing', caseId, hearingId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/hearings/{hid}', { params: { path: { id: caseId, hid: hearingId } } })),
  });
  return (
    <QueryState isLoading={q.isLoading} error={q.error}>
      {q.data && (
        <Suspense fallback={<Loading />}>
          <HearingEdit h={q.data} onSaved={onSaved} onReload={() => void q.refetch()} />
        </Suspense>
      )}
    </QueryState>
  );
}

/** Phone-first quick form: type, when (a day or a partial date, approximate), what happened, confidential,
 * photos taken or picked here (uploaded as evidence and linked to the event in the one Save, photoEvent.ts).
 * Without a network the whole entry, photos too, is kept on the device and sent later (src/offline/). */
export function LogEventForm({
  caseId,
  onDone,
  upload = lazyUpload,
}: {
  caseId: string;
  onDone: (logged: boolean, queued?: boolean) => void;
  upload?: UploadFn;
}) {
  const { t } = useTranslation();
  const { options, terms, label } = useVocab();
  const [type, setType] = useState<string | null>(null);
  const [mode, setMode] = useState<'day' | 'partial'>('day');
  const [day, setDay] = useState(() => new Date().toLocaleDateString('en-CA'));
  const [partial, setPartial] = useState('');
  const [approx, setApprox] = useState(false);
  const [description, setDescription] = useState('');
  const [confidential, setConfidential] = useState(false);
  const [more, setMore] = useState(false);
  const [details, setDetails] = useState<EventDetails>(emptyDetails);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [progress, setProgress] = useState<Record<number, UploadProgress>>({});
  const uploaded = useRef(new Map<number, Evidence>());
  const typeRef = useRef<HTMLInputElement>(null);
  // Opened by a tap on "Log an event": the first field takes the focus (the phone's keyboard comes up).
  useEffect(() => typeRef.current?.focus(), []);
  const when = mode === 'day' ? day : partial;
  const whenOk = isPartialDate(when);
  const obstacle = terms?.event_types?.find((x) => x.value === type)?.obstacle;
  // Issue 24: the half-written form survives a reload (encrypted on the device), and a save without a network
  // is kept on the device and sent later with its Idempotency-Key (src/offline/).
  const draftId = `event:${caseId}`;
  const dropDraft = useDraft(draftId, { type, mode, day, partial, approx, description, confidential, details }, (d) => {
    setType(d.type);
    setMode(d.mode);
    setDay(d.day);
    setPartial(d.partial);
    setApprox(d.approx);
    setDescription(d.description);
    setConfidential(d.confidential);
    setDetails(d.details);
  });
  const save = useMutation({
    // Run offline too (TanStack Query would pause it until online): without a network the entry and its
    // photos are kept on the device (encrypted) and sent later with the entry's Idempotency-Key.
    networkMode: 'always',
    mutationFn: () =>
      saveOrQueueEventWithPhotos({
        caseId,
        key: crypto.randomUUID(),
        body: {
          type: type ?? '',
          occurred_at: occurredAt(when, approx || when.trim().endsWith('~')),
          description: description.trim(),
          confidential,
          ...detailsBody(details),
        },
        photos,
        uploaded: uploaded.current,
        upload,
        title: eventTitle(description, type ? label('event_types', type) : '', when),
        onProgress: (key, p) => setProgress((old) => ({ ...old, [key]: p })),
      }),
    onSuccess: async ({ queued }) => {
      await dropDraft().catch(() => {});
      onDone(true, queued);
    },
  });
  // The server's refusals, each under its field in the user's language (the details' fields read them from FieldErrors);
  // after stored photos, the event's own refusal; none for a failed photo upload.
  const eventError = save.error instanceof EventAfterPhotosError ? save.error.reason : save.error instanceof PhotoUploadError ? null : save.error;
  const fe = fieldErrorsOf(t, eventError);
  const addPhotos = (files: File[] | File | null) => {
    const list = files === null ? [] : Array.isArray(files) ? files : [files];
    if (list.length === 0) return;
    void import('../evidence/tus'); // fetched while the user types the rest, not at Save
    setPhotos((old) => [...old, ...list.map((file) => ({ key: nextPhotoKey++, file }))]);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (type && whenOk && !save.isPending) save.mutate();
      }}
      aria-label={t('timeline.logEvent')}
    >
      <Stack gap="sm" mb="md">
        <Select
          ref={typeRef}
          label={t('timeline.type')}
          required
          searchable
          data={options('event_types')}
          value={type}
          onChange={setType}
          comboboxProps={{ withinPortal: true }}
          size="md"
          error={fe.type}
        />
        {obstacle && (
          <Text size="sm" c="red.9">
            {t('timeline.obstacleHint')}
          </Text>
        )}
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as 'day' | 'partial')}
          data={[
            { value: 'day', label: t('timeline.exactDay') },
            { value: 'partial', label: t('timeline.partialDate') },
          ]}
          aria-label={t('timeline.dateKind')}
        />
        {mode === 'day' ? (
          <TextInput type="date" label={t('timeline.when')} required value={day} onChange={(e) => setDay(e.currentTarget.value)} size="md" error={fe.occurred_at} />
        ) : (
          <TextInput
            label={t('timeline.when')}
            description={t('common.partialDateHint')}
            placeholder="2024-03"
            required
            value={partial}
            onChange={(e) => setPartial(e.currentTarget.value)}
            error={partial && !whenOk ? t('timeline.badDate') : fe.occurred_at}
            size="md"
            inputMode="numeric"
          />
        )}
        <Checkbox label={t('timeline.approximate')} checked={approx} onChange={(e) => setApprox(e.currentTarget.checked)} />
        <Textarea label={t('timeline.description')} autosize minRows={3} maxLength={10000} value={description} onChange={(e) => setDescription(e.currentTarget.value)} size="md" error={fe.description} />
        <PhotoPicker
          photos={photos}
          progress={progress}
          stored={uploaded.current}
          busy={save.isPending}
          onAdd={addPhotos}
          onRemove={(key) => setPhotos((old) => old.filter((p) => p.key !== key))}
        />
        <Checkbox label={t('timeline.confidential')} checked={confidential} onChange={(e) => setConfidential(e.currentTarget.checked)} />
        <Button variant="subtle" size="sm" onClick={() => setMore((m) => !m)} aria-expanded={more} aria-controls="log-event-more" style={{ alignSelf: 'flex-start' }}>
          {t(more ? 'timeline.fewerDetails' : 'timeline.moreDetails')}
        </Button>
        <div id="log-event-more">{more && <FieldErrors errors={fe}><EventDetailsFields caseId={caseId} value={details} onChange={setDetails} size="md" /></FieldErrors>}</div>
        <SaveError error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void dropDraft().catch(() => {}).finally(() => onDone(false))} size="md" disabled={save.isPending}>
            {t('timeline.cancel')}
          </Button>
          <Button type="submit" disabled={!type || !whenOk} loading={save.isPending} size="md">
            {t('timeline.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

let nextPhotoKey = 1;

/** "Add a photo": the camera on a phone (capture), else a file picker; several photos, each removable,
 * with its upload progress during Save. */
function PhotoPicker({
  photos,
  progress,
  stored,
  busy,
  onAdd,
  onRemove,
}: {
  photos: Photo[];
  progress: Record<number, UploadProgress>;
  stored: Map<number, Evidence>;
  busy: boolean;
  onAdd: (files: File[] | null) => void;
  onRemove: (key: number) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap={6}>
      <FileButton onChange={onAdd} accept="image/*" capture="environment" multiple inputProps={{ 'aria-label': t('timeline.addPhoto') }}>
        {(props) => (
          <Button {...props} variant="default" size="md" disabled={busy} style={{ alignSelf: 'flex-start' }}>
            {t(photos.length > 0 ? 'timeline.addAnotherPhoto' : 'timeline.addPhoto')}
          </Button>
        )}
      </FileButton>
      {photos.length > 0 && (
        <Stack component="ul" gap={6} aria-label={t('timeline.photos')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {photos.map((ph) => {
            const done = stored.has(ph.key);
            const p = progress[ph.key];
            return (
              <li key={ph.key}>
                <Group gap="xs" wrap="nowrap" justify="space-between">
                  <Text size="sm" style={{ wordBreak: 'break-all' }} dir="auto">
                    {ph.file.name} · {formatBytes(ph.file.size, i18n.language)}
                    {done && ` · ${t('timeline.photoStored')}`}
                  </Text>
                  {!busy && !done && (
                    <Button size="compact-md" variant="subtle" color="red" onClick={() => onRemove(ph.key)} aria-label={t('timeline.removePhoto', { name: ph.file.name })}>
                      {t('timeline.remove')}
                    </Button>
                  )}
                </Group>
                {busy && !done && p && (
                  <Progress value={percent(p)} size="md" aria-label={t('timeline.photoProgress', { name: ph.file.name, percent: percent(p) })} />
                )}
              </li>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}

/** A failed Save: a photo not uploaded (nothing created), or the event refused after its photos were stored. */
function SaveError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof PhotoUploadError) {
    return (
      <Stack gap={4}>
        <Text size="sm" c="red.9" role="alert">
          {t('timeline.photoUploadFailed', { name: error.filename })}
        </Text>
        <ErrorText error={error.reason} />
      </Stack>
    );
  }
  if (error instanceof EventAfterPhotosError) {
    return (
      <Stack gap={4}>
        <Text size="sm" c="red.9" role="alert">
          {t('timeline.eventFailedPhotosKept', { count: error.stored })}
        </Text>
        <ErrorText error={error.reason} />
      </Stack>
    );
  }
  return <ErrorText error={error} />;
}
