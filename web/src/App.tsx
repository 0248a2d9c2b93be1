import { lazy, Suspense, useEffect, useSyncExternalStore } from 'react';
import { MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { authStore } from './auth/store';
import { startupRefresh } from './api/refresh';
import { Loading } from './components/States';
import { clearResumeInfo } from './evidence/resume';

const SignInPage = lazy(() => import('./pages/SignInPage'));
// The router, the layout and every screen: loaded once signed in (not on the sign-in path, issue 24).
const SignedIn = lazy(() => import('./SignedIn'));

export const queryClient: QueryClient = new QueryClient({
  // Any successful change may show up in lists and counts elsewhere: refetch what is on screen.
  mutationCache: new MutationCache({ onSuccess: () => void queryClient.invalidateQueries() }),
  defaultOptions: {
    queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 15_000 },
  },
});

const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 5 },
  defaultRadius: 'sm',
  respectReducedMotion: true,
});

// Mantine's default dimmed grey and the text of its light and outline badges are below WCAG AA contrast
// on white: use darker ones (every colour a badge uses: statuses, custody measures, outcomes).
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-indigo-light-color': 'var(--mantine-color-indigo-9)',
    '--mantine-primary-color-light-color': 'var(--mantine-color-indigo-9)',
    '--mantine-color-red-light-color': 'var(--mantine-color-red-9)',
    '--mantine-color-yellow-light-color': '#7a4a00',
    '--mantine-color-green-light-color': '#1b6e2e',
    '--mantine-color-gray-light-color': 'var(--mantine-color-gray-8)',
    '--mantine-color-orange-light-color': '#8a3a00',
    '--mantine-color-blue-light-color': 'var(--mantine-color-blue-9)',
    '--mantine-color-grape-light-color': 'var(--mantine-color-grape-9)',
    '--mantine-color-pink-light-color': 'var(--mantine-color-pink-9)',
    '--mantine-color-violet-light-color': 'var(--mantine-color-violet-9)',
    '--mantine-color-cyan-light-color': '#0a5c6b',
    '--mantine-color-teal-light-color': '#06634a',
    '--mantine-color-gray-outline': 'var(--mantine-color-gray-7)',
  },
  dark: {},
});



function Root() {
  const { status } = useSyncExternalStore(authStore.subscribe, authStore.getSnapshot);
  useEffect(() => {
    // A reload forgets the access token: the HttpOnly refresh cookie restores the session (the request
    // boot.ts sent while the scripts were loading, or one sent now).
    if (authStore.getStatus() === 'unknown')
      void startupRefresh().then((ok) => {
        if (!ok) authStore.signedOut();
      });
  }, []);
  useEffect(() => {
    if (status === 'signedOut') {
      queryClient.clear();
      clearResumeInfo(); // resumable uploads' URLs: the next user of this browser must not find them
    }
  }, [status]);
  if (status === 'unknown') return <Loading />;
  if (status === 'signedOut')
    return (
      <Suspense fallback={<Loading />}>
        <SignInPage />
      </Suspense>
    );
  return (
    <Suspense fallback={<Loading />}>
      <SignedIn />
    </Suspense>
  );
}

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        <Root />
      </QueryClientProvider>
    </MantineProvider>
  );
}
