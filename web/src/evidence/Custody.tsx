import { Badge, Code, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { usePaged } from '../api/paged';
import { LoadMore } from '../components/LoadMore';
import { QueryState } from '../components/States';
import { formatDateTime } from '../format';

export function outcomeColor(o: string) {
  return o === 'ok' ? 'green' : o === 'denied' ? 'orange' : 'red';
}

/** The chain of custody of one item: every upload, view, download, change, check and deletion. */
export function Custody({ caseId, itemId, meId }: { caseId: string; itemId: string; meId?: string }) {
  const { t } = useTranslation();
  const list = usePaged(['custody', caseId, itemId], async (cursor) =>
    unwrap(await api.GET('/api/v1/cases/{id}/evidence/{eid}/custody', { params: { path: { id: caseId, eid: itemId }, query: { cursor, limit: 50 } } })),
  );
  return (
    <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('evidence.noCustody')}>
      <Table.ScrollContainer minWidth={520} type="native" tabIndex={0}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.at')}</Table.Th>
              <Table.Th>{t('audit.action')}</Table.Th>
              <Table.Th>{t('audit.actor')}</Table.Th>
              <Table.Th>{t('audit.outcome')}</Table.Th>
              <Table.Th>{t('audit.details')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.items.map((e) => (
              <Table.Tr key={e.hash}>
                <Table.Td>{formatDateTime(e.at)}</Table.Td>
                <Table.Td>{t(`evidence.actions.${e.action.replace(/^evidence\./, '')}`, { defaultValue: e.action })}</Table.Td>
                <Table.Td>
                  {e.actor_id && e.actor_id === meId ? t('audit.you') : t(`roles.${e.actor_role}`, { defaultValue: e.actor_role })}
                  {e.actor_id && e.actor_id !== meId && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {e.actor_id.slice(0, 8)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={outcomeColor(e.outcome)} variant="light">
                    {t(`audit.outcomes.${e.outcome}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{Object.keys(e.details ?? {}).length > 0 && <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(e.details)}</Code>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
    </QueryState>
  );
}
