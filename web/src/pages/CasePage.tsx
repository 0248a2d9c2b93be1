import { lazy, Suspense, useState } from 'react';
import { Anchor, Badge, Button, Card, Group, Modal, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMediaQuery } from '@mantine/hooks';
import { api, unwrap, type Schemas } from '../api/client';
import { useMe, useVocab } from '../api/hooks';
import { Loading, QueryState } from '../components/States';
import { Fields } from '../components/Fields';
import { ErrorText } from '../components/ErrorText';
import { FollowButton } from '../notifications/FollowButton';
import { UserPicker, userRefLabel } from '../components/UserPicker';
import { formatDateTime, formatPartialDate } from '../format';
import { SentenceRelease } from '../custody/SentenceRelease';

const dateFields = [
  'detained_at',
  'rsdl_start_at',
  'rsdl_end_at',
  'arrest_approved_at',
  'indicted_at',
  'trial_at',
  'verdict_at',
  'appeal_at',
  'sentence_start_at',
  'sentence_end_at',
  'release_at',
] as const;

const EvidenceSection = lazy(() => import('../evidence/EvidenceSection'));
const CaseEdit = lazy(() => import('../edit/CaseEdit'));
const AssignmentEdit = lazy(() => import('../edit/AssignmentEdit'));
const TimelineSection = lazy(() => import('../timeline/TimelineSection'));
const DeadlinesSection = lazy(() => import('../deadlines/DeadlinesSection'));
const CustodySection = lazy(() => import('../custody/CustodySection'));
const DossierExport = lazy(() => import('../dossier/DossierExport'));
const SupportSection = lazy(() => import('../support/SupportSection'));
const UNSection = lazy(() => import('../un/UNSection'));
const CaseCampaigns = lazy(() => import('../campaigns/CaseCampaigns'));
const CaseLinksSection = lazy(() => import('../links/CaseLinksSection'));
const CaseDetaineesSection = lazy(() => import('../codefendants/CaseDetaineesSection'));

