import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from './client';

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: async () => unwrap(await api.GET('/api/v1/me')), staleTime: 60_000 });
}

export function useVocabularies() {
  return useQuery({
    queryKey: ['vocabularies'],
    queryFn: async () => unwrap(await api.GET('/api/v1/vocabularies')) as Schemas['Vocabularies'],
    staleTime: Infinity,
  });
}

/** Labels of controlled vocabularies: translated in the resource files, the server's English label otherwise. */
export function useVocab() {
  const { t } = useTranslation();
  const { data } = useVocabularies();
  const label = (kind: string, value: string | null | undefined): string => {
    if (!value) return '';
    const term = data?.[kind]?.find((x) => x.value === value);
    return t(`vocab.${kind}.${value}`, { defaultValue: term?.label ?? value });
  };
  const options = (kind: string) => (data?.[kind] ?? []).map((x) => ({ value: x.value, label: label(kind, x.value) }));
  return { label, options, terms: data };
}
