import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';

/** Labels of the support vocabularies (types, statuses, priorities, partner kinds): translated, else the server's. */
export function useSupportVocab() {
  const { t } = useTranslation();
  const { data } = useQuery({
    queryKey: ['support-vocabularies'],
    queryFn: async () => unwrap(await api.GET('/api/v1/support-vocabularies')),
    staleTime: Infinity,
  });
  const label = (kind: string, value: string | null | undefined): string => {
    if (!value) return '';
    const term = data?.[kind]?.find((x) => x.value === value);
    return t(`vocab.${kind}.${value}`, { defaultValue: term?.label ?? value });
  };
  const options = (kind: string) => (data?.[kind] ?? []).map((x) => ({ value: x.value, label: label(kind, x.value) }));
  return { label, options };
}