export default function CasePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { label } = useVocab();
  const me = useMe();
  const manager = me.data?.role === 'admin' || me.data?.role === 'coordinator';
  const canEdit = !!me.data && me.data.role !== 'observer';
  const [editing, setEditing] = useState(false);
  const c = useQuery({
    queryKey: ['case', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}', { params: { path: { id } } })),
  });
  const x = c.data;
  // Phones (Mantine's sm breakpoint, 48em, and below): the timeline right under the title, before the
  // profile; in the document order too, so reading and tabbing follow what is seen.
  const phone = useMediaQuery('(max-width: 48em)', undefined, { getInitialValueInEffect: false }) ?? false;
  const timeline = x && (
    <Suspense fallback={<Loading />}>
      <TimelineSection caseId={x.id} canLog={canEdit} />
    </Suspense>
  );
  const profile = x && (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('case.profile')}
      </Title>
      <Fields
        foldEmpty
        rows={[
          [t('case.numbers'), x.case_numbers.join(', ')],
          [t('case.charges'), x.charges.map((ch) => `${label('charges', ch.charge)}${ch.article ? ` (${ch.article})` : ''}${ch.detail ? `: ${ch.detail}` : ''}`).join('\n')],
          [t('case.detainingAuthority'), x.detaining_authority],
          [t('case.investigatingAuthority'), x.investigating_authority],
          [t('case.procuratorate'), x.procuratorate],
          [t('case.court'), x.court],
          [t('case.detentionPlace'), x.detention_place],
          ...dateFields.map((f) => [t(`case.dates.${f}`), formatPartialDate(x[f])] as [string, string]),
          [t('case.summary'), x.summary],
          ...(x.un_consent_by !== undefined ? [[t('consent.by'), x.un_consent_by] as [string, string]] : []),
          [t('consent.at'), formatPartialDate(x.un_consent_at)],
          [t('consent.method'), label('consent_methods', x.un_consent_method)],
          ...(x.confidential_notes !== undefined ? [[t('case.confidentialNotes'), x.confidential_notes] as [string, string]] : []),
          [t('common.updated'), formatDateTime(x.updated_at)],
        ]}
      />
    </Card>
  );
  return (
    <QueryState isLoading={c.isLoading} error={c.error}>
      {x && (
        <Stack>
          <div>
            <Group justify="space-between" wrap="nowrap" align="start">
              <Title order={2} dir="auto">{x.title || x.case_numbers.join(', ') || t('case.untitled')}</Title>
              <Group gap="xs">
                <FollowButton caseId={x.id} />
                {manager && (
                  <Button component={Link} to={`/admin/audit?case_id=${x.id}`} variant="subtle" size="xs">
                    {t('audit.ofCase')}
                  </Button>
                )}
                {canEdit && (
                  <Button size="xs" variant="light" onClick={() => setEditing(true)}>
                    {t('case.edit')}
                  </Button>
                )}
              </Group>
            </Group>
            <Text>
              <Anchor component={Link} to={`/detainees/${x.detainee_id}`} dir="auto">
                {x.detainee_name}
              </Anchor>
            </Text>
            <Group gap="xs" mt="xs">
              <Badge>{label('case_statuses', x.status)}</Badge>
              {x.stage && <Badge variant="outline">{label('stages', x.stage)}</Badge>}
            </Group>
          </div>
          {phone && timeline}
          {profile}
          <Suspense fallback={<Loading />}>
            <CaseDetaineesSection caseId={x.id} canWrite={canEdit} />
          </Suspense>
          <SentenceRelease c={x} />
          <Suspense fallback={<Loading />}>
            <CustodySection caseId={x.id} canWrite={canEdit} />
          </Suspense>
          {canEdit && <CaseProgress key={x.version} c={x} />}
          {!phone && timeline}
          <Suspense fallback={<Loading />}>
            <DeadlinesSection caseId={x.id} />
          </Suspense>
          <Suspense fallback={<Loading />}>
            <UNSection caseId={x.id} canWrite={canEdit} />
          </Suspense>
          <Suspense fallback={<Loading />}>
            <CaseCampaigns caseId={x.id} manager={manager} />
            <CaseLinksSection caseId={x.id} canWrite={canEdit} />
          </Suspense>
          <Assignments caseId={x.id} manager={manager} />
          <Suspense fallback={<Loading />}>
            <EvidenceSection caseId={x.id} canUpload={canEdit} manager={manager} meId={me.data?.id} />
          </Suspense>
          <Suspense fallback={<Loading />}>
            <SupportSection caseId={x.id} manager={manager} />
          </Suspense>
          <Suspense fallback={<Loading />}>
            <DossierExport caseId={x.id} internalAllowed={canEdit} wgadAllowed={canEdit} />
          </Suspense>
          {manager && <Shares caseId={x.id} />}
          {/* Keeps the end of the page clear of the fixed "Log an event" bar of phones. */}
          {phone && canEdit && <div aria-hidden style={{ height: 'calc(64px + env(safe-area-inset-bottom, 0px))' }} />}
          <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={editing} onClose={() => setEditing(false)} title={t('case.edit')} size="xl">
            <Suspense fallback={<Loading />}>
              <CaseEdit c={x} onSaved={() => setEditing(false)} onReload={() => void c.refetch()} />
            </Suspense>
          </Modal>
        </Stack>
      )}
    </QueryState>
  );
}

