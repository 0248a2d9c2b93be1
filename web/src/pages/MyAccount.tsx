import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Checkbox, CopyButton, Group, List, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, apiBase, unwrap } from '../api/client';
import { useMe } from '../api/hooks';
import { SignInActivity } from '../auth/SignInActivity';
import { RecoveryCodes } from '../auth/RecoveryCodes';
import { ErrorText } from '../components/ErrorText';
import { QueryState } from '../components/States';
import { formatDateTime } from '../format';
import { cancelled, localhostURL, onIPAddress, passkeysSupported, registerPasskey } from '../auth/passkey';

/**
 * The user's own page: account, passkeys, recent failed sign-ins and locks,
 * and the hearing calendar feed (secret URL shown once).
 */
export default function MyAccount() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <>
      <Title order={2} mb="md">
        {t('me.title')}
      </Title>
      <Stack>
        {me.data && (
          <Card withBorder>
            <Text fw={600}>{me.data.name || me.data.email}</Text>
            <Text size="sm">
              {me.data.email} · {t(`roles.${me.data.role}`)}
            </Text>
          </Card>
        )}
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            {t('notifications.settingsTitle')}
          </Title>
          <Text size="sm" mb="sm">
            {t('notifications.settingsIntro')}
          </Text>
          <Anchor component={Link} to="/settings/notifications">
            {t('notifications.settingsLink')}
          </Anchor>
        </Card>
        <Passkeys />
        <Card withBorder>
          <Title order={3} size="h4" mb="sm">
            {t('signInActivity.title')}
          </Title>
          <SignInActivity />
        </Card>
        <CalendarFeed />
      </Stack>
    </>
  );
}

function CalendarFeed() {
  const { t } = useTranslation();
  const [url, setUrl] = useState('');
  const q = useQuery({ queryKey: ['calendar-feed'], queryFn: async () => unwrap(await api.GET('/api/v1/me/calendar-feed')) });
  const rotate = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/me/calendar-feed')),
    onSuccess: (f) => setUrl(f.url ? new URL(`${apiBase}${f.url}`, window.location.origin).toString() : ''),
  });
  const revoke = useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/me/calendar-feed')),
    onSuccess: () => setUrl(''),
  });
  const active = q.data?.active;
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="sm">
        {t('me.feed')}
      </Title>
      <QueryState isLoading={q.isLoading} error={q.error}>
        <Stack gap="sm">
          <Text size="sm">{t('me.feedIntro')}</Text>
          <Text size="sm">{t('me.feedEnds')}</Text>
          <Text size="sm" fw={500}>
            {active ? t('me.feedActive', { date: formatDateTime(q.data?.created_at) }) : t('me.feedNone')}
          </Text>
          {url && (
            <Stack gap={4}>
              <TextInput label={t('me.feedUrl')} description={t('me.feedOnce')} value={url} readOnly onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={url}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy} w="fit-content">
                    {copied ? t('me.copied') : t('me.copy')}
                  </Button>
                )}
              </CopyButton>
            </Stack>
          )}
          <Group>
            <Button onClick={() => rotate.mutate()} loading={rotate.isPending}>
              {active ? t('me.feedRotate') : t('me.feedCreate')}
            </Button>
            {active && (
              <Button color="red" variant="light" onClick={() => revoke.mutate()} loading={revoke.isPending}>
                {t('me.feedRevoke')}
              </Button>
            )}
          </Group>
          <ErrorText error={rotate.error ?? revoke.error} />
        </Stack>
      </QueryState>
    </Card>
  );
}

