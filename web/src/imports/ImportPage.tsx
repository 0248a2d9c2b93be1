import { useRef, useState } from 'react';
import { Alert, Anchor, Button, Card, FileInput, Group, Progress, Radio, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Schemas } from '../api/client';
import { useMe, useVocab } from '../api/hooks';
import { ErrorText } from '../components/ErrorText';
import { Fields } from '../components/Fields';
import { saveBlob } from '../evidence/download';
import { percent, type Progress as Prog } from '../evidence/upload';
import { guessMapping, importFields, messages, parseCsv, readHead, rejectedFromError, rejectsCsv, type Rejected } from './csv';
import { uploadImport, type OnError } from './upload';

/** Translation keys of the field labels (the field name itself is shown too). */
const fieldKeys: Record<string, string> = {
  id: 'import.fieldId',
  name: 'detainee.name',
  other_names: 'import.fieldOtherNames',
  sex: 'detainee.sex',
  born_at: 'detainee.bornAt',
  died_at: 'detainee.diedAt',
  ethnic_group: 'detainee.ethnicGroup',
  nationality: 'detainee.nationality',
  religion: 'detainee.religion',
  occupation_category: 'edit.occupationCategory',
  occupation: 'detainee.occupation',
  home_province: 'detainee.province',
  home_place: 'detainee.homePlace',
  issue: 'detainee.issue',
  detention_status: 'detainee.status',
  detention_place: 'detainee.detentionPlace',
  facility_type: 'detainee.facilityType',
  health_concerns: 'detainee.health',
  cross_references: 'detainee.crossReferences',
  summary: 'detainee.summary',
  source: 'edit.source',
  source_reliability: 'edit.sourceReliability',
  information_credibility: 'edit.credibility',
  family_contacts: 'detainee.familyContacts',
  home_address: 'detainee.homeAddress',
  confidential_notes: 'detainee.notes',
  'case.sentence': 'import.fieldCaseSentence',
};

type Outcome = { result: Schemas['ImportResult'] | null; rejected: Rejected[]; error: unknown; dryRun: boolean; onError: OnError };

