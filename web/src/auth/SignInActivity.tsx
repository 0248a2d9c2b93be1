import { Alert, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { usePaged } from '../api/paged';
import { LoadMore } from '../components/LoadMore';
import { QueryState } from '../components/States';
import { formatDateTime } from '../format';

/**
 * Recent failed and refused sign-ins on an account and the locks they set:
 * the caller's own (no userId) or, for an admin, a user's. Each read is
 * audited on the server.
 */
export function SignInActivity({ userId }: { userId?: string }) {
  const { t } = useTranslation();
  const q = usePaged(['sign-in-activity', userId ?? 'me'], async (cursor) =>
    userId
      ? unwrap(await api.GET('/api/v1/users/{id}/sign-in-activity', { params: { path: { id: userId }, query: { cursor } } }))
      : unwrap(await api.GET('/api/v1/me/sign-in-activity', { params: { query: { cursor } } })),
  );
  // The first page carries the account's counts (usePaged types only the list).
  const a = q.data?.pages[0] as Schemas['SignInActivity'] | undefined;
  return (
    <QueryState isLoading={q.isLoading} error={q.error}>
      {a && (
        <Stack gap="sm">
          <Text size="sm">{t('signInActivity.intro')}</Text>
          {a.failures >= a.ceiling ? (
            <Alert color="red">{t('signInActivity.ceilingReached', { count: a.failures })}</Alert>
          ) : (
            <Text size="sm" fw={500}>
              {t('signInActivity.failures', { count: a.failures, ceiling: a.ceiling })}
            </Text>
          )}
          {a.second_factor_failures > 0 && <Text size="sm">{t('signInActivity.secondFactorFailures', { count: a.second_factor_failures })}</Text>}
          {q.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('signInActivity.none')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={500} type="native" tabIndex={0}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('signInActivity.when')}</Table.Th>
                    <Table.Th>{t('signInActivity.what')}</Table.Th>
                    <Table.Th>{t('signInActivity.address')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {q.items.map((e, i) => (
                    <Table.Tr key={`${e.at}-${i}`}>
                      <Table.Td>{formatDateTime(e.at)}</Table.Td>
                      <Table.Td>{describeEvent(t, e)}</Table.Td>
                      <Table.Td>{e.client_ip}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <LoadMore hasMore={!!q.hasNextPage} loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()} />
        </Stack>
      )}
    </QueryState>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

/** One event in words: what happened and, for a lock, what it covers and for how long. */
function describeEvent(t: T, e: Schemas['SignInEvent']): string {
  const what = t(`signInActivity.kinds.${e.kind}`);
  const scope = e.scope ? t(`signInActivity.scopes.${e.scope}`) : '';
  if (e.kind === 'lockout' && e.locked_seconds) {
    return `${what}: ${scope} (${t('signInActivity.lockedFor', { count: Math.max(1, Math.ceil(e.locked_seconds / 60)) })})`;
  }
  return scope ? `${what}: ${scope}` : what;
}