/** The user's passkeys: add (name and password), list, remove (password). */
function Passkeys() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['passkeys'], queryFn: async () => unwrap(await api.GET('/api/v1/auth/passkeys')) });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const [added, setAdded] = useState('');
  const add = useMutation({
    mutationFn: () => registerPasskey({ name, password }),
    onSuccess: (r) => {
      setName('');
      setPassword('');
      setAdded(r.passkey.name);
      setCodes(r.recovery_codes ?? []);
      setSaved(false);
      void qc.invalidateQueries({ queryKey: ['passkeys'] });
      void qc.invalidateQueries({ queryKey: ['me'] });
    },
  });
  const usable = passkeysSupported() && !onIPAddress();
  return (
    <Card withBorder component="section" aria-labelledby="passkeys-title">
      <Title order={3} size="h4" mb="sm" id="passkeys-title">
        {t('passkeys.title')}
      </Title>
      <Stack gap="sm">
        <Text size="sm">{t('passkeys.intro')}</Text>
        <QueryState isLoading={q.isLoading} error={q.error}>
          {q.data && q.data.items.length === 0 && <Text size="sm">{t('passkeys.none')}</Text>}
          {q.data && q.data.items.length > 0 && (
            <List listStyleType="none" spacing="sm" aria-label={t('passkeys.listLabel')}>
              {q.data.items.map((p) => (
                <List.Item key={p.id}>
                  <PasskeyRow passkey={p} />
                </List.Item>
              ))}
            </List>
          )}
        </QueryState>
        {added && (
          <Alert color="green" role="status">
            {t('passkeys.added', { name: added })}
          </Alert>
        )}
        {codes.length > 0 && (
          <Stack gap="xs">
            <Alert color="yellow">{t('auth.recoveryOnce')}</Alert>
            <RecoveryCodes codes={codes} />
            <Checkbox label={t('auth.recoverySaved')} checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />
            <Button size="xs" variant="light" w="fit-content" disabled={!saved} onClick={() => setCodes([])}>
              {t('passkeys.hideCodes')}
            </Button>
          </Stack>
        )}
        {usable ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setAdded('');
              add.mutate();
            }}
          >
            <Stack gap="xs">
              <Title order={4} size="h5">
                {t('passkeys.add')}
              </Title>
              <TextInput label={t('passkeys.name')} description={t('passkeys.nameHint')} required maxLength={64} value={name} onChange={(e) => setName(e.currentTarget.value)} />
              <PasswordInput
                label={t('auth.password')}
                description={t('passkeys.passwordHint')}
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <ErrorText error={add.error && !cancelled(add.error) ? add.error : null} />
              <Button type="submit" loading={add.isPending} w="fit-content">
                {t('passkeys.add')}
              </Button>
            </Stack>
          </form>
        ) : (
          <Text size="sm">
            {passkeysSupported() ? t('passkeys.ipHost') : t('passkeys.unsupported')}{' '}
            {passkeysSupported() && <Anchor href={localhostURL()} underline="always">{t('passkeys.openLocalhost')}</Anchor>}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function PasskeyRow({ passkey }: { passkey: { id: string; name: string; created_at: string; last_used_at?: string | null; synced: boolean } }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [removing, setRemoving] = useState(false);
  const [password, setPassword] = useState('');
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/auth/passkeys/{id}/remove', { params: { path: { id: passkey.id } }, body: { password } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['passkeys'] });
      void qc.invalidateQueries({ queryKey: ['me'] });
    },
  });
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Text fw={500}>{passkey.name}</Text>
        {passkey.synced && (
          <Badge variant="light" color="gray">
            {t('passkeys.synced')}
          </Badge>
        )}
      </Group>
      <Text size="sm">
        {t('passkeys.createdAt', { date: formatDateTime(passkey.created_at) })} ·{' '}
        {passkey.last_used_at ? t('passkeys.lastUsed', { date: formatDateTime(passkey.last_used_at) }) : t('passkeys.neverUsed')}
      </Text>
      {!removing ? (
        <Button size="xs" color="red" variant="light" w="fit-content" onClick={() => setRemoving(true)} aria-label={t('passkeys.removeNamed', { name: passkey.name })}>
          {t('passkeys.remove')}
        </Button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            remove.mutate();
          }}
        >
          <Stack gap="xs">
            <PasswordInput
              label={t('passkeys.removePassword', { name: passkey.name })}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <ErrorText error={remove.error} />
            <Group gap="xs">
              <Button type="submit" size="xs" color="red" loading={remove.isPending}>
                {t('passkeys.removeConfirm')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setRemoving(false)}>
                {t('passkeys.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
