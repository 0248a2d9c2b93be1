// The header's offline controls (issue 24): the pending badge (how many entries wait on this device; a tap lists
// them with their state, "Send now" and "Discard"), the "update available, reload" notice, and the sign-out
// button that warns when entries have not been sent. Starts the service worker and the queue.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { Badge, Button, Group, List, Modal, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { entries, discard, flush, onSent, pendingCount, registerAttachmentUploader, startQueue, subscribe, type Entry } from './queue';
import { queuedPhotoUploader } from '../timeline/photoEvent';
import { applyUpdate, onUpdate, registerServiceWorker, updateWaiting } from './register';
import { wipeDevice } from './wipe';

export function usePendingCount(): number {
  return useSyncExternalStore(subscribe, pendingCount);
}

function EntryList({ onChange }: { onChange: () => void }) {
  const { t } = useTranslation();
  const [list, setList] = useState<Entry[] | null>(null);
  const n = usePendingCount();
  useEffect(() => {
    void entries().then(setList);
  }, [n]);
  if (!list) return null;
  if (!list.length) return <Text size="sm">{t('offline.none')}</Text>;
  return (
    <List spacing="xs" listStyleType="none">
      {list.map((e) => (
        <List.Item key={e.id}>
          {e.body && (
            <Text size="sm">
              {e.body.type} · {e.body.occurred_at}
            </Text>
          )}
          <Text size="sm" c={e.state === 'refused' ? 'red.9' : 'dimmed'}>
            {e.state === 'refused'
              ? t('offline.refused', { status: e.error?.status, code: e.error?.code || '-' })
              : e.state === 'unreadable'
                ? t('offline.unreadable')
                : t('offline.waiting')}
          </Text>
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => {
              void discard(e.id).then(onChange);
            }}
          >
            {t('offline.discard')}
          </Button>
        </List.Item>
      ))}
    </List>
  );
}

export function OfflineStatus() {
  const { t } = useTranslation();
  const n = usePendingCount();
  const [open, setOpen] = useState(false);
  const update = useSyncExternalStore(onUpdate, updateWaiting);
  const qc = useQueryClient();
  useEffect(() => {
    void registerServiceWorker();
    registerAttachmentUploader(queuedPhotoUploader()); // photos of queued entries: the resumable upload
    startQueue();
  }, []);
  // Entries sent from the queue show up on the timeline and in counts.
  useEffect(() => onSent(() => void qc.invalidateQueries()), [qc]);
  return (
    <>
      {update && (
        <Button size="xs" variant="light" onClick={applyUpdate} title={t('offline.updateAvailable')}>
          {t('offline.reload')}
        </Button>
      )}
      {n > 0 && (
        <UnstyledButton onClick={() => setOpen(true)} aria-label={t('offline.pending', { count: n })} data-testid="pending-badge">
          <Badge color="orange.9" variant="filled">
            {n}
          </Badge>
        </UnstyledButton>
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title={t('offline.pendingTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack>
          <Text size="sm">{t('offline.pendingHelp')}</Text>
          <EntryList onChange={() => {}} />
          <Group justify="flex-end">
            <Button onClick={() => void flush()}>{t('offline.sendNow')}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** Sign out: asks first when entries have not been sent (send now / discard / cancel); wipes the device. */
export function SignOutButton({ label, onSignOut }: { label: string; onSignOut: () => void }) {
  const { t } = useTranslation();
  const n = usePendingCount();
  const [ask, setAsk] = useState(false);
  const [busy, setBusy] = useState(false);
  const [still, setStill] = useState(false);
  const out = async () => {
    setBusy(true);
    await wipeDevice().catch(() => {});
    onSignOut();
  };
  return (
    <>
      <Button variant="subtle" size="xs" onClick={() => (n > 0 ? setAsk(true) : void out())}>
        {label}
      </Button>
      <Modal opened={ask} onClose={() => setAsk(false)} title={t('offline.signOutTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack>
          <Text size="sm">{t('offline.signOutBody', { count: n })}</Text>
          <div aria-live="polite">{still && <Text size="sm">{t('offline.stillWaiting')}</Text>}</div>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setAsk(false)}>
              {t('offline.cancel')}
            </Button>
            <Button color="red.9" variant="light" loading={busy} onClick={() => void out()}>
              {t('offline.signOutDiscard')}
            </Button>
            <Button
              loading={busy}
              onClick={async () => {
                setBusy(true);
                await flush();
                setBusy(false);
                if (pendingCount() === 0) void out();
                else setStill(true);
              }}
            >
              {t('offline.sendNow')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
