import { Alert, Button, Card, Checkbox, Group, NumberInput, Radio, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { useMe } from '../api/hooks';
import { ErrorText } from '../components/ErrorText';
import { fieldErrorsOf } from '../components/fieldErrors';
import { QueryState } from '../components/States';
import { rulesWithDays, type NotificationRule, type NotificationSettings, type NotificationSettingsInput } from './query';

export const settingsKey = ['notifications', 'settings'] as const;

/** Rules only admins receive (the server lists them to admins only; the page hides them from others as well). */
export const adminOnlyRules: readonly NotificationRule[] = ['evidence_integrity', 'operations_failed', 'account_locked'];

/** The browser's IANA time zone, the default when the server has only UTC. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Every IANA time zone the browser knows (the stored one kept even if it does not know it). */
export function timeZones(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const set = new Set(zones);
  set.add('UTC');
  if (current) set.add(current);
  return [...set].sort();
}

/** The part of the settings the user writes (the read-only fields left out). */
export function settingsInput(s: NotificationSettings): NotificationSettingsInput {
  return {
    language: s.language,
    time_zone: s.time_zone,
    email_mode: s.email_mode,
    digest_hour: s.digest_hour,
    quiet_hours: s.quiet_hours ? { start: s.quiet_hours.start, end: s.quiet_hours.end } : null,
    rules: s.rules.map((r) => ({ rule: r.rule, inbox: r.inbox, email: r.email, days: r.days })),
  };
}

const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** The user's notification settings (issue 26): per rule and channel, e-mail mode, digest hour, quiet hours. */
export default function NotificationSettingsPage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: settingsKey, queryFn: async () => unwrap(await api.GET('/api/v1/me/notification-settings')) });
  return (
    <>
      <Group justify="space-between" mb="md" wrap="wrap">
        <Title order={2}>{t('notifications.settingsTitle')}</Title>
        <Button variant="subtle" size="xs" component={Link} to="/inbox">
          {t('notifications.inboxTitle')}
        </Button>
      </Group>
      <QueryState isLoading={q.isLoading} error={q.error}>
        {q.data && <SettingsForm stored={q.data} />}
      </QueryState>
    </>
  );
}

