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

/** Values of the vocabularies of issue 19 (plan 19), offered while a server does not list them yet: the labels
 * come from the resource files. The server's list wins as soon as it has one. */
export const localVocabularies: Readonly<Record<string, readonly string[]>> = {
  custody_measures: [
    'no_procedure',
    'summons',
    'administrative_detention',
    'criminal_detention',
    'rsdl',
    'liuzhi',
    'arrest',
    'residential_surveillance',
    'bail',
    'serving_sentence',
    'psychiatric_custody',
    'transformation_camp',
    'post_release_control',
  ],
  sentence_kinds: ['fixed_term', 'life', 'death_suspended', 'death', 'public_surveillance', 'criminal_detention_sentence', 'fine_only', 'exempted', 'none'],
  consent_methods: ['written', 'oral_recorded', 'via_lawyer', 'via_family', 'in_person', 'phone', 'other'],
};

/** Labels of controlled vocabularies: translated in the resource files, the server's English label otherwise. */
export function useVocab() {
  const { t } = useTranslation();
  const { data } = useVocabularies();
  const label = (kind: string, value: string | null | undefined): string => {
    if (!value) return '';
    const term = data?.[kind]?.find((x) => x.value === value);
    return t(`vocab.${kind}.${value}`, { defaultValue: term?.label ?? value });
  };
  const values = (kind: string): readonly string[] => data?.[kind]?.map((x) => x.value) ?? localVocabularies[kind] ?? [];
  const options = (kind: string) => values(kind).map((value) => ({ value, label: label(kind, value) }));
  return { label, options, terms: data };
}
