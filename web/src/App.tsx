import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import { MantineProvider } from '@mantine/core';
import { cssVariablesResolver, theme } from './theme';
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { authStore } from './auth/store';
import { refreshAccess, startupRefresh } from './api/refresh';
import { useTranslation } from 'react-i18next';
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


/** Opened offline (issue 24): the refresh got no answer, so the session may be alive. Says so, with the number
 * of entries waiting on the device (the only thing kept unencrypted), and tries the refresh again when the
 * link returns; the signed-in app then decrypts and sends them. */
function OfflineNotice() {
  const { t } = useTranslation();
  const [offline, setOffline] = useState(authStore.isOffline());
  useEffect(() => {
    if (!offline) return;
    // When the browser says the link is back, and on a timer (2 s doubling to a minute): the event alone is not
    // always sent. A refusal (the session ended meanwhile) leaves the plain sign-in form.
    let delay = 2000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const retry = async () => {
      clearTimeout(timer);
      if (await refreshAccess()) return;
      if (!authStore.isOffline()) return setOffline(false);
      delay = Math.min(delay * 2, 60_000);
      timer = setTimeout(() => void retry(), delay);
    };
    const now = () => {
      delay = 2000;
      void retry();
    };
    timer = setTimeout(() => void retry(), delay);
    window.addEventListener('online', now);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('online', now);
    };
  }, [offline]);
  if (!offline) return null;
  const n = Number(localStorage.getItem('habeas.offline.pending') ?? '0') || 0;
  return (
    <div role="status" style={{ padding: '0.75rem 1rem', background: '#fff4e5', color: '#5c3200' }}>
      {t('offline.offlineNotice')} {n > 0 && t('offline.offlinePending', { count: n })}
    </div>
  );
}

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
        <OfflineNotice />
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
