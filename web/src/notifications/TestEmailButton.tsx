import { Alert, Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { ErrorText } from '../components/ErrorText';

/** Admins: send a test e-mail to their own address (checks the server's SMTP settings end to end, issue 26). */
export function TestEmailButton() {
  const { t } = useTranslation();
  const send = useMutation({ mutationFn: async () => unwrap(await api.POST('/api/v1/admin/notifications/test-email')) });
  return (
    <Stack gap={4} align="flex-end">
      <Button variant="default" onClick={() => send.mutate()} loading={send.isPending}>
        {t('notifications.testEmail')}
      </Button>
      {send.isSuccess && (
        <Alert color="green" py={6}>
          <Text size="sm" role="status">
            {t('notifications.testEmailSent', { address: send.data.sent_to })}
          </Text>
        </Alert>
      )}
      <ErrorText error={send.error} />
    </Stack>
  );
}
