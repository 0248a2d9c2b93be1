import { Container, Group, Paper, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SignInFlow } from '../auth/SignInFlow';
import { LanguageSwitch } from '../LanguageSwitch';

export default function SignInPage() {
  const { t } = useTranslation();
  return (
    <Container size={420} py="xl" component="main">
      <Group justify="space-between" mb="md">
        <Title order={1} size="h3">
          {t('app.name')}
        </Title>
        <LanguageSwitch />
      </Group>
      <Paper withBorder p="lg">
        <SignInFlow onDone={() => {}} />
      </Paper>
    </Container>
  );
}
