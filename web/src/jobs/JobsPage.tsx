import { useState } from 'react';
import { Alert, Badge, Button, Group, Select, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';
import { useMe } from '../api/hooks';
import { usePaged } from '../api/paged';
import { QueryState } from '../components/States';
import { ErrorText } from '../components/ErrorText';
import { LoadMore } from '../components/LoadMore';
import { formatDateTime } from '../format';

type JobState = Schemas['JobState'];

/** The states in the order the counts are shown (the API's JobCounts). */
export const jobStates: JobState[] = ['available', 'scheduled', 'running', 'retryable', 'completed', 'discarded', 'cancelled', 'pending'];

const stateColor: Partial<Record<JobState, string>> = { retryable: 'yellow', discarded: 'red', running: 'blue', completed: 'green' };

/** Admin view of the background job queue (issue 26, docs/jobs.md): counts, failures first, retry. */
export default function JobsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [state, setState] = useState<JobState | ''>('');
  const [notice, setNotice] = useState('');
  const list = usePaged(['jobs', 'list', state], async (cursor) =>
    unwrap(await api.GET('/api/v1/admin/jobs', { params: { query: { limit: 50, cursor, state: state || undefined } } })),
  );
  // Counts cover every state, whatever the filter.
  const counts = (list.data?.pages[0] as Schemas['JobPage'] | undefined)?.counts;
  const retry = useMutation({
    mutationFn: async (j: Schemas['Job']) => unwrap(await api.POST('/api/v1/admin/jobs/{id}/retry', { params: { path: { id: j.id } } })),
    onSuccess: (j) => {
      setNotice(t('jobs.retried', { id: j.id, kind: j.kind }));
      void qc.invalidateQueries({ queryKey: ['jobs'] });
    },
  });
  if (me.data && me.data.role !== 'admin') return <Alert color="yellow">{t('errors.codes.forbidden')}</Alert>;
  return (
    <>
      <Title order={2} mb="md">
        {t('nav.jobs')}
      </Title>
      <Title order={3} size="h4" id="job-counts">
        {t('jobs.counts')}
      </Title>
      <Table.ScrollContainer minWidth={500} type="native" tabIndex={0} mb="md">
          <Table aria-labelledby="job-counts" data-testid="job-counts">
            <Table.Thead>
              <Table.Tr>
                {jobStates.map((s) => (
                  <Table.Th key={s}>{t(`jobs.states.${s}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              <Table.Tr>
                {jobStates.map((s) => (
                  <Table.Td key={s}>{counts ? counts[s] : '…'}</Table.Td>
                ))}
              </Table.Tr>
            </Table.Tbody>
          </Table>
      </Table.ScrollContainer>
      <Group justify="space-between" align="end" mb="sm">
        <Title order={3} size="h4" id="job-list">
          {t('jobs.list')}
        </Title>
        <Select
          label={t('jobs.stateFilter')}
          w={220}
          data={[{ value: '', label: t('jobs.allStates') }, ...jobStates.map((s) => ({ value: s, label: t(`jobs.states.${s}`) }))]}
          value={state}
          onChange={(v) => setState((v ?? '') as JobState | '')}
          allowDeselect={false}
        />
      </Group>
      {notice && (
        <Alert color="green" mb="sm" withCloseButton onClose={() => setNotice('')} closeButtonLabel={t('common.close')}>
          {notice}
        </Alert>
      )}
      <ErrorText error={retry.error} />
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('jobs.none')}>
        <Table.ScrollContainer minWidth={800} type="native" tabIndex={0}>
          <Table striped aria-labelledby="job-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('jobs.kind')}</Table.Th>
                <Table.Th>{t('jobs.state')}</Table.Th>
                <Table.Th>{t('jobs.attempts')}</Table.Th>
                <Table.Th>{t('jobs.lastError')}</Table.Th>
                <Table.Th>{t('jobs.created')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((j) => (
                <Table.Tr key={j.id}>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {j.kind}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={stateColor[j.state] ?? 'gray'}>
                      {t(`jobs.states.${j.state}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{t('jobs.attemptsOf', { attempt: j.attempt, max: j.max_attempts })}</Table.Td>
                  <Table.Td style={{ maxWidth: 360 }}>
                    {j.errors[0] ? (
                      <Text size="sm" dir="auto" style={{ overflowWrap: 'anywhere' }}>
                        {j.errors[0].error}
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({formatDateTime(j.errors[0].at)})
                        </Text>
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('jobs.noError')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(j.created_at)}</Table.Td>
                  <Table.Td>
                    {(j.state === 'retryable' || j.state === 'discarded' || j.state === 'cancelled') && (
                      <Button
                        size="xs"
                        variant="light"
                        loading={retry.isPending && retry.variables?.id === j.id}
                        aria-label={t('jobs.retryOf', { id: j.id, kind: j.kind })}
                        onClick={() => retry.mutate(j)}
                      >
                        {t('jobs.retry')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
    </>
  );
}