function SettingsForm({ stored }: { stored: NotificationSettings }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useMe();
  const [v, setV] = useState<NotificationSettingsInput>(() => {
    const input = settingsInput(stored);
    // A user who never chose a zone has the server's UTC: offer the browser's.
    if (input.time_zone === 'UTC' && browserTimeZone() !== 'UTC') input.time_zone = browserTimeZone();
    return input;
  });
  const [quiet, setQuiet] = useState(v.quiet_hours ?? { start: '22:00', end: '07:00' });
  const [saved, setSaved] = useState(false);
  const quietHelp = useId();
  const save = useMutation({
    mutationFn: async (body: NotificationSettingsInput) => unwrap(await api.PUT('/api/v1/me/notification-settings', { body })),
    onSuccess: (s) => {
      setSaved(true);
      qc.setQueryData(settingsKey, s);
    },
  });
  const errors = fieldErrorsOf(t, save.error);
  const zones = useMemo(() => timeZones(v.time_zone), [v.time_zone]);
  const isAdmin = me.data?.role === 'admin';
  const set = (patch: Partial<NotificationSettingsInput>) => {
    setSaved(false);
    setV((old) => ({ ...old, ...patch }));
  };
  const setRule = (i: number, patch: Partial<NotificationSettingsInput['rules'][number]>) =>
    set({ rules: v.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ ...v, quiet_hours: v.quiet_hours ? quiet : null });
      }}
    >
      <Stack>
        {!stored.email_available && (
          <Alert color="yellow">
            {t('notifications.emailUnavailable')}
          </Alert>
        )}
        <Card withBorder>
          <Title order={3} size="h4" mb="xs">
            {t('notifications.rulesTitle')}
          </Title>
          <Text size="sm" mb="sm">
            {t('notifications.rulesIntro')}
          </Text>
          <Table.ScrollContainer minWidth={560} type="native">
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('notifications.colRule')}</Table.Th>
                  <Table.Th scope="col">{t('notifications.channel.inbox')}</Table.Th>
                  <Table.Th scope="col">{t('notifications.channel.email')}</Table.Th>
                  <Table.Th scope="col">{t('notifications.colDays')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {v.rules.map((r, i) => {
                  if (!isAdmin && adminOnlyRules.includes(r.rule)) return null;
                  const name = t(`notifications.ruleName.${r.rule}`);
                  const rowError = errors[`rules[${i}].rule`] ?? errors[`rules[${i}]`] ?? errors[`rules[${i}].inbox`] ?? errors[`rules[${i}].email`];
                  return (
                    <Table.Tr key={r.rule} data-rule={r.rule}>
                      <Table.Th scope="row" fw={400}>
                        {name}
                        {rowError && (
                          <Text size="xs" c="red.8">
                            {rowError}
                          </Text>
                        )}
                      </Table.Th>
                      <Table.Td>
                        <Checkbox aria-label={t('notifications.channelFor', { channel: t('notifications.channel.inbox'), rule: name })} checked={r.inbox} onChange={(e) => setRule(i, { inbox: e.currentTarget.checked })} />
                      </Table.Td>
                      <Table.Td>
                        <Checkbox
                          aria-label={t('notifications.channelFor', { channel: t('notifications.channel.email'), rule: name })}
                          checked={r.email}
                          onChange={(e) => setRule(i, { email: e.currentTarget.checked })}
                        />
                      </Table.Td>
                      <Table.Td>
                        {rulesWithDays.includes(r.rule) && (
                          <NumberInput
                            aria-label={t('notifications.daysFor', { rule: name })}
                            w={90}
                            min={1}
                            max={30}
                            clampBehavior="blur"
                            allowDecimal={false}
                            allowNegative={false}
                            value={r.days ?? 3}
                            onChange={(x) => setRule(i, { days: typeof x === 'number' ? x : Number(x) || null })}
                            error={errors[`rules[${i}].days`]}
                          />
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
        <Card withBorder>
          <Title order={3} size="h4" mb="xs">
            {t('notifications.emailTitle')}
          </Title>
          <Stack gap="sm">
            {stored.email_address && <Text size="sm">{t('notifications.emailTo', { address: stored.email_address })}</Text>}
            <Radio.Group label={t('notifications.emailMode')} value={v.email_mode} onChange={(x) => set({ email_mode: x as NotificationSettingsInput['email_mode'] })} error={errors.email_mode}>
              <Stack gap={6} mt={6}>
                <Radio value="immediate" label={t('notifications.mode.immediate')} />
                <Radio value="daily" label={t('notifications.mode.daily')} />
                <Radio value="off" label={t('notifications.mode.off')} />
              </Stack>
            </Radio.Group>
            <Select
              label={t('notifications.digestHour')}
              description={t('notifications.digestHourHelp')}
              w={200}
              data={Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: hh(h) }))}
              value={String(v.digest_hour)}
              onChange={(x) => x !== null && set({ digest_hour: Number(x) })}
              allowDeselect={false}
              disabled={v.email_mode !== 'daily'}
              error={errors.digest_hour}
            />
            <div>
              <Switch
                label={t('notifications.quietHours')}
                aria-describedby={quietHelp}
                checked={!!v.quiet_hours}
                onChange={(e) => set({ quiet_hours: e.currentTarget.checked ? quiet : null })}
              />
              <Text size="xs" c="dimmed" id={quietHelp} mt={4}>
                {t('notifications.quietHoursHelp')}
              </Text>
              {v.quiet_hours && (
                <Group mt="xs" align="start">
                  <TextInput
                    type="time"
                    label={t('notifications.quietFrom')}
                    value={quiet.start}
                    onChange={(e) => {
                      setSaved(false);
                      setQuiet({ ...quiet, start: e.currentTarget.value });
                    }}
                    error={errors['quiet_hours.start'] ?? errors.quiet_hours}
                    w={140}
                  />
                  <TextInput
                    type="time"
                    label={t('notifications.quietUntil')}
                    value={quiet.end}
                    onChange={(e) => {
                      setSaved(false);
                      setQuiet({ ...quiet, end: e.currentTarget.value });
                    }}
                    error={errors['quiet_hours.end']}
                    w={140}
                  />
                </Group>
              )}
            </div>
            <Select
              label={t('notifications.timeZone')}
              description={t('notifications.timeZoneHelp')}
              searchable
              data={zones}
              value={v.time_zone}
              onChange={(x) => x && set({ time_zone: x })}
              allowDeselect={false}
              nothingFoundMessage={t('notifications.noZone')}
              limit={100}
              maw={360}
              error={errors.time_zone}
            />
            <Radio.Group label={t('notifications.emailLanguage')} value={v.language} onChange={(x) => set({ language: x as NotificationSettingsInput['language'] })} error={errors.language}>
              <Group gap="md" mt={6}>
                <Radio value="en" label="English" lang="en" />
                <Radio value="zh-Hans" label="中文" lang="zh-Hans" />
              </Group>
            </Radio.Group>
          </Stack>
        </Card>
        <ErrorText error={save.error} />
        {saved && (
          <Text role="status" c="green.9">
            {t('notifications.saved')}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
