import { lazy, Suspense, useSyncExternalStore } from 'react';
import { AppShell, Burger, Group, Modal, NavLink, Button, Title, Text, Container } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { authStore } from './auth/store';
import { signOut, api, unwrap } from './api/client';
import { useMe } from './api/hooks';
import { Loading } from './components/States';
import { LanguageSwitch } from './LanguageSwitch';
import { OfflineStatus, SignOutButton } from './offline/OfflineStatus';
import { wipeDevice } from './offline/wipe';
import { NotificationBell } from './notifications/Bell';

const SignInFlow = lazy(() => import('./auth/SignInFlow').then((m) => ({ default: m.SignInFlow })));
const ChangePasswordForm = lazy(() => import('./auth/SignInFlow').then((m) => ({ default: m.ChangePasswordForm })));

export function Layout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const me = useMe();
  const qc = useQueryClient();
  const { status } = useSyncExternalStore(authStore.subscribe, authStore.getSnapshot);
  const role = me.data?.role;
  const links = [
    { to: '/', label: t('nav.dashboard') },
    { to: '/inbox', label: t('nav.inbox') },
    { to: '/detainees', label: t('nav.detainees') },
    { to: '/cases', label: t('nav.cases') },
    { to: '/lawyers', label: t('nav.lawyers') },
    { to: '/hearings', label: t('nav.hearings') },
    { to: '/deadlines', label: t('nav.deadlines') },
    { to: '/support', label: t('nav.support') },
    ...(role === 'admin' || role === 'coordinator' ? [{ to: '/partners', label: t('nav.partners') }] : []),
    { to: '/campaigns', label: t('nav.campaigns') },
    { to: '/me', label: t('nav.me') },
    ...(role === 'admin' ? [{ to: '/admin/users', label: t('nav.users') }] : []),
    ...(role === 'admin' || role === 'coordinator' ? [{ to: '/admin/audit', label: t('nav.audit') }] : []),
    ...(role === 'admin' ? [{ to: '/admin/jobs', label: t('nav.jobs') }] : []),
  ];

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        {/* One line on a 390 px phone in every language: the name gives way (ellipsis), the controls never wrap. */}
        <Group h="100%" px={{ base: 'xs', sm: 'md' }} justify="space-between" wrap="nowrap" gap="xs">
          <Group wrap="nowrap" gap="xs" style={{ minWidth: 0, flex: 1 }}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Title order={1} size="h4" data-testid="app-title" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }}>
              {t('app.name')}
            </Title>
          </Group>
          <Group wrap="nowrap" gap={4} style={{ flexShrink: 0 }}>
            <NotificationBell />
            <LanguageSwitch />
            <OfflineStatus />
            {/* Warns about unsent entries, wipes what the session kept on the device (issue 24). */}
            <SignOutButton
              label={t('nav.signOut')}
              onSignOut={() => {
                // The next person to sign in starts on the dashboard, not on this user's last page.
                void navigate('/', { replace: true });
                void signOut();
              }}
            />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.main')}>
        {links.map((l) => (
          <NavLink
            key={l.to}
            component={Link}
            to={l.to}
            label={l.label}
            onClick={close}
            variant="filled"
            active={l.to === '/' ? location.pathname === '/' : location.pathname.startsWith(l.to)}
            aria-current={location.pathname === l.to ? 'page' : undefined}
          />
        ))}
        {me.data && (
          <Text size="xs" c="dimmed" mt="auto" p="xs">
            {t('nav.signedInAs', { name: me.data.name || me.data.email, role: t(`roles.${me.data.role}`) })}
          </Text>
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<Loading />}>
          {me.data?.must_change_password ? (
            <Container size="xs">
              <ChangePasswordForm
                token={null}
                onDone={(tok) => {
                  authStore.signedIn(tok);
                  void qc.invalidateQueries();
                }}
              />
            </Container>
          ) : (
            <Outlet />
          )}
        </Suspense>
      </AppShell.Main>
      {/* Session ended while working: sign in again on top of the page, keeping every form as it is. */}
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={status === 'expired'} zIndex={1000} onClose={() => {}} withCloseButton={false} closeOnEscape={false} closeOnClickOutside={false} title={t('auth.expired')}>
        <Suspense fallback={<Loading />}>
          <SignInFlow
            onDone={async () => {
              const prev = me.data?.id;
              const now = unwrap(await api.GET('/api/v1/me'));
              if (prev && now.id !== prev) window.location.assign('/');
              else void qc.invalidateQueries();
            }}
          />
        </Suspense>
        <Button variant="subtle" mt="sm" onClick={() => void wipeDevice().finally(() => authStore.signedOut())}>
          {t('nav.signOut')}
        </Button>
      </Modal>
    </AppShell>
  );
}
