import { Card, List, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Schemas } from '../api/client';
import { useVocab } from '../api/hooks';
import { Fields } from '../components/Fields';
import { formatPartialDate } from '../format';

/** A number of months as years and months ("3 years 6 months", "3年6个月"); empty for null. */
export function formatMonths(t: TFunction, months: number | null | undefined): string {
  if (months === null || months === undefined) return '';
  const y = Math.floor(months / 12);
  const m = months % 12;
  if (y === 0) return t('sentence.months', { count: m });
  if (m === 0) return t('sentence.years', { count: y });
  return t('sentence.yearsMonths', { years: t('sentence.years', { count: y }), months: t('sentence.months', { count: m }) });
}

/** The sentence (kind, term, political rights, date in force) and the expected release with its derivation. */
export function SentenceRelease({ c }: { c: Schemas['Case'] }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const basis = c.expected_release_basis ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="sentence-title">
      <Title order={3} size="h4" mb="sm" id="sentence-title">
        {t('sentence.title')}
      </Title>
      <Fields
        rows={[
          [t('sentence.kind'), label('sentence_kinds', c.sentence_kind)],
          [t('sentence.term'), formatMonths(t, c.sentence_term_months)],
          [t('sentence.politicalRights'), formatMonths(t, c.political_rights_months)],
          [t('sentence.inForce'), formatPartialDate(c.sentence_in_force_at)],
          [t('sentence.asPronounced'), c.sentence],
        ]}
      />
      <Title order={4} size="h5" mt="md" mb={4}>
        {t('sentence.expectedRelease')}
      </Title>
      <Text fw={600} data-testid="expected-release">
        {c.expected_release_at ? formatPartialDate(c.expected_release_at) : t('sentence.noExpectedRelease')}
      </Text>
      {basis.length > 0 && (
        <>
          <Text size="sm" c="dimmed" mt={4} id="release-basis">
            {t('sentence.derivation')}
          </Text>
          <List type="ordered" size="sm" spacing={2} aria-labelledby="release-basis">
            {basis.map((line, i) => (
              <List.Item key={i}>{line}</List.Item>
            ))}
          </List>
        </>
      )}
    </Card>
  );
}
