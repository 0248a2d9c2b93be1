import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type Schemas } from '../api/client';
import { useVocab } from '../api/hooks';

/** The label of the field a search matched: a name form's kind, or a translated field name. */
export function useMatchField() {
  const { t } = useTranslation();
  const { label } = useVocab();
  return (field: string): string => {
    const kind = /^(?:detainee\.)?other_names\.(.+)$/.exec(field)?.[1];
    if (kind) return label('name_kinds', kind);
    return t(`search.field.${field}`, { defaultValue: field });
  };
}

/**
 * The name form (or field) a search matched, under a list row's name: "Matched: 劉曉波", with the kind of
 * name form when it is another name ("Matched in Pinyin: Liu Xiaobo"). Nothing without a search, nor when
 * the row already shows the form and the query is visibly part of it (no folding was needed to match).
 */
export function MatchedForm({ matched, shown, q }: { matched?: Schemas['SearchMatch'] | undefined; shown: string | readonly string[]; q: string }) {
  const { t } = useTranslation();
  const fieldLabel = useMatchField();
  if (!matched?.form || !q) return null;
  if (isObvious(matched, shown, q)) return null;
  const plain = matched.field === 'name' || matched.field === 'detainee.name';
  return (
    <Text component="div" size="xs" c="dimmed" data-testid="matched">
      {plain ? t('search.matched', { form: matched.form }) : t('search.matchedIn', { field: fieldLabel(matched.field), form: matched.form })}
    </Text>
  );
}

/** The match needs no explanation: the row shows the form and it contains the query as typed (any case). */
export function isObvious(m: Schemas['SearchMatch'], shown: string | readonly string[], q: string): boolean {
  const visible = (typeof shown === 'string' ? [shown] : shown).includes(m.form);
  return visible && m.form.toLocaleLowerCase().includes(q.trim().toLocaleLowerCase());
}
