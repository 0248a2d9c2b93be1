import { lazy, Suspense, useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { useMe, useVocab } from '../api/hooks';
import { usePaged } from '../api/paged';
import { Bars } from '../components/Bars';
import { ErrorText } from '../components/ErrorText';
import { LoadMore } from '../components/LoadMore';
import { Loading, QueryState } from '../components/States';
import { formatPartialDate } from '../format';
import { CampaignForm } from './CampaignForm';
import { dates } from './CampaignsPage';

// The chart is loaded with the campaign page only (issue 24: nothing on the sign-in path).
const CampaignChart = lazy(() => import('./CampaignChart'));

/** A campaign: its dates and description, the counts over its cases, the chart over time and its cases. */
export default function CampaignPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const manager = me.data?.role === 'admin' || me.data?.role === 'coordinator';
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const c = useQuery({
    queryKey: ['campaign', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/campaigns/{id}', { params: { path: { id } } })),
  });
  const summary = useQuery({
    queryKey: ['campaign-summary', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/campaigns/{id}/summary', { params: { path: { id } } })),
  });
  return (
    <QueryState isLoading={c.isLoading} error={c.error}>
      {c.data && (
        <Stack gap="md">
          <Anchor component={Link} to="/campaigns" size="sm">
            {t('campaigns.back')}
          </Anchor>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={2} dir="auto">
                {c.data.name}
              </Title>
              <Text c="dimmed">{dates(c.data.started_at, c.data.ended_at)}</Text>
            </div>
            {manager && (
              <Group gap="xs">
                <Button size="xs" variant="light" onClick={() => setEditing(true)}>
                  {t('campaigns.edit')}
                </Button>
                <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(true)}>
                  {t('campaigns.delete')}
                </Button>
              </Group>
            )}
          </Group>
          {c.data.description && (
            <Text style={{ whiteSpace: 'pre-wrap' }} dir="auto">
              {c.data.description}
            </Text>
          )}
          <QueryState isLoading={summary.isLoading} error={summary.error}>
            {summary.data && <Overview s={summary.data} />}
            {summary.data && (
              <Suspense fallback={<Loading />}>
                <CampaignChart months={summary.data.months} capped={summary.data.months_capped} />
              </Suspense>
            )}
          </QueryState>
          <CampaignCases id={id} manager={manager} />
          <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={editing} onClose={() => setEditing(false)} title={t('campaigns.edit')}>
            {editing && <CampaignForm key={c.data.version} campaign={c.data} onDone={() => setEditing(false)} />}
          </Modal>
          <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={deleting} onClose={() => setDeleting(false)} title={t('campaigns.delete')}>
            {deleting && <DeleteCampaign c={c.data} />}
          </Modal>
        </Stack>
      )}
    </QueryState>
  );
}

function DeleteCampaign({ c }: { c: Schemas['Campaign'] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const del = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/campaigns/{id}', { params: { path: { id: c.id } } })),
    onSuccess: () => {
      qc.removeQueries({ queryKey: ['campaign', c.id] });
      void navigate('/campaigns');
    },
  });
  return (
    <Stack gap="sm">
      <Text>{t('campaigns.deleteConfirm', { name: c.name })}</Text>
      <Text size="sm" c="dimmed">
        {t('campaigns.deleteHint')}
      </Text>
      {del.error && <ErrorText error={del.error} />}
      <Group justify="flex-end">
        <Button color="red" loading={del.isPending} onClick={() => del.mutate()}>
          {t('campaigns.delete')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The counts of the campaign's cases: totals, by stage and status, support actions by status. */
function Overview({ s }: { s: Schemas['CampaignSummary'] }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const rows = (m: Record<string, number>, name: (k: string) => string) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => ({ key: k || '-', label: name(k), count: n }));
  const overdue = Object.values(s.overdue).reduce((a, b) => a + b, 0);
  return (
    <Card withBorder component="section" aria-labelledby="campaign-overview">
      <Title order={3} size="h4" id="campaign-overview" mb="sm">
        {t('campaigns.summaryTitle')}
      </Title>
      <Group gap="xl" mb="md">
        <Stat label={t('campaigns.casesCount')} value={s.cases} />
        <Stat label={t('campaigns.overdueLimits')} value={overdue} danger={overdue > 0} />
        <Stat label={t('campaigns.overdueCases')} value={s.overdue_cases} danger={s.overdue_cases > 0} />
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <div>
          <Text fw={600} size="sm" mb={4}>
            {t('campaigns.byStage')}
          </Text>
          <Bars title={t('campaigns.byStage')} rows={rows(s.by_stage, (k) => (k ? label('stages', k) : t('campaigns.noStage')))} />
        </div>
        <div>
          <Text fw={600} size="sm" mb={4}>
            {t('campaigns.byStatus')}
          </Text>
          <Bars title={t('campaigns.byStatus')} rows={rows(s.by_status, (k) => label('case_statuses', k))} />
        </div>
        <div>
          <Text fw={600} size="sm" mb={4}>
            {t('campaigns.support')}
          </Text>
          <Bars title={t('campaigns.support')} rows={rows(s.support, (k) => t(`vocab.support_action_statuses.${k}`)).filter((r) => r.count > 0)} />
        </div>
      </SimpleGrid>
    </Card>
  );
}

function Stat({ label, value, danger }: { label: string; value: number; danger?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} c={danger ? 'red.8' : undefined}>
        {value}
      </Text>
    </div>
  );
}

/** The campaign's cases the user sees, with their stage and time limits; managers remove them. */
function CampaignCases({ id, manager }: { id: string; manager: boolean }) {
  const { t } = useTranslation();
  const { label } = useVocab();
  const list = usePaged(['campaign-cases', id], async (cursor) =>
    unwrap(await api.GET('/api/v1/campaigns/{id}/cases', { params: { path: { id }, query: { limit: 50, cursor } } })),
  );
  const remove = useMutation({
    mutationFn: async (caseId: string) =>
      unwrap(await api.DELETE('/api/v1/campaigns/{id}/cases/{caseId}', { params: { path: { id, caseId } } })),
  });
  return (
    <Card withBorder component="section" aria-labelledby="campaign-cases">
      <Title order={3} size="h4" id="campaign-cases" mb="sm">
        {t('campaigns.casesTitle')}
      </Title>
      {remove.error && <ErrorText error={remove.error} />}
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('campaigns.noCases')}>
        <Table.ScrollContainer minWidth={640} type="native" tabIndex={0}>
          <Table striped>
            <Table.Caption>
              <VisuallyHidden>{t('campaigns.casesTitle')}</VisuallyHidden>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaigns.detainee')}</Table.Th>
                <Table.Th>{t('campaigns.stage')}</Table.Th>
                <Table.Th>{t('campaigns.detainedAt')}</Table.Th>
                <Table.Th>{t('campaigns.nextLimit')}</Table.Th>
                <Table.Th>{t('campaigns.overdue')}</Table.Th>
                {manager && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((x) => (
                <Table.Tr key={x.case_id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/cases/${x.case_id}`} dir="auto">
                      {x.detainee_name}
                    </Anchor>
                    {x.title && (
                      <Text size="xs" c="dimmed" dir="auto">
                        {x.title}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{x.stage ? label('stages', x.stage) : ''}</Table.Td>
                  <Table.Td>{formatPartialDate(x.detained_at)}</Table.Td>
                  <Table.Td>
                    {x.next_limit && (
                      <Badge color={x.next_limit.status === 'pending' ? 'blue' : 'red'} variant="light">
                        {t(`deadlines.status.${x.next_limit.status}`)} {x.next_limit.due_at ? formatPartialDate(x.next_limit.due_at.slice(0, 10)) : ''}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{x.overdue > 0 ? <Text c="red.8" fw={600} span>{x.overdue}</Text> : 0}</Table.Td>
                  {manager && (
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        loading={remove.isPending && remove.variables === x.case_id}
                        onClick={() => remove.mutate(x.case_id)}
                        aria-label={t('campaigns.removeOf', { name: x.detainee_name })}
                      >
                        {t('campaigns.remove')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
    </Card>
  );
}
