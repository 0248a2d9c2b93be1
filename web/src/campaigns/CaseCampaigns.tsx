import { useState } from 'react';
import { Anchor, Button, Card, Group, Select, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorText } from '../components/ErrorText';
import { dates } from './CampaignsPage';

/** The campaigns a case belongs to; admins and coordinators add the case to one or take it out. */
export default function CaseCampaigns({ caseId, manager }: { caseId: string; manager: boolean }) {
  const { t } = useTranslation();
  const [pick, setPick] = useState<string | null>(null);
  const of = useQuery({
    queryKey: ['case-campaigns', caseId],
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/campaigns', { params: { path: { id: caseId } } })).items,
  });
  // The first 200 campaigns by name: enough to pick from (the campaigns page searches them all).
  const all = useQuery({
    queryKey: ['campaigns', 'pick'],
    enabled: manager,
    queryFn: async () => unwrap(await api.GET('/api/v1/campaigns', { params: { query: { limit: 200 } } })).items,
  });
  const add = useMutation({
    mutationFn: async (id: string) => unwrap(await api.POST('/api/v1/campaigns/{id}/cases', { params: { path: { id } }, body: { case_id: caseId } })),
    onSuccess: () => setPick(null),
  });
  const remove = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE('/api/v1/campaigns/{id}/cases/{caseId}', { params: { path: { id, caseId } } })),
  });
  const items = of.data ?? [];
  const options = (all.data ?? []).filter((c) => !items.some((m) => m.id === c.id)).map((c) => ({ value: c.id, label: c.name }));
  return (
    <Card withBorder component="section" aria-labelledby="case-campaigns-title" data-testid="case-campaigns">
      <Title order={3} size="h4" id="case-campaigns-title" mb="xs">
        {t('campaigns.ofCase')}
      </Title>
      {of.error && <ErrorText error={of.error} />}
      {items.length === 0 && !of.isLoading && (
        <Text size="sm" c="dimmed">
          {t('campaigns.ofCaseNone')}
        </Text>
      )}
      <Group gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((m) => (
          <li key={m.id}>
            <Anchor component={Link} to={`/campaigns/${m.id}`} dir="auto">
              {m.name}
            </Anchor>{' '}
            <Text span size="xs" c="dimmed">
              {dates(m.started_at, m.ended_at)}
            </Text>
            {manager && (
              <Button
                ml={4}
                size="compact-xs"
                variant="subtle"
                color="red"
                onClick={() => remove.mutate(m.id)}
                aria-label={t('campaigns.removeFromCase', { name: m.name })}
              >
                {t('campaigns.remove')}
              </Button>
            )}
          </li>
        ))}
      </Group>
      {manager && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (pick) add.mutate(pick);
          }}
        >
          <Group align="flex-end" mt="sm" gap="xs">
            <Select label={t('campaigns.add')} placeholder={t('campaigns.pick')} data={options} value={pick} onChange={setPick} searchable w={260} />
            <Button type="submit" variant="light" disabled={!pick} loading={add.isPending}>
              {t('campaigns.addButton')}
            </Button>
          </Group>
        </form>
      )}
      {(add.error || remove.error) && <ErrorText error={add.error ?? remove.error} />}
    </Card>
  );
}