function Assignments({ caseId, manager }: { caseId: string; manager: boolean }) {
  const { t } = useTranslation();
  const { label, options } = useVocab();
  const qc = useQueryClient();
  const [lawyer, setLawyer] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>('org_appointed');
  const [editing, setEditing] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['assignments', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/assignments', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  const lawyers = useQuery({
    queryKey: ['lawyers', 'all'],
    queryFn: async () => unwrap(await api.GET('/api/v1/lawyers', { params: { query: { limit: 200, sort: 'name' } } })),
    enabled: manager,
  });
  const assign = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/cases/{id}/assignments', {
          params: { path: { id: caseId } },
          body: { lawyer_id: lawyer ?? '', role: role ?? 'org_appointed', status: 'active' },
        }),
      ),
    onSuccess: () => {
      setLawyer(null);
      void qc.invalidateQueries({ queryKey: ['assignments', caseId] });
    },
  });
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('case.lawyers')}
      </Title>
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.data?.items.length === 0} emptyText={t('case.noLawyers')}>
        <Table.ScrollContainer minWidth={400} type="native" tabIndex={0}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('lawyer.name')}</Table.Th>
                <Table.Th>{t('assignment.role')}</Table.Th>
                <Table.Th>{t('assignment.status')}</Table.Th>
                <Table.Th>{t('assignment.period')}</Table.Th>
                {manager && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data?.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    {a.lawyer_name}
                    {a.lawyer_confidential && (
                      <Badge ml="xs" color="red" variant="light" title={t('lawyer.confidentialHint')}>
                        {t('common.confidential')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{label('assignment_roles', a.role)}</Table.Td>
                  <Table.Td>{label('assignment_statuses', a.status)}</Table.Td>
                  <Table.Td>{[formatPartialDate(a.started_at), formatPartialDate(a.ended_at)].filter(Boolean).join(' – ')}</Table.Td>
                  {manager && (
                    <Table.Td>
                      <Button size="compact-sm" variant="subtle" onClick={() => setEditing(a.id)} aria-label={t('assignment.editOf', { name: a.lawyer_name })}>
                        {t('assignment.edit')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </QueryState>
      {manager && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (lawyer) assign.mutate();
          }}
        >
          <Group align="end" mt="md">
            <Select
              label={t('assignment.lawyer')}
              data={(lawyers.data?.items ?? []).map((l) => ({ value: l.id, label: [l.name, l.law_firm].filter(Boolean).join(' — ') }))}
              value={lawyer}
              onChange={setLawyer}
              searchable
              nothingFoundMessage={t('lawyer.none')}
              style={{ flex: 1, minWidth: 200 }}
            />
            <Select label={t('assignment.role')} data={options('assignment_roles')} value={role} onChange={setRole} />
            <Button type="submit" disabled={!lawyer} loading={assign.isPending}>
              {t('assignment.assign')}
            </Button>
          </Group>
          <ErrorText error={assign.error} />
        </form>
      )}
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!editing} onClose={() => setEditing(null)} title={t('assignment.edit')} size="lg">
        <Suspense fallback={<Loading />}>
          {list.data?.items
            .filter((a) => a.id === editing)
            .map((a) => (
              <AssignmentEdit key={a.id} a={a} onSaved={() => setEditing(null)} onReload={() => void list.refetch()} />
            ))}
        </Suspense>
      </Modal>
    </Card>
  );
}

function Shares({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [user, setUser] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['shares', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/shares', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  const share = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/cases/{id}/shares', { params: { path: { id: caseId } }, body: { user_id: (user ?? '').trim() } })),
    onSuccess: () => {
      setUser(null);
      void qc.invalidateQueries({ queryKey: ['shares', caseId] });
    },
  });
  const revoke = useMutation({
    mutationFn: async (sid: string) => unwrap(await api.DELETE('/api/v1/cases/{id}/shares/{sid}', { params: { path: { id: caseId, sid } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['shares', caseId] }),
  });
  const active = list.data?.items.filter((s) => !s.revoked_at) ?? [];
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('share.title')}
      </Title>
      <QueryState isLoading={list.isLoading} error={list.error} empty={active.length === 0} emptyText={t('share.none')}>
        <Stack gap={4}>
          {active.map((s) => (
            <Group key={s.id} justify="space-between">
              <Text>
                {userRefLabel(t, { name: s.user_name || s.user_id, role: s.user_role })} · {formatDateTime(s.created_at)}
              </Text>
              <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(s.id)}>
                {t('share.revoke')}
              </Button>
            </Group>
          ))}
        </Stack>
      </QueryState>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (user) share.mutate();
        }}
      >
        <Group align="end" mt="md">
          <UserPicker label={t('userPicker.shareLabel')} role="observer" value={user} onChange={setUser} />
          <Button type="submit" disabled={!user} loading={share.isPending}>
            {t('share.add')}
          </Button>
        </Group>
        <ErrorText error={share.error ?? revoke.error} />
      </form>
    </Card>
  );
}

/** Moves a case along (status and stage), with If-Match so a concurrent change is not overwritten. */
function CaseProgress({ c }: { c: Schemas['Case'] }) {
  const { t } = useTranslation();
  const { options } = useVocab();
  const [status, setStatus] = useState<string | null>(c.status || null);
  const [stage, setStage] = useState<string | null>(c.stage || null);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH('/api/v1/cases/{id}', {
          params: { path: { id: c.id }, header: { 'If-Match': `"${c.version}"` } },
          body: { status: status ?? '', stage: stage ?? '' },
        }),
      ),
  });
  const changed = (status ?? '') !== c.status || (stage ?? '') !== c.stage;
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('case.progress')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Group align="end">
          <Select label={t('case.status')} data={options('case_statuses')} value={status} onChange={setStatus} allowDeselect={false} />
          <Select label={t('case.stage')} data={options('stages')} value={stage} onChange={setStage} searchable style={{ flex: 1, minWidth: 200 }} />
          <Button type="submit" disabled={!changed} loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
        <ErrorText error={save.error} />
      </form>
    </Card>
  );
}