/** CSV import of detainees (admins, coordinators): upload, column mapping, dry run, import, rejected lines. */
export default function ImportPage() {
  const { t } = useTranslation();
  const { label, options } = useVocab();
  const me = useMe();
  const qc = useQueryClient();
  const canImport = me.data?.role === 'admin' || me.data?.role === 'coordinator';
  const fields = [...importFields, ...options('name_kinds').map((o) => `other_names.${o.value}`)];
  const fieldLabel = (f: string) => {
    const kind = f.startsWith('other_names.') ? f.slice('other_names.'.length) : null;
    const text = kind ? t('import.fieldNameForm', { kind: label('name_kinds', kind) }) : t(fieldKeys[f] ?? f, { defaultValue: f });
    return `${text} (${f})`;
  };
  const fieldOptions = [{ value: '-', label: t('import.ignore') }, ...fields.map((f) => ({ value: f, label: fieldLabel(f) }))];

  const [file, setFile] = useState<File | null>(null);
  const [head, setHead] = useState<{ header: string[]; sample: string[] } | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [headError, setHeadError] = useState(false);
  const [onError, setOnError] = useState<OnError>('skip');
  const [progress, setProgress] = useState<Prog | null>(null);
  const [running, setRunning] = useState<null | 'dry' | 'import'>(null);
  const [dry, setDry] = useState<Outcome | null>(null);
  const [done, setDone] = useState<Outcome | null>(null);
  const abort = useRef<AbortController | null>(null);

  const choose = async (f: File | null) => {
    setFile(f);
    setHead(null);
    setDry(null);
    setDone(null);
    setProgress(null);
    setHeadError(false);
    if (!f) return;
    const h = await readHead(f);
    if (h.header.length === 0) return setHeadError(true);
    setHead(h);
    setMapping(guessMapping(h.header, fields));
  };

  const run = async (dryRun: boolean) => {
    if (!file) return;
    const mode: OnError = dryRun ? 'skip' : onError;
    const ctl = new AbortController();
    abort.current = ctl;
    setRunning(dryRun ? 'dry' : 'import');
    setProgress({ loaded: 0, total: file.size });
    const set = dryRun ? setDry : setDone;
    set(null);
    try {
      const result = await uploadImport(file, { mapping, dryRun, onError: mode }, setProgress, { signal: ctl.signal });
      // An answer means the whole file arrived (progress events may be coalesced away on a fast link).
      setProgress({ loaded: file.size, total: file.size });
      set({ result, rejected: result.rejected ?? [], error: null, dryRun, onError: mode });
      // New and changed records show in the lists.
      if (!dryRun) void qc.invalidateQueries({ queryKey: ['detainees'] });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') setProgress(null);
      else if (err instanceof TypeError) {
        setProgress(null);
        set({ result: null, rejected: [], error: err, dryRun, onError: mode });
      }
      else {
        setProgress({ loaded: file.size, total: file.size });
        set({ result: null, rejected: rejectedFromError(err) ?? [], error: err, dryRun, onError: mode });
      }
    } finally {
      setRunning(null);
      abort.current = null;
    }
  };

  if (me.data && !canImport)
    return (
      <Alert color="yellow" role="alert">
        {t('import.forbidden')}
      </Alert>
    );

  const mapped = Object.values(mapping).some((f) => f === 'name' || f === 'id');
  const nameColumn = Object.keys(mapping).find((h) => mapping[h] === 'name');
  const pct = percent(progress);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('import.title')}</Title>
        <Anchor component={Link} to="/detainees">
          {t('import.back')}
        </Anchor>
      </Group>
      <Text size="sm">{t('import.intro')}</Text>
      <FileInput
        label={t('import.file')}
        description={t('import.fileHint')}
        accept=".csv,text/csv"
        clearable
        value={file}
        onChange={(f) => void choose(f)}
        disabled={running !== null}
        clearButtonProps={{ 'aria-label': t('import.clearFile') }}
      />
      {headError && (
        <Alert color="red" role="alert">
          {t('import.noHeader')}
        </Alert>
      )}
      {head && (
        <Card withBorder>
          <Title order={3} size="h4" mb="xs">
            {t('import.mapping')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('import.mappingHint')}
          </Text>
          <Table.ScrollContainer minWidth={500} type="native">
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('import.column')}</Table.Th>
                  <Table.Th>{t('import.sample')}</Table.Th>
                  <Table.Th>{t('import.field')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {head.header.map((h, i) => (
                  <Table.Tr key={`${i}-${h}`}>
                    <Table.Td lang="und">{h}</Table.Td>
                    <Table.Td lang="und">
                      <Text size="sm" lineClamp={2}>
                        {head.sample[i] ?? ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={t('import.fieldOf', { column: h })}
                        data={fieldOptions}
                        value={mapping[h] ?? '-'}
                        allowDeselect={false}
                        searchable
                        disabled={running !== null}
                        onChange={(f) => {
                          setMapping((m) => ({ ...m, [h]: f ?? '-' }));
                          setDry(null);
                          setDone(null);
                        }}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {!mapped && (
            <Text size="sm" c="red.9" mt="xs" role="alert">
              {t('import.needName')}
            </Text>
          )}
          <Group mt="md">
            <Button onClick={() => void run(true)} loading={running === 'dry'} disabled={!mapped || running !== null}>
              {t('import.dryRun')}
            </Button>
          </Group>
        </Card>
      )}
      {progress && (
        <Stack gap={4}>
          <Progress value={pct} animated={running !== null} color={running ? undefined : 'green'} aria-label={t('import.progress')} />
          <Group justify="space-between">
            <Text size="sm" aria-live="polite">
              {!running ? t('import.uploaded') : pct < 100 ? t('import.uploading', { pct }) : t('import.processing')}
            </Text>
            {running && (
              <Button size="xs" variant="subtle" color="red" onClick={() => abort.current?.abort()}>
                {t('import.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      )}
      {dry && file && <Report outcome={dry} file={file} nameColumn={nameColumn} />}
      {dry?.result && file && (
        <Card withBorder>
          <Radio.Group label={t('import.onError')} value={onError} onChange={(v) => setOnError(v as OnError)}>
            <Stack gap="xs" mt="xs">
              <Radio value="skip" label={t('import.onErrorSkip')} />
              <Radio value="abort" label={t('import.onErrorAbort')} />
            </Stack>
          </Radio.Group>
          <Group mt="md">
            <Button onClick={() => void run(false)} loading={running === 'import'} disabled={running !== null || (done?.result != null && !done.dryRun)}>
              {t('import.run')}
            </Button>
          </Group>
        </Card>
      )}
      {done && file && <Report outcome={done} file={file} nameColumn={nameColumn} />}
    </Stack>
  );
}

/** What a dry run or an import did: counts, rejected lines (with the download), possible duplicates. */
export function Report({ outcome, file, nameColumn }: { outcome: Outcome; file: File; nameColumn?: string }) {
  const { t } = useTranslation();
  const { result, rejected, error, dryRun } = outcome;
  const dups = result?.possible_duplicates ?? [];
  // Names of the lines with possible duplicates, read from the file (only when there are some).
  const names = useQuery({
    queryKey: ['import-names', file.name, file.size, file.lastModified],
    enabled: dups.length > 0,
    staleTime: Infinity,
    queryFn: async () => {
      const recs = parseCsv(await file.text());
      return new Map(recs.map((r) => [r.line, r.cells]));
    },
  });
  const [saving, setSaving] = useState(false);
  const title = dryRun ? t('import.dryRunResult') : result ? t('import.importResult') : t('import.importFailed');
  return (
    <Card withBorder aria-labelledby={dryRun ? 'import-dry' : 'import-done'}>
      <Title order={3} size="h4" mb="sm" id={dryRun ? 'import-dry' : 'import-done'}>
        {title}
      </Title>
      {error != null && rejected.length === 0 && <ErrorText error={error} />}
      {error != null && rejected.length > 0 && (
        <Alert color="red" role="alert" mb="sm">
          {t('import.nothingImported', { count: rejected.length })}
        </Alert>
      )}
      {result && (
        <Fields
          rows={[
            [t('import.rows'), String(result.rows)],
            [dryRun ? t('import.wouldCreate') : t('import.created'), String(result.created)],
            [dryRun ? t('import.wouldUpdate') : t('import.updated'), String(result.updated)],
            [t('import.rejectedCount'), String(rejected.length)],
          ]}
        />
      )}
      {rejected.length > 0 && (
        <Stack mt="md" gap="xs">
          <Group justify="space-between">
            <Title order={4} size="h5">
              {t('import.rejected')}
            </Title>
            <Button
              size="xs"
              variant="light"
              loading={saving}
              onClick={async () => {
                setSaving(true);
                try {
                  const csv = rejectsCsv(await file.text(), rejected);
                  saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `${file.name.replace(/\.csv$/i, '')}-rejected.csv`);
                } finally {
                  setSaving(false);
                }
              }}
            >
              {t('import.downloadRejects')}
            </Button>
          </Group>
          <Table.ScrollContainer minWidth={500} type="native">
            <Table striped aria-label={t('import.rejected')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('import.line')}</Table.Th>
                  <Table.Th>{t('import.column')}</Table.Th>
                  <Table.Th>{t('import.message')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rejected.flatMap((r) =>
                  Object.keys(r.fields)
                    .sort()
                    .map((c) => (
                      <Table.Tr key={`${r.line}-${c}`} title={messages(r)}>
                        <Table.Td>{r.line}</Table.Td>
                        <Table.Td lang="und">{c}</Table.Td>
                        <Table.Td lang="und">{r.fields[c]}</Table.Td>
                      </Table.Tr>
                    )),
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
      {dups.length > 0 && (
        <Stack mt="md" gap="xs">
          <Title order={4} size="h5">
            {t('import.duplicates')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('import.duplicatesHint')}
          </Text>
          <Stack component="ul" gap={4} m={0} pl="md">
            {dups.map((d) => {
              const cells = names.data?.get(d.line);
              const header = names.data?.get(1);
              const ni = header?.findIndex((h) => h.trim() === nameColumn) ?? -1;
              const name = cells && ni >= 0 ? cells[ni] : undefined;
              return (
                <li key={d.line}>
                  <Text size="sm" component="span">
                    {t('import.duplicateLine', { line: d.line })}
                    {name ? ` (${name})` : ''}:{' '}
                  </Text>
                  {d.detainee_ids.map((id, i) => (
                    <span key={id}>
                      {i > 0 && ', '}
                      <Anchor component={Link} to={`/detainees/${id}`} target="_blank" size="sm">
                        {t('import.record', { id: id.slice(0, 8) })}
                      </Anchor>
                    </span>
                  ))}
                </li>
              );
            })}
          </Stack>
        </Stack>
      )}
    </Card>
  );
}
