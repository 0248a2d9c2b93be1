import { Center, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorText } from './ErrorText';

export function Loading() {
  const { t } = useTranslation();
  return (
    <Center p="xl" role="status" aria-live="polite">
      <Loader size="sm" aria-hidden />
      <Text ml="sm">{t('common.loading')}</Text>
    </Center>
  );
}

export function Empty({ text }: { text: string }) {
  return (
    <Text c="dimmed" p="md" ta="center">
      {text}
    </Text>
  );
}

/** Loading, error and empty states of a query in one place. */
export function QueryState({
  isLoading,
  error,
  empty,
  emptyText,
  children,
}: {
  isLoading: boolean;
  error: unknown;
  empty?: boolean;
  emptyText?: string;
  children: React.ReactNode;
}) {
  if (isLoading) return <Loading />;
  if (error) return <ErrorText error={error} />;
  if (empty) return <Empty text={emptyText ?? ''} />;
  return <>{children}</>;
}
