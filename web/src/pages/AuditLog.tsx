import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, Modal, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { useMe } from '../api/hooks';
import { usePaged } from '../api/paged';
import { auditQuery, badRange, emptyAuditFilters, filtersFromSearch, filtersToSearch, type AuditFilters } from '../audit/query';
import { ErrorText } from '../components/ErrorText';
import { Fields } from '../components/Fields';
import { LoadMore } from '../components/LoadMore';
import { QueryState } from '../components/States';
import { outcomeColor } from '../evidence/Custody';
import { formatDateTime } from '../format';
import { auditActionLabel, auditObjectLabel } from '../i18n/codes';

/** The object types of the filter, as the API enumerates them (AuditEntry.object_type). */
const objectTypes = ['case', 'detainee', 'lawyer', 'assignment', 'share', 'evidence', 'event', 'hearing', 'custody_period', 'support_action', 'partner', 'user', 'session', 'passkey', 'calendar_feed', 'audit_log', 'route'];

/** The audit log (admins: all; coordinators: entries of cases they see), filtered, newest first. */
export default function AuditLog() {
  const { t } = useTranslation();
  const me = useMe();
  const admin = me.data?.role === 'admin';
  const [search, setSearch] = useSearchParams();
  const applied = filtersFromSearch(search);
  const [draft, setDraft] = useState<AuditFilters>(applied);
  const [open, setOpen] = useState<Schemas['AuditEntry'] | null>(null);
  const showRefresh = search.get('refresh') === 'shown';
  const query = auditQuery(applied, { showRefresh });
  const list = usePaged(['audit', query], async (cursor) => unwrap(await api.GET('/api/v1/audit', { params: { query: { ...query, cursor, limit: 50 } } })));
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 200 } } })),
    enabled: admin,
  });
  const userName = (id: string) => {
    if (!id) return t('audit.system');
    if (id === me.data?.id) return t('audit.you');
    const u = users.data?.items.find((x) => x.id === id);
    return u ? u.name || u.email : id.slice(0, 8);
  };
  const set = (k: keyof AuditFilters) => (v: string | null) => setDraft((d) => ({ ...d, [k]: v ?? '' }));
  const reversed = badRange(draft);

  if (me.data && me.data.role !== 'admin' && me.data.role !== 'coordinator') {
    return <Text>{t('audit.forbidden')}</Text>;
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('audit.title')}</Title>
        {admin && <VerifyChain />}
      </Group>
      <form
        aria-label={t('audit.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          if (!reversed) setSearch(filtersToSearch(draft));
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          {admin ? (
            <Select
              label={t('audit.actor')}
              data={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name || u.email} <${u.email}>` }))}
              value={draft.actor_id || null}
              onChange={set('actor_id')}
              searchable
              clearable
            />
          ) : (
            <TextInput label={t('audit.actorId')} value={draft.actor_id} onChange={(e) => set('actor_id')(e.currentTarget.value)} />
          )}
          <TextInput label={t('audit.caseId')} value={draft.case_id} onChange={(e) => set('case_id')(e.currentTarget.value)} />
          <Select
            label={t('audit.objectType')}
            data={objectTypes.map((o) => ({ value: o, label: auditObjectLabel(t, o) }))}
            value={draft.object_type || null}
            onChange={set('object_type')}
            clearable
          />
          <TextInput label={t('audit.objectId')} value={draft.object_id} onChange={(e) => set('object_id')(e.currentTarget.value)} />
          <TextInput label={t('audit.action')} description={t('audit.actionHint')} value={draft.action} onChange={(e) => set('action')(e.currentTarget.value)} />
          <TextInput type="datetime-local" label={t('audit.from')} value={draft.from} onChange={(e) => set('from')(e.currentTarget.value)} />
          <TextInput
            type="datetime-local"
            label={t('audit.to')}
            value={draft.to}
            error={reversed ? t('audit.badRange') : undefined}
            onChange={(e) => set('to')(e.currentTarget.value)}
          />
          <Group align="end" gap="xs">
            <Button type="submit" disabled={reversed}>
              {t('audit.apply')}
            </Button>
            <Button
              variant="default"
              onClick={() => {
                setDraft(emptyAuditFilters);
                setSearch(new URLSearchParams());
              }}
            >
              {t('audit.clear')}
            </Button>
          </Group>
        </SimpleGrid>
      </form>
      <Switch
        label={t('audit.showRefresh')}
        checked={showRefresh}
        onChange={(e) => {
          const next = new URLSearchParams(search);
          if (e.currentTarget.checked) next.set('refresh', 'shown');
          else next.delete('refresh');
          setSearch(next);
        }}
      />
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('audit.none')}>
        <Table.ScrollContainer minWidth={760} type="native" tabIndex={0}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t('audit.at')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.object')}</Table.Th>
                <Table.Th>{t('audit.outcome')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((e) => (
                <Table.Tr key={e.seq}>
                  <Table.Td>
                    <Anchor component="button" type="button" onClick={() => setOpen(e)} aria-label={t('audit.openEntry', { seq: e.seq })}>
                      {e.seq}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDateTime(e.at)}</Table.Td>
                  <Table.Td>
                    {userName(e.actor_id)}
                    {e.actor_role && (
                      <Text size="xs" c="dimmed">
                        {t(`roles.${e.actor_role}`, { defaultValue: e.actor_role })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {auditActionLabel(t, e.action)}
                    <Code display="block" fz="xs" bg="transparent" p={0}>
                      {e.action}
                    </Code>
                  </Table.Td>
                  <Table.Td>
                    {auditObjectLabel(t, e.object_type)}
                    {e.object_id && (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {e.object_id.slice(0, 8)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={outcomeColor(e.outcome)} variant="light">
                      {t(`audit.outcomes.${e.outcome}`)}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!open} onClose={() => setOpen(null)} title={open ? t('audit.entryTitle', { seq: open.seq }) : ''} size="lg">
        {open && (
          <Stack>
            <Fields
              rows={[
                [t('audit.at'), `${formatDateTime(open.at)} (${open.at})`],
                [t('audit.actor'), `${userName(open.actor_id)} · ${open.actor_role}${open.actor_id ? ` · ${open.actor_id}` : ''}`],
                [t('audit.action'), `${auditActionLabel(t, open.action)} (${open.action})`],
                [t('audit.outcome'), t(`audit.outcomes.${open.outcome}`)],
                [t('audit.object'), [auditObjectLabel(t, open.object_type), open.object_id].filter(Boolean).join(' ')],
                [
                  t('audit.case'),
                  open.case_id ? (
                    <Anchor component={Link} to={`/cases/${open.case_id}`} onClick={() => setOpen(null)}>
                      {open.case_id}
                    </Anchor>
                  ) : (
                    ''
                  ),
                ],
                [t('audit.clientIp'), open.client_ip],
                [t('audit.requestId'), open.request_id],
              ]}
            />
            <div>
              <Text size="sm" fw={500}>
                {t('audit.changes')}
              </Text>
              <Code block data-testid="audit-details">
                {JSON.stringify(open.details ?? {}, null, 2)}
              </Code>
            </div>
            <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {t('audit.prevHash')}: {open.prev_hash}
              <br />
              {t('audit.hash')}: {open.hash}
            </Text>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

/** Re-hashes the whole chain on the server now and shows the outcome (admins). */
function VerifyChain() {
  const { t } = useTranslation();
  const v = useQuery({ queryKey: ['audit-verify'], queryFn: async () => unwrap(await api.GET('/api/v1/audit/verify')), enabled: false, gcTime: 0 });
  return (
    <Stack gap="xs" align="flex-end" style={{ maxWidth: 520 }}>
      <Button variant="default" onClick={() => void v.refetch()} loading={v.isFetching}>
        {t('audit.verify')}
      </Button>
      <div aria-live="polite">
        {v.error ? <ErrorText error={v.error} /> : null}
        {v.data && !v.isFetching && (
          <Alert color={v.data.intact ? 'green' : 'red'} title={v.data.intact ? t('audit.intact') : t('audit.broken')} role={v.data.intact ? 'status' : 'alert'}>
            <Text size="sm">{t('audit.verifiedEntries', { count: v.data.entries, seq: v.data.head_seq })}</Text>
            {v.data.problem && <Text size="sm">{t('audit.problem', { seq: v.data.problem.seq, reason: v.data.problem.reason })}</Text>}
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {t('audit.head')}: {v.data.head_hash}
            </Text>
          </Alert>
        )}
      </div>
    </Stack>
  );
}
