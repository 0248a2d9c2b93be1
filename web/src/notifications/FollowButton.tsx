import { Button, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ErrorText } from '../components/ErrorText';

/**
 * "Follow" / "Following" on a case page (issue 26): a toggle (aria-pressed) over GET/PUT/DELETE
 * /cases/{id}/follow. Following sends the user the case's new events (rule case_event).
 */
export function FollowButton({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const key = ['case-follow', caseId];
  const help = useId();
  const q = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await api.GET('/api/v1/cases/{id}/follow', { params: { path: { id: caseId } } })).following,
  });
  const toggle = useMutation({
    mutationFn: async (follow: boolean) => {
      const params = { params: { path: { id: caseId } } };
      return unwrap(follow ? await api.PUT('/api/v1/cases/{id}/follow', params) : await api.DELETE('/api/v1/cases/{id}/follow', params)).following;
    },
    onSuccess: (following) => qc.setQueryData(key, following),
  });
  if (q.isError) return null; // the case page says what went wrong with the case itself
  const following = q.data ?? false;
  return (
    <>
      <Tooltip label={t('follow.help')} multiline w={260} withArrow>
        <Button
          size="xs"
          variant={following ? 'filled' : 'default'}
          aria-pressed={following}
          aria-describedby={help}
          loading={q.isLoading || toggle.isPending}
          onClick={() => toggle.mutate(!following)}
          data-testid="follow-case"
        >
          {following ? t('follow.following') : t('follow.follow')}
        </Button>
      </Tooltip>
      <span id={help} hidden>
        {t('follow.help')}
      </span>
      <ErrorText error={toggle.error} />
    </>
  );
}
