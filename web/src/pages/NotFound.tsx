import { Title, Text, Anchor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export default function NotFound() {
  const { t } = useTranslation();
  return (
    <>
      <Title order={2}>{t('notFound.title')}</Title>
      <Text>
        <Anchor component={Link} to="/">
          {t('nav.dashboard')}
        </Anchor>
      </Text>
    </>
  );
}
