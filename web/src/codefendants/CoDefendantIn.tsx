import { Anchor, Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Schemas } from '../api/client';
import { useVocab } from '../api/hooks';

/** "Co-defendant in": the cases the user sees where this detainee is linked to another detainee's case. */
export function CoDefendantIn({ items }: { items: Schemas['CoDefendantCase'][] }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  if (items.length === 0) return null;
  return (
    <Card withBorder component="section" aria-labelledby="co-defendant-in-title" data-testid="co-defendant-in">
      <Title order={3} size="h4" id="co-defendant-in-title" mb="xs">
        {t('codefendants.coDefendantIn')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('codefendants.coDefendantInIntro')}
      </Text>
      <Stack gap={4}>
        {items.map((c) => (
          <Text key={c.case_id}>
            <Anchor component={Link} to={`/cases/${c.case_id}`}>
              {c.title || t('codefendants.untitled')}
            </Anchor>{' '}
            — {label('case_detainee_roles', c.role)} · {label('case_statuses', c.status)} ·{' '}
            <span lang="und">{t('codefendants.principalOf', { name: c.principal_detainee_name })}</span>
          </Text>
        ))}
      </Stack>
    </Card>
  );
}
