import { lazy, Suspense, useEffect, useSyncExternalStore } from 'react';
import { MantineProvider } from '@mantine/core';
import { cssVariablesResolver, theme } from './theme';
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { authStore } from './auth/store';
import { refreshAccess } from './api/client';
import { Loading } from './components/States';
import { Layout } from './Layout';

const SignInPage = lazy(() => import('./pages/SignInPage'));
const Dashboard = lazy(() => import('./pages/Dashboard'));
const Detainees = lazy(() => import('./pages/Detainees'));
const DetaineePage = lazy(() => import('./pages/DetaineePage'));
const ImportPage = lazy(() => import('./imports/ImportPage'));
const Cases = lazy(() => import('./pages/Cases'));
const CasePage = lazy(() => import('./pages/CasePage'));
const Lawyers = lazy(() => import('./pages/Lawyers'));
const Users = lazy(() => import('./pages/Users'));
const AuditLog = lazy(() => import('./pages/AuditLog'));
const SupportBoard = lazy(() => import('./support/SupportBoard'));
const Hearings = lazy(() => import('./pages/Hearings'));
const DeadlinesPage = lazy(() => import('./deadlines/DeadlinesPage'));
const MyAccount = lazy(() => import('./pages/MyAccount'));
const NotFound = lazy(() => import('./pages/NotFound'));

export const queryClient: QueryClient = new QueryClient({
  // Any successful change may show up in lists and counts elsewhere: refetch what is on screen.
  mutationCache: new MutationCache({ onSuccess: () => void queryClient.invalidateQueries() }),
  defaultOptions: {
    queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 15_000 },
  },
});

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Dashboard /> },
      { path: 'detainees', element: <Detainees /> },
      { path: 'detainees/import', element: <ImportPage /> },
      { path: 'detainees/:id', element: <DetaineePage /> },
      { path: 'cases', element: <Cases /> },
      { path: 'cases/:id', element: <CasePage /> },
      { path: 'lawyers', element: <Lawyers /> },
      { path: 'admin/users', element: <Users /> },
      { path: 'admin/audit', element: <AuditLog /> },
      { path: 'support', element: <SupportBoard /> },
      { path: 'hearings', element: <Hearings /> },
      { path: 'deadlines', element: <DeadlinesPage /> },
      { path: 'me', element: <MyAccount /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

function Root() {
  const { status } = useSyncExternalStore(authStore.subscribe, authStore.getSnapshot);
  useEffect(() => {
    // A reload forgets the access token: the HttpOnly refresh cookie restores the session.
    if (authStore.getStatus() === 'unknown')
      void refreshAccess().then((ok) => {
        if (!ok) authStore.signedOut();
      });
  }, []);
  useEffect(() => {
    if (status === 'signedOut') queryClient.clear();
  }, [status]);
  if (status === 'unknown') return <Loading />;
  if (status === 'signedOut')
    return (
      <Suspense fallback={<Loading />}>
        <SignInPage />
      </Suspense>
    );
  return <RouterProvider router={router} />;
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
