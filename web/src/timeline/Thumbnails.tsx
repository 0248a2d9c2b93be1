import { useEffect, useState } from 'react';
import { Button, Group, Modal, Stack, Text, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiBase, authFetch, unwrap, type Schemas } from '../api/client';
import { ErrorText } from '../components/ErrorText';
import { formatDateTime, formatPartialDate } from '../format';
import { downloadToDisk } from '../evidence/download';
import { HashText } from '../evidence/HashText';
import { formatBytes } from '../evidence/upload';

type Evidence = Schemas['Evidence'];

/** Detected types the server makes thumbnails of (GET .../thumbnail). */
const imageTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** Whether the item has a thumbnail: an available image (by the bytes the server saw, not the declared type). */
export function hasThumbnail(e: Evidence): boolean {
  return e.status === 'available' && imageTypes.has(e.detected_type);
}

/** The case's evidence (first 100), as the "More details" picker lists it: titles and types of linked items. */
export function useCaseEvidence(caseId: string) {
  return useQuery({
    queryKey: ['evidence-options', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/evidence', { params: { path: { id: caseId }, query: { limit: 100 } } })),
  });
}

/**
 * Fetches an item's thumbnail with the session as a blob and answers an object URL, revoked when the
 * component goes away or the item changes. Never through a cache: not the query cache, not the HTTP
 * cache (`cache: 'no-store'`; the server also says `private, no-store`).
 */
export function useThumbnail(caseId: string, id: string): { url: string | null; failed: boolean } {
  const [state, setState] = useState<{ url: string | null; failed: boolean }>({ url: null, failed: false });
  useEffect(() => {
    let url: string | null = null;
    let live = true;
    const ctl = new AbortController();
    const path = `${apiBase}/api/v1/cases/${encodeURIComponent(caseId)}/evidence/${encodeURIComponent(id)}/thumbnail`;
    authFetch(new Request(path, { cache: 'no-store', signal: ctl.signal }))
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const blob = await res.blob();
        if (!live) return;
        url = URL.createObjectURL(blob);
        setState({ url, failed: false });
      })
      .catch(() => {
        if (live) setState({ url: null, failed: true });
      });
    return () => {
      live = false;
      ctl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [caseId, id]);
  return state;
}

/** The thumbnails of an event's linked images, each opening the item (details and download). */
export function EventThumbnails({ caseId, ids }: { caseId: string; ids: string[] }) {
  const { t } = useTranslation();
  const list = useCaseEvidence(caseId);
  const [open, setOpen] = useState<Evidence | null>(null);
  const items = ids.map((id) => list.data?.items.find((e) => e.id === id)).filter((e): e is Evidence => !!e && hasThumbnail(e));
  if (items.length === 0) return null;
  return (
    <>
      <Group gap="xs" mt={6} component="ul" aria-label={t('timeline.photos')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((e) => (
          <li key={e.id}>
            <Thumbnail caseId={caseId} item={e} onOpen={() => setOpen(e)} />
          </li>
        ))}
      </Group>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!open} onClose={() => setOpen(null)} title={open ? t('timeline.photoDialog', { title: open.title }) : ''} size="lg">
        {open && <EvidencePreview caseId={caseId} item={open} />}
      </Modal>
    </>
  );
}

function Thumbnail({ caseId, item, onOpen }: { caseId: string; item: Evidence; onOpen: () => void }) {
  const { t } = useTranslation();
  const { url, failed } = useThumbnail(caseId, item.id);
  if (failed) return null;
  return (
    <UnstyledButton
      onClick={onOpen}
      aria-label={t('timeline.openPhoto', { title: item.title })}
      style={{ display: 'block', width: 96, height: 96, borderRadius: 4, overflow: 'hidden', background: 'var(--mantine-color-gray-2)' }}
    >
      {url && <img src={url} alt={item.title} style={{ width: '100%', height: '100%', objectFit: 'cover', display: 'block' }} />}
    </UnstyledButton>
  );
}

/** An item opened from a timeline card: its thumbnail larger, what it is, and the download. */
function EvidencePreview({ caseId, item }: { caseId: string; item: Evidence }) {
  const { t, i18n } = useTranslation();
  const { url } = useThumbnail(caseId, item.id);
  const [status, setStatus] = useState<{ text?: string; error?: unknown } | null>(null);
  return (
    <Stack gap="xs">
      {url && <img src={url} alt={item.title} style={{ maxWidth: '100%', alignSelf: 'center' }} />}
      <Text size="sm" style={{ wordBreak: 'break-all' }}>
        {item.filename} · {formatBytes(item.size, i18n.language)}
      </Text>
      {item.captured_at && <Text size="sm">{t('evidence.captured', { date: formatPartialDate(item.captured_at) })}</Text>}
      <Text size="sm">{t('evidence.added', { date: formatDateTime(item.created_at) })}</Text>
      <HashText hash={item.sha256} />
      <Button
        variant="light"
        style={{ alignSelf: 'flex-start' }}
        onClick={() => {
          setStatus(null);
          downloadToDisk(item).then(
            () => setStatus({ text: t('resumable.downloadStarted', { title: item.title }) }),
            (error: unknown) => setStatus({ error }),
          );
        }}
        aria-label={t('evidence.downloadOf', { title: item.title })}
      >
        {t('evidence.download')}
      </Button>
      <div aria-live="polite">{status?.text && <Text size="sm">{status.text}</Text>}</div>
      <ErrorText error={status?.error} />
    </Stack>
  );
}
