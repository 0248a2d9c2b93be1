import { useState } from 'react';
import { Button, Checkbox, Group, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, toApiError, unwrap, type Schemas } from '../api/client';
import { Loading } from '../components/States';
import { ErrorText } from '../components/ErrorText';
import { MatchedForm } from '../components/MatchedForm';
import { formatPartialDate } from '../format';
import { SaveError } from './EditForm';
import { ifMatch } from './patch';

/**
 * Merges this detainee into another record (admins, coordinators): find the record to keep by any name
 * form, give a reason, confirm; POST /detainees/{id}/merge with If-Match of this record's version. The
 * server moves the cases and name forms and removes this record; onMerged gets the kept record's id.
 */
export default function MergeDetainee({ d, onMerged, onReload }: { d: Schemas['Detainee']; onMerged: (into: string) => void; onReload: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [dq] = useDebouncedValue(q.trim(), 300);
  const [into, setInto] = useState('');
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const found = useQuery({
    queryKey: ['detainees', 'merge-candidates', dq],
    enabled: dq.length > 0,
    queryFn: async () => unwrap(await api.GET('/api/v1/detainees', { params: { query: { q: dq, limit: 20 } } })),
  });
  const candidates = (found.data?.items ?? []).filter((x) => x.id !== d.id);
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!into || !reason.trim() || !sure) return;
        setBusy(true);
        setError(null);
        try {
          const r = await api.POST('/api/v1/detainees/{id}/merge', {
            params: { path: { id: d.id }, header: { 'If-Match': ifMatch(d.version) } },
            body: { into, reason: reason.trim() },
          });
          if (r.error !== undefined || !r.response.ok) throw toApiError(r.error, r.response);
          onMerged(into);
          // Refresh everything on screen except what belongs to the removed record (it would answer 404).
          void qc.invalidateQueries({ predicate: (q) => !JSON.stringify(q.queryKey).includes(d.id) });
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Stack gap="sm">
        <Text size="sm">{t('merge.intro', { name: d.name })}</Text>
        <TextInput label={t('merge.into')} description={t('merge.intoHint')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} data-autofocus />
        {found.isFetching && <Loading />}
        {found.error != null && <ErrorText error={found.error} />}
        {dq && found.data && candidates.length === 0 && (
          <Text size="sm" c="dimmed" role="status">
            {t('merge.noMatch')}
          </Text>
        )}
        {candidates.length > 0 && (
          <Radio.Group label={t('merge.into')} value={into} onChange={setInto}>
            <Stack gap="xs" mt="xs">
              {candidates.map((c) => (
                <Radio
                  key={c.id}
                  value={c.id}
                  label={
                    <span lang="und">
                      {c.name}
                      {c.other_names.length > 0 && ` · ${c.other_names.map((n) => n.name).join(' · ')}`}
                      {c.born_at && ` (${t('merge.born', { date: formatPartialDate(c.born_at) })})`}
                    </span>
                  }
                  description={<MatchedForm matched={c.matched} shown={c.name} q={dq} />}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
        <Textarea label={t('merge.reason')} required value={reason} autosize minRows={2} onChange={(e) => setReason(e.currentTarget.value)} />
        <Checkbox label={t('merge.confirm')} checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} />
        <SaveError error={error} onReload={onReload} />
        <Group justify="flex-end">
          <Button type="submit" color="red" loading={busy} disabled={!into || !reason.trim() || !sure}>
            {t('merge.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
