import { useState, type ReactNode } from 'react';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../components/ErrorText';
import { FieldErrors, fieldErrorsOf } from '../components/fieldErrors';
import { diffPatch, ifMatch, isStale } from './patch';

export type Setter<T> = <K extends keyof T>(k: K, v: T[K]) => void;

/**
 * A full edit form of a versioned record: only changed fields are sent (merge PATCH) with If-Match of the
 * version read; a 412 says the record changed meanwhile and offers to reload it (the form is then keyed on
 * the new version by its parent and starts again from the server's values).
 */
export function EditForm<T extends Record<string, unknown>>({
  initial,
  version,
  save,
  onSaved,
  onReload,
  invalid,
  children,
}: {
  initial: T;
  version: number;
  save: (patch: Partial<T>, ifMatch: string) => Promise<unknown>;
  onSaved: () => void;
  onReload: () => void;
  invalid?: (v: T) => boolean;
  /** The form's inputs; `fe` holds the server's refusals of the last save by API field name, in the UI language. */
  children: (v: T, set: Setter<T>, fe: Record<string, string>) => ReactNode;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [v, setV] = useState<T>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set: Setter<T> = (k, val) => setV((s) => ({ ...s, [k]: val }));
  const patch = diffPatch(initial, v);
  const unchanged = Object.keys(patch).length === 0;
  const fe = fieldErrorsOf(t, error);
  const bad = invalid?.(v) ?? false;
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (unchanged || bad) return;
        setBusy(true);
        setError(null);
        try {
          await save(patch, ifMatch(version));
          // The change may show in lists, counts and other records on screen.
          void qc.invalidateQueries();
          onSaved();
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack gap="sm">
        <FieldErrors errors={fe}>{children(v, set, fe)}</FieldErrors>
        <SaveError error={error} onReload={onReload} />
        <Group justify="space-between">
          <Text size="sm" c="dimmed" aria-live="polite">
            {unchanged ? t('edit.noChanges') : t('edit.changed', { count: Object.keys(patch).length })}
          </Text>
          <Button type="submit" loading={busy} disabled={unchanged || bad}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The error of a save: "changed meanwhile" with a Reload button for a 412, else the error's message. */
export function SaveError({ error, onReload }: { error: unknown; onReload: () => void }) {
  const { t } = useTranslation();
  return isStale(error) ? (
    <Alert color="yellow" role="alert" title={t('edit.staleTitle')}>
      <Text size="sm">{t('edit.stale')}</Text>
      <Button mt="xs" size="xs" variant="default" onClick={onReload}>
        {t('edit.reload')}
      </Button>
    </Alert>
  ) : (
    <ErrorText error={error} />
  );
}
