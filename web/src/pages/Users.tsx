import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Code, Group, Menu, Modal, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, HttpError, unwrap, type Schemas } from '../api/client';
import { SignInActivity } from '../auth/SignInActivity';
import { useMe } from '../api/hooks';
import { QueryState } from '../components/States';
import { ErrorText } from '../components/ErrorText';
import { TestEmailButton } from '../notifications/TestEmailButton';
import { LoadMore } from '../components/LoadMore';
import { usePaged } from '../api/paged';
import { formatDateTime } from '../format';

const roles: Schemas['Role'][] = ['admin', 'coordinator', 'lawyer', 'observer'];

export default function Users() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ email: string; password: string } | null>(null);
  const [notice, setNotice] = useState('');
  const list = usePaged(['users', 'list'], async (after) => unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 50, after } } })));
  const refresh = () => void qc.invalidateQueries({ queryKey: ['users'] });
  const update = useMutation({
    mutationFn: async ({ u, body }: { u: Schemas['User']; body: Schemas['UpdateUserRequest'] }) =>
      unwrap(await api.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body: { ...body, version: u.version } })),
    onSuccess: refresh,
  });
  const reset = useMutation({
    mutationFn: async (u: Schemas['User']) => ({
      u,
      r: unwrap(await api.POST('/api/v1/users/{id}/reset-password', { params: { path: { id: u.id } }, body: {} })),
    }),
    onSuccess: ({ u, r }) => {
      if (r.generated_password) setSecret({ email: u.email, password: r.generated_password });
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: async (u: Schemas['User']) => unwrap(await api.POST('/api/v1/users/{id}/sessions/revoke', { params: { path: { id: u.id } } })),
    onSuccess: (r) => setNotice(t('users.sessionsEnded', { count: r.sessions_revoked })),
  });
  const endFeed = useMutation({
    mutationFn: async (u: Schemas['User']) => {
      try {
        unwrap(await api.DELETE('/api/v1/users/{id}/calendar-feed', { params: { path: { id: u.id } } }));
        return t('users.feedEnded', { name: u.email });
      } catch (e) {
        if (e instanceof HttpError && e.status === 404) return t('users.noFeed', { name: u.email });
        throw e;
      }
    },
    onSuccess: (msg) => setNotice(msg),
  });
  const [activityOf, setActivityOf] = useState<Schemas['User'] | null>(null);
  if (me.data && me.data.role !== 'admin') return <Alert color="yellow">{t('errors.codes.forbidden')}</Alert>;
  return (
    <>
      <Group justify="space-between" mb="md">
        <Title order={2}>{t('nav.users')}</Title>
        <Group align="start">
          <TestEmailButton />
          <Button onClick={() => setCreating(true)}>{t('users.new')}</Button>
        </Group>
      </Group>
      {notice && (
        <Alert color="green" mb="sm" withCloseButton onClose={() => setNotice('')} closeButtonLabel={t('common.close')}>
          {notice}
        </Alert>
      )}
      <ErrorText error={update.error ?? reset.error ?? revoke.error ?? endFeed.error} />
      <QueryState isLoading={list.isLoading} error={list.error} empty={list.items.length === 0} emptyText={t('users.none')}>
        <Table.ScrollContainer minWidth={700} type="native" tabIndex={0}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.name')}</Table.Th>
                <Table.Th>{t('users.email')}</Table.Th>
                <Table.Th>{t('users.role')}</Table.Th>
                <Table.Th>{t('users.state')}</Table.Th>
                <Table.Th>{t('users.created')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td dir="auto">{u.name}</Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('users.roleOf', { name: u.email })}
                      size="xs"
                      data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                      value={u.role}
                      disabled={u.id === me.data?.id}
                      onChange={(r) => r && update.mutate({ u, body: { role: r as Schemas['Role'] } })}
                      allowDeselect={false}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {u.disabled && <Badge variant="light" color="gray">{t('users.disabled')}</Badge>}
                      {u.totp_enabled && <Badge variant="light" color="green">{t('users.totp')}</Badge>}
                      {u.must_change_password && <Badge variant="light" color="yellow">{t('users.mustChange')}</Badge>}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDateTime(u.created_at)}</Table.Td>
                  <Table.Td>
                    <Menu>
                      <Menu.Target>
                        <Button size="xs" variant="light" aria-label={t('users.actionsFor', { name: u.email })}>
                          {t('common.actions')}
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item disabled={u.id === me.data?.id} onClick={() => update.mutate({ u, body: { disabled: !u.disabled } })}>
                          {u.disabled ? t('users.enable') : t('users.disable')}
                        </Menu.Item>
                        <Menu.Item onClick={() => reset.mutate(u)}>{t('users.resetPassword')}</Menu.Item>
                        <Menu.Item onClick={() => revoke.mutate(u)}>{t('users.endSessions')}</Menu.Item>
                        <Menu.Item onClick={() => endFeed.mutate(u)}>{t('users.endFeed')}</Menu.Item>
                        <Menu.Item onClick={() => setActivityOf(u)}>{t('users.signInActivity')}</Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <LoadMore hasMore={!!list.hasNextPage} loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} />
      </QueryState>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={creating} onClose={() => setCreating(false)} title={t('users.new')}>
        <CreateUser
          onCreated={(u) => {
            setCreating(false);
            if (u.generated_password) setSecret({ email: u.email, password: u.generated_password });
            refresh();
          }}
        />
      </Modal>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={!!activityOf}
        onClose={() => setActivityOf(null)}
        title={t('users.signInActivityOf', { name: activityOf?.email ?? '' })}
        size="xl"
      >
        {activityOf && <SignInActivity userId={activityOf.id} />}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={!!secret} onClose={() => setSecret(null)} title={t('users.oneTimePassword')}>
        <Stack>
          <Alert color="yellow">{t('users.oneTimeHint', { email: secret?.email ?? '' })}</Alert>
          <Code data-testid="generated-password" fz="lg">
            {secret?.password}
          </Code>
          <Button onClick={() => setSecret(null)}>{t('common.close')}</Button>
        </Stack>
      </Modal>
    </>
  );
}

function CreateUser({ onCreated }: { onCreated: (u: Schemas['UserWithPassword']) => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Schemas['Role']>('lawyer');
  const [requireMfa, setRequireMfa] = useState(true);
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/users', { body: { email, name, role, require_mfa: requireMfa, must_change_password: true } })),
    onSuccess: onCreated,
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput label={t('users.email')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <TextInput label={t('users.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Select label={t('users.role')} data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} value={role} onChange={(r) => r && setRole(r as Schemas['Role'])} allowDeselect={false} />
        <Checkbox label={t('users.requireMfa')} checked={requireMfa} onChange={(e) => setRequireMfa(e.currentTarget.checked)} />
        <ErrorText error={create.error} />
        <Button type="submit" loading={create.isPending}>
          {t('common.save')}
        </Button>
      </Stack>
    </form>
  );
}
