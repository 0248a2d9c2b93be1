import { useState } from 'react';
import { Button, Card, CopyButton, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiBase, unwrap } from '../api/client';
import { useMe } from '../api/hooks';
import { SignInActivity } from '../auth/SignInActivity';
import { ErrorText } from '../components/ErrorText';
import { QueryState } from '../components/States';
import { formatDateTime } from '../format';

/**
 * The user's own page: account, recent failed sign-ins and locks, and the
 * hearing calendar feed (secret URL shown once).
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
