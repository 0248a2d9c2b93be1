import { useState } from 'react';
import { Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../components/ErrorText';
import { saveBlob } from '../evidence/download';
import { fetchFile, fetchPdf } from './download';

type Lang = 'en' | 'zh' | 'bilingual';

/** Dossier export (audience, language) and the WGAD draft, downloaded through the session. */
export default function DossierExport({ caseId, internalAllowed, wgadAllowed }: { caseId: string; internalAllowed: boolean; wgadAllowed: boolean }) {
  const { t, i18n } = useTranslation();
  const [audience, setAudience] = useState<'internal' | 'external'>('external');
  const [lang, setLang] = useState<Lang>(i18n.language.startsWith('zh') ? 'zh' : 'en');
  const [busy, setBusy] = useState<'dossier' | 'wgad' | 'odt' | 'json' | null>(null);
  const [done, setDone] = useState('');
  const [error, setError] = useState<unknown>(null);
  const id = encodeURIComponent(caseId);

  const run = async (what: 'dossier' | 'wgad' | 'odt' | 'json') => {
    setBusy(what);
    setDone('');
    setError(null);
    try {
      const pdf =
        what === 'json'
          ? await fetchFile(`/api/v1/cases/${id}/export.json`, {}, 'application/json', 'case.json')
          : what === 'odt'
            ? await fetchFile(`/api/v1/cases/${id}/wgad-draft.odt`, { lang }, 'application/vnd.oasis.opendocument.text', 'wgad-draft.odt')
            : what === 'dossier'
            ? await fetchPdf(`/api/v1/cases/${id}/dossier.pdf`, { audience: internalAllowed ? audience : 'external', lang }, 'dossier.pdf')
            : await fetchPdf(`/api/v1/cases/${id}/wgad-draft.pdf`, { lang }, 'wgad-draft.pdf');
      saveBlob(pdf.blob, pdf.filename);
      setDone(t('dossier.saved', { name: pdf.filename }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('dossier.title')}
      </Title>
      <Stack gap="sm">
        <Group align="end" wrap="wrap">
          <Select
            label={t('dossier.audience')}
            value={internalAllowed ? audience : 'external'}
            onChange={(v) => setAudience(v === 'internal' ? 'internal' : 'external')}
            data={[
              { value: 'external', label: t('dossier.external') },
              ...(internalAllowed ? [{ value: 'internal', label: t('dossier.internal') }] : []),
            ]}
            allowDeselect={false}
            w={220}
          />
          <Select
            label={t('dossier.lang')}
            value={lang}
            onChange={(v) => setLang((v as Lang) ?? 'en')}
            data={[
              { value: 'en', label: t('dossier.langs.en') },
              { value: 'zh', label: t('dossier.langs.zh') },
              { value: 'bilingual', label: t('dossier.langs.bilingual') },
            ]}
            allowDeselect={false}
            w={200}
          />
        </Group>
        <Text size="sm" c="dimmed">
          {audience === 'internal' && internalAllowed ? t('dossier.internalHint') : t('dossier.externalHint')}
        </Text>
        <Group>
          <Button onClick={() => void run('dossier')} loading={busy === 'dossier'} disabled={!!busy}>
            {t('dossier.export')}
          </Button>
          {wgadAllowed && (
            <Button variant="default" onClick={() => void run('wgad')} loading={busy === 'wgad'} disabled={!!busy}>
              {t('dossier.wgad')}
            </Button>
          )}
          {wgadAllowed && (
            <Button variant="default" onClick={() => void run('odt')} loading={busy === 'odt'} disabled={!!busy}>
              {t('exports.wgadOdt')}
            </Button>
          )}
          <Button variant="default" onClick={() => void run('json')} loading={busy === 'json'} disabled={!!busy}>
            {t('exports.caseJson')}
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          {t(internalAllowed ? 'exports.caseJsonHintConfidential' : 'exports.caseJsonHint')}
        </Text>
        <div aria-live="polite">
          {busy && <Text size="sm">{t(busy === 'json' || busy === 'odt' ? 'exports.preparing' : 'dossier.preparing')}</Text>}
          {done && <Text size="sm">{done}</Text>}
        </div>
        <ErrorText error={error} />
      </Stack>
    </Card>
  );
}
