import { Anchor, Card, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { Bars } from '../components/Bars';
import { QueryState } from '../components/States';
import { openTotal, openTypeRows } from './query';
import { useSupportVocab } from './vocab';

/** The board page (issue 24: columns in workflow order, in ./Board). */
export { default } from './Board';

/** Dashboard: open support actions by type, with the overdue count, linked to the board. */
export function SupportSummaryCard() {
  const { t } = useTranslation();
  const { label } = useSupportVocab();
  const q = useQuery({
    queryKey: ['support', 'summary'],
    queryFn: async () => unwrap(await api.GET('/api/v1/support-actions', { params: { query: { limit: 1 } } })).summary,
  });
  const s = q.data;
  const openCount = s ? openTotal(s) : 0;
  return (
    <Card withBorder mt="md">
      <Title order={3} size="h4" mb="sm">
        {t('dashboard.supportOpenTitle')}
      </Title>
      <QueryState isLoading={q.isLoading} error={q.error} empty={s !== undefined && openCount === 0} emptyText={t('dashboard.supportNoneOpen')}>
        {s && (
          <>
            <Text size="sm" mb="xs">
              {t('dashboard.supportOpen', { open: openCount, overdue: s.overdue })}{' '}
              <Anchor component={Link} to="/support">
                {t('support.board')}
              </Anchor>
            </Text>
            <Bars title={t('dashboard.supportOpenByType')} rows={openTypeRows(s).map((r) => ({ ...r, label: label('support_action_types', r.key) }))} />
          </>
        )}
      </QueryState>
    </Card>
  );
}
