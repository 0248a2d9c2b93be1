import { useState } from 'react';
import { Alert, Button, FileButton, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, HttpError, unwrap } from '../api/client';
import { ErrorText } from '../components/ErrorText';
import { fetchFile } from '../dossier/download';
import { saveBlob } from '../evidence/download';

/** The case list's exports: the visible cases as CSV (the list's filters), and for managers the import of a case's JSON export. */
export function CaseListExports({ filters, manager }: { filters: Record<string, string | undefined>; manager: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState<'csv' | 'import' | null>(null);
  const [done, setDone] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notJson, setNotJson] = useState(false);

  const exportCsv = async () => {
    setBusy('csv');
    setDone('');
    setError(null);
    setNotJson(false);
    try {
      const query = Object.fromEntries(Object.entries(filters).filter((e): e is [string, string] => !!e[1]));
      const file = await fetchFile('/api/v1/cases/export.csv', query, 'text/csv', 'cases.csv');
      saveBlob(file.blob, file.filename);
      setDone(t('dossier.saved', { name: file.filename }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const importCase = async (file: File | null) => {
    if (!file) return;
    setBusy('import');
    setDone('');
    setError(null);
    setNotJson(false);
    try {
      let doc: unknown;
      try {
        doc = JSON.parse(await file.text());
      } catch {
        setNotJson(true);
        return;
      }
      const res = unwrap(await api.POST('/api/v1/cases/import', { body: doc as never }));
      void navigate(`/cases/${res.case_id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <Group gap="sm">
        <Button variant="default" onClick={() => void exportCsv()} loading={busy === 'csv'} disabled={!!busy}>
          {t('exports.casesCsv')}
        </Button>
        {manager && (
          <FileButton onChange={(f) => void importCase(f)} accept="application/json,.json" inputProps={{ 'aria-label': t('exports.importCase') }}>
            {(props) => (
              <Button {...props} variant="default" loading={busy === 'import'} disabled={!!busy}>
                {t('exports.importCase')}
              </Button>
            )}
          </FileButton>
        )}
      </Group>
      <div aria-live="polite">{done && <Text size="sm">{done}</Text>}</div>
      {notJson && (
        <Alert color="yellow" role="alert" mt="xs">
          {t('exports.notJson')}
        </Alert>
      )}
      <ErrorText error={error} />
      {error instanceof HttpError && error.body?.fields && (
        <Text size="sm" mt={4}>
          {/* The exact JSON paths, to find the record in the file (events[3].occurred_at). */}
          {t('exports.paths', { paths: Object.keys(error.body.fields).join(', ') })}
        </Text>
      )}
    </div>
  );
}
