import { useState } from 'react';
import { Anchor, Select, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';

/** A case's name in a picker or a list: detainee, title or first case number. */
export function caseName(c: Pick<Schemas['LinkedCase'], 'detainee_name' | 'title' | 'case_numbers'>): string {
  const what = c.title || c.case_numbers[0] || '';
  return what ? `${c.detainee_name} — ${what}` : c.detainee_name;
}

/** Search-as-you-type case picker (GET /cases?q=: only the cases the user sees), leaving out `exclude`. */
export function CasePicker({ label, value, onChange, exclude, error }: { label: string; value: string | null; onChange: (id: string | null) => void; exclude?: string; error?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: ['case-picker', q],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases', { params: { query: { q: q || undefined, limit: 20 } } })),
    staleTime: 30_000,
  });
  const data = (found.data?.items ?? []).filter((c) => c.id !== exclude).map((c) => ({ value: c.id, label: caseName(c) }));
  return (
    <Select
      label={label}
      description={t('caseLinks.pickHint')}
      placeholder={t('caseLinks.placeholder')}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('caseLinks.searching') : t('caseLinks.nothing')}
      error={error}
      required
    />
  );
}

/** Search-as-you-type detainee picker (GET /detainees?q=); the chosen one shows by name even when the search would not list it. */
export function DetaineePicker({ label, description, value, onChange, error }: { label: string; description?: string; value: string | null; onChange: (id: string | null) => void; error?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: ['detainee-picker', q],
    queryFn: async () => unwrap(await api.GET('/api/v1/detainees', { params: { query: { q: q || undefined, limit: 20 } } })),
    staleTime: 30_000,
  });
  const current = useQuery({
    queryKey: ['detainee', value],
    queryFn: async () => unwrap(await api.GET('/api/v1/detainees/{id}', { params: { path: { id: value ?? '' } } })),
    enabled: !!value,
    staleTime: 60_000,
  });
  const items = [...(found.data?.items ?? [])];
  if (current.data && !items.some((d) => d.id === current.data.id)) items.push(current.data);
  return (
    <Select
      label={label}
      description={description}
      placeholder={t('caseLinks.placeholder')}
      data={items.map((d) => ({ value: d.id, label: d.name }))}
      value={value}
      onChange={onChange}
      searchable
      clearable
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('caseLinks.searching') : t('caseLinks.nothingDetainee')}
      error={error}
    />
  );
}

/** "Detained: <detainee>" under a lawyer who is now a detainee (the id is only sent to who may see that detainee). */
export function DetainedNote({ detaineeId }: { detaineeId: string }) {
  const { t } = useTranslation();
  const d = useQuery({
    queryKey: ['detainee', detaineeId],
    queryFn: async () => unwrap(await api.GET('/api/v1/detainees/{id}', { params: { path: { id: detaineeId } } })),
    staleTime: 60_000,
  });
  return (
    <Text size="sm" component="span" display="block" data-testid="lawyer-detained">
      {t('caseLinks.detained')}{' '}
      <Anchor component={Link} to={`/detainees/${detaineeId}`} dir="auto">
        {d.data?.name ?? '…'}
      </Anchor>
    </Text>
  );
}

/** "Also a lawyer in Habeas: <lawyer>" on a detainee who is also a lawyer record (only sent to who may see that lawyer). */
export function AlsoLawyerNote({ lawyerId }: { lawyerId: string }) {
  const { t } = useTranslation();
  const l = useQuery({
    queryKey: ['lawyer', lawyerId],
    queryFn: async () => unwrap(await api.GET('/api/v1/lawyers/{id}', { params: { path: { id: lawyerId } } })),
    staleTime: 60_000,
  });
  const name = l.data?.name ?? '';
  return (
    <Text size="sm" data-testid="also-lawyer">
      {t('caseLinks.alsoLawyer')}{' '}
      <Anchor component={Link} to={`/lawyers?q=${encodeURIComponent(name)}`} dir="auto">
        {name || '…'}
      </Anchor>
    </Text>
  );
}
