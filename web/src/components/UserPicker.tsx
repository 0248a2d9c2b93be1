import { useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';

export type UserRef = Schemas['UserRef'];

/** The label of an account in a picker or a list: its display name and role ("Li Wei (Observer)"). */
export function userRefLabel(t: (k: string, o?: Record<string, unknown>) => string, u: { name: string; role: string }): string {
  return t('userPicker.sharedWithRole', { name: u.name, role: t(`userPicker.${u.role}`, { defaultValue: u.role }) });
}

/**
 * Search-as-you-type account picker for managers (GET /user-directory: display name, role and id only):
 * observers to share a case with, or lawyer accounts not yet linked to a lawyer record. The current value is
 * resolved to its name by id, so an account already chosen shows by name even when the search would not list it.
 */
export function UserPicker({
  label,
  description,
  role,
  unlinked,
  value,
  onChange,
  clearable,
  error,
}: {
  label: string;
  description?: string;
  role: 'observer' | 'lawyer';
  unlinked?: boolean;
  value: string | null;
  onChange: (id: string | null) => void;
  clearable?: boolean;
  error?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: ['user-directory', role, unlinked ?? false, q],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/user-directory', { params: { query: { role, q: q || undefined, unlinked: unlinked || undefined, limit: 20 } } })),
    staleTime: 30_000,
  });
  const current = useQuery({
    queryKey: ['user-directory', 'id', value],
    queryFn: async () => unwrap(await api.GET('/api/v1/user-directory', { params: { query: { id: [value ?? ''] } } })),
    enabled: !!value,
    staleTime: 60_000,
  });
  const items: UserRef[] = [...(found.data?.items ?? [])];
  for (const u of current.data?.items ?? []) if (!items.some((x) => x.id === u.id)) items.push(u);
  const data = items.map((u) => ({ value: u.id, label: userRefLabel(t, u) }));
  return (
    <Select
      label={label}
      description={description}
      placeholder={t('userPicker.placeholder')}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      onSearchChange={setSearch}
      // The server filters by name; the options it answers are all shown.
      filter={({ options }) => options}
      nothingFoundMessage={found.isFetching ? t('userPicker.loading') : t('userPicker.nothing')}
      clearable={clearable}
      error={error}
      style={{ flex: 1, minWidth: 220 }}
    />
  );
}
