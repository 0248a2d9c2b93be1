import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Badge, Button, Checkbox, FileButton, Group, Paper, Progress, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { ErrorText } from '../components/ErrorText';
import { compareHash, formatBytes, guessKind, percent, sha256Hex, type HashCheck, type Progress as Prog } from './upload';
import { uploadResumable } from './tus';
import { evidenceKinds } from './kinds';
import { HashText } from './HashText';

type Item = {
  key: number;
  file: File;
  title: string;
  kind: string;
  state: 'ready' | 'uploading' | 'done' | 'error' | 'cancelled';
  progress: Prog | null;
  result?: Schemas['Evidence'];
  check?: HashCheck;
  error?: unknown;
};

let nextKey = 1;

/** Drag and drop (or pick) several files, give each a title and kind, upload them one after the other
 * with a progress bar each; then the server's SHA-256 is shown and compared with one computed here. */
export function Uploader({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [items, setItems] = useState<Item[]>([]);
  const [confidential, setConfidential] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [running, setRunning] = useState(false);
  const aborts = useRef(new Map<number, AbortController>());
  // Closing the tab would cut the uploads short: ask first while they run.
  useEffect(() => {
    if (!running) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [running]);
  const update = (key: number, patch: Partial<Item>) => setItems((a) => a.map((x) => (x.key === key ? { ...x, ...patch } : x)));

  const add = (files: File[] | FileList | null) => {
    if (!files) return;
    const list = [...files].filter((f) => f.size >= 0);
    setItems((a) => [
      ...a,
      ...list.map((file) => ({ key: nextKey++, file, title: file.name.replace(/\.[^.]{1,8}$/, ''), kind: guessKind(file.type), state: 'ready' as const, progress: null })),
    ]);
  };

  const uploadAll = async () => {
    setRunning(true);
    const queue = items.filter((x) => x.state === 'ready' || x.state === 'error');
    for (const it of queue) {
      const ctl = new AbortController();
      aborts.current.set(it.key, ctl);
      update(it.key, { state: 'uploading', progress: { loaded: 0, total: it.file.size }, error: undefined });
      try {
        // Hash here while the upload runs (small files only); the server hashes every byte it stores.
        const local = sha256Hex(it.file).catch(() => null);
        const ev = await uploadResumable(caseId, it.file, { title: it.title, kind: it.kind, confidential }, (p) => update(it.key, { progress: p }), { signal: ctl.signal });
        update(it.key, { state: 'done', result: ev, check: compareHash(await local, ev.sha256), progress: { loaded: it.file.size, total: it.file.size } });
      } catch (err) {
        if (err instanceof DOMException && err.name === 'AbortError') update(it.key, { state: 'cancelled' });
        else update(it.key, { state: 'error', error: err });
      } finally {
        aborts.current.delete(it.key);
      }
    }
    setRunning(false);
    void qc.invalidateQueries({ queryKey: ['evidence', caseId] });
  };

  const pending = items.filter((x) => x.state === 'ready' || x.state === 'error').length;
  return (
    <Stack gap="sm">
      <Paper
        withBorder
        p="md"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          add(e.dataTransfer.files);
        }}
        style={{ borderStyle: 'dashed', borderWidth: 2, background: dragging ? 'var(--mantine-color-indigo-0)' : undefined }}
        data-testid="dropzone"
      >
        <Group justify="center" gap="sm">
          <Text>{t('evidence.drop')}</Text>
          <FileButton onChange={(f) => add(f)} multiple>
            {(props) => (
              <Button variant="default" {...props}>
                {t('evidence.choose')}
              </Button>
            )}
          </FileButton>
        </Group>
      </Paper>
      {items.length > 0 && (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('evidence.queue')}>
          {items.map((it, i) => (
            <Paper component="li" key={it.key} withBorder p="sm">
              <Group align="end" wrap="wrap" gap="sm">
                <TextInput
                  style={{ flex: 2, minWidth: 180 }}
                  label={t('evidence.titleOf', { n: i + 1 })}
                  description={`${it.file.name} · ${formatBytes(it.file.size, i18n.language)}`}
                  value={it.title}
                  required
                  disabled={it.state !== 'ready' && it.state !== 'error'}
                  onChange={(e) => update(it.key, { title: e.currentTarget.value })}
                />
                <Select
                  style={{ flex: 1, minWidth: 150 }}
                  label={t('evidence.kindOf', { n: i + 1 })}
                  data={evidenceKinds.map((k) => ({ value: k, label: t(`evidence.kinds.${k}`) }))}
                  value={it.kind}
                  allowDeselect={false}
                  disabled={it.state !== 'ready' && it.state !== 'error'}
                  onChange={(k) => update(it.key, { kind: k ?? 'document' })}
                />
                {it.state === 'uploading' ? (
                  <Button variant="subtle" color="red" onClick={() => aborts.current.get(it.key)?.abort()}>
                    {t('evidence.cancel')}
                  </Button>
                ) : (
                  it.state !== 'done' && (
                    <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('evidence.removeFile', { name: it.file.name })} onClick={() => setItems((a) => a.filter((x) => x.key !== it.key))}>
                      ×
                    </ActionIcon>
                  )
                )}
              </Group>
              {(it.state === 'uploading' || it.state === 'done') && (
                <Progress
                  mt="xs"
                  value={percent(it.progress)}
                  aria-label={t('evidence.progressOf', { name: it.file.name })}
                  color={it.state === 'done' ? 'green' : undefined}
                  animated={it.state === 'uploading'}
                />
              )}
              <Text size="sm" mt={4} aria-live="polite">
                {it.state === 'uploading' && t('evidence.uploading', { pct: percent(it.progress) })}
                {it.state === 'cancelled' && t('evidence.cancelled')}
              </Text>
              {it.state === 'error' && <ErrorText error={it.error} />}
              {it.state === 'done' && it.result && (
                <Stack gap={4} data-testid="upload-result">
                  <Group gap="xs">
                    <Text size="sm">{t('evidence.storedSha')}</Text>
                    <HashText hash={it.result.sha256} full />
                  </Group>
                  <CheckBadge check={it.check ?? 'serverOnly'} />
                  {it.result.type_mismatch && (
                    <Text size="sm" c="orange.9">
                      {t('evidence.typeMismatch', { declared: it.result.declared_type, detected: it.result.detected_type })}
                    </Text>
                  )}
                </Stack>
              )}
            </Paper>
          ))}
        </Stack>
      )}
      {items.length > 0 && (
        <Group>
          <Checkbox label={t('evidence.markConfidential')} checked={confidential} onChange={(e) => setConfidential(e.currentTarget.checked)} />
          <Button onClick={() => void uploadAll()} disabled={pending === 0 || running || items.some((x) => x.state === 'ready' && !x.title.trim())} loading={running}>
            {t('evidence.upload', { count: pending })}
          </Button>
          {items.some((x) => x.state === 'done' || x.state === 'cancelled') && !running && (
            <Button variant="subtle" onClick={() => setItems((a) => a.filter((x) => x.state !== 'done' && x.state !== 'cancelled'))}>
              {t('evidence.clearDone')}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}

export function CheckBadge({ check }: { check: HashCheck }) {
  const { t } = useTranslation();
  if (check === 'match') return <Badge color="green" variant="light">{t('evidence.hashMatch')}</Badge>;
  if (check === 'mismatch') return <Badge color="red">{t('evidence.hashMismatch')}</Badge>;
  return (
    <Text size="sm" c="dimmed">
      {t('evidence.hashServerOnly')}
    </Text>
  );
}
