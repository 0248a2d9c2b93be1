import { lazy, Suspense, useEffect, useSyncExternalStore } from 'react';
import { MantineProvider } from '@mantine/core';
import { cssVariablesResolver, theme } from './theme';
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
