import { lazy, Suspense, useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Modal, Stack, Table, Title, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useMe, useVocab } from '../api/hooks';
import { Loading, QueryState } from '../components/States';
import { Fields } from '../components/Fields';
import { CaseForm } from '../components/CaseForm';
import { formatDateTime, formatPartialDate } from '../format';
import { AlsoLawyerNote } from '../links/pickers';
import { CoDefendantIn } from '../codefendants/CoDefendantIn';

const DetaineeEdit = lazy(() => import('../edit/DetaineeEdit'));
const MergeDetainee = lazy(() => import('../edit/MergeDetainee'));
const RelativesSection = lazy(() => import('../relatives/RelativesSection'));

export default function DetaineePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { label } = useVocab();
  const navigate = useNavigate();
  const location = useLocation();
  // Just created: the server's possible duplicates of the new record (names sharing a folded key).
  const possibleDuplicates = ((location.state as { possibleDuplicates?: string[] } | null)?.possibleDuplicates ?? []).filter((x) => x !== id);
  const me = useMe();
  const canEdit = me.data?.role === 'admin' || me.data?.role === 'coordinator';
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState(false);
  // Admins, coordinators and a lawyer holding one of the detainee's cases may edit (the server decides).
  const mayEdit = !!me.data && me.data.role !== 'observer';
  const d = useQuery({
    queryKey: ['detainee', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/detainees/{id}', { params: { path: { id } } })),
  });
  const cases = useQuery({
    queryKey: ['cases', { detainee_id: id }],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases', { params: { query: { detainee_id: id, limit: 200 } } })),
  });
  const x = d.data;
  // The case list by detainee also holds the cases where the detainee is a co-defendant (issue 25): those are
  // listed under "Co-defendant in", from the detainee's record.
  const ownCases = cases.data?.items.filter((c) => c.detainee_id === id);
  return (
    <QueryState isLoading={d.isLoading} error={d.error}>
      {x && (
        <Stack>
          <Group justify="space-between" wrap="nowrap" align="start">
            <Title order={2} dir="auto">{x.name}</Title>
            <Group gap="xs">
              {mayEdit && (
                <Button size="xs" variant="light" onClick={() => setEditing(true)}>
                  {t('detainee.edit')}
                </Button>
              )}
              {canEdit && (
                <Button size="xs" variant="default" onClick={() => setMerging(true)}>
                  {t('merge.open')}
                </Button>
              )}
            </Group>
          </Group>
          {x.lawyer_id && <AlsoLawyerNote lawyerId={x.lawyer_id} />}
          {possibleDuplicates.length > 0 && (
            <Alert color="yellow" title={t('detainee.possibleDuplicatesTitle')} data-testid="possible-duplicates">
              <Text size="sm" mb="xs">
                {t('detainee.possibleDuplicatesHint')}
              </Text>
              <Group gap="sm">
                {possibleDuplicates.map((dupID, i) => (
                  <DuplicateLink key={dupID} id={dupID} n={i + 1} />
                ))}
              </Group>
            </Alert>
          )}
          <Card withBorder>
            <Title order={3} size="h4" mb="sm">
              {t('detainee.names')}
            </Title>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('detainee.name')}</Table.Th>
                  <Table.Th>{t('detainee.nameKind')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td lang="und" dir="auto">{x.name}</Table.Td>
                  <Table.Td>{t('detainee.primaryName')}</Table.Td>
                </Table.Tr>
                {x.other_names.map((n, i) => (
                  <Table.Tr key={i}>
                    <Table.Td lang="und" dir="auto">{n.name}</Table.Td>
                    <Table.Td>{label('name_kinds', n.kind)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          <Card withBorder>
            <Title order={3} size="h4" mb="sm">
              {t('detainee.profile')}
            </Title>
            <Fields
              rows={[
                [t('detainee.sex'), label('sexes', x.sex)],
                [t('detainee.bornAt'), formatPartialDate(x.born_at)],
                ...(x.died_at ? [[t('detainee.diedAt'), formatPartialDate(x.died_at)] as [string, string]] : []),
                [t('detainee.ethnicGroup'), x.ethnic_group],
                [t('detainee.religion'), x.religion],
                [t('detainee.occupation'), [x.occupation_category, x.occupation].filter(Boolean).join(' — ')],
                [t('detainee.province'), x.home_province],
                [t('detainee.homePlace'), x.home_place],
                [t('detainee.nationality'), x.nationality ?? ''],
                [t('detainee.issue'), label('issue_categories', x.issue)],
                [t('detainee.status'), label('detention_statuses', x.detention_status)],
                [t('detainee.detentionPlace'), x.detention_place],
                [t('detainee.facilityType'), label('facility_types', x.facility_type)],
                [t('detainee.health'), x.health_concerns],
                [t('detainee.summary'), x.summary],
                [t('detainee.source'), [x.source, x.source_reliability, x.information_credibility].filter(Boolean).join(' · ')],
                [t('detainee.crossReferences'), x.cross_references.map((c) => `${c.database} ${c.record_id}`).join(', ')],
                [t('common.updated'), formatDateTime(x.updated_at)],
              ]}
            />
          </Card>
          {x.family_contacts !== undefined && (
            <Card withBorder>
              <Group mb="sm">
                <Title order={3} size="h4">
                  {t('detainee.confidential')}
                </Title>
                <Badge color="red">{t('common.confidential')}</Badge>
              </Group>
              <Fields
                rows={[
                  [t('detainee.familyContacts'), x.family_contacts],
                  [t('detainee.homeAddress'), x.home_address],
                  [t('detainee.notes'), x.confidential_notes],
                ]}
              />
            </Card>
          )}
          <Suspense fallback={<Loading />}>
            <RelativesSection detaineeId={x.id} canWrite={mayEdit} />
          </Suspense>
          <Card withBorder>
            <Group justify="space-between" mb="sm">
              <Title order={3} size="h4">
                {t('nav.cases')}
              </Title>
              {canEdit && <Button size="xs" onClick={() => setCreating(true)}>{t('case.new')}</Button>}
            </Group>
            <QueryState isLoading={cases.isLoading} error={cases.error} empty={ownCases?.length === 0} emptyText={t('case.none')}>
              <Stack gap={4}>
                {ownCases?.map((c) => (
                  <Text key={c.id}>
                    <Anchor component={Link} to={`/cases/${c.id}`}>
                      {c.title || c.case_numbers.join(', ') || t('case.untitled')}
                    </Anchor>{' '}
                    — {label('case_statuses', c.status)} · {label('stages', c.stage)}
                  </Text>
                ))}
              </Stack>
            </QueryState>
          </Card>
          <CoDefendantIn items={x.co_defendant_in ?? []} />
          <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={creating} onClose={() => setCreating(false)} title={t('case.new')} size="lg">
            <CaseForm detaineeId={x.id} onCreated={(c) => navigate(`/cases/${c.id}`)} />
          </Modal>
          <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={editing} onClose={() => setEditing(false)} title={t('detainee.edit')} size="xl">
            <Suspense fallback={<Loading />}>
              <DetaineeEdit d={x} onSaved={() => setEditing(false)} onReload={() => void d.refetch()} />
            </Suspense>
          </Modal>
          <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={merging} onClose={() => setMerging(false)} title={t('merge.title')} size="lg">
            <Suspense fallback={<Loading />}>
              <MergeDetainee
                key={x.version}
                d={x}
                onReload={() => void d.refetch()}
                onMerged={(into) => {
                  setMerging(false);
                  navigate(`/detainees/${into}`);
                }}
              />
            </Suspense>
          </Modal>
        </Stack>
      )}
    </QueryState>
  );
}

/** A link to a possible duplicate: its name and birth date once loaded, "Possible duplicate n" until then (or if it cannot be read). */
function DuplicateLink({ id, n }: { id: string; n: number }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['detainee', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/detainees/{id}', { params: { path: { id } } })),
    retry: false,
  });
  const x = q.data;
  const text = !x
    ? t('detainee.possibleDuplicate', { n })
    : x.born_at
      ? t('detainee.possibleDuplicateBorn', { name: x.name, born: formatPartialDate(x.born_at) })
      : x.name;
  return (
    <Anchor component={Link} to={`/detainees/${id}`} size="sm" dir="auto">
      {text}
    </Anchor>
  );
}
