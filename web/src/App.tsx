import { lazy, Suspense, useEffect, useSyncExternalStore } from 'react';
import { MantineProvider, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { authStore } from './auth/store';
import { refreshAccess } from './api/client';
import { Loading } from './components/States';
import { Layout } from './Layout';

const SignInPage = lazy(() => import('./pages/SignInPage'));
const Dashboard = lazy(() => import('./pages/Dashboard'));
const Detainees = lazy(() => import('./pages/Detainees'));
const DetaineePage = lazy(() => import('./pages/DetaineePage'));
const Cases = lazy(() => import('./pages/Cases'));
const CasePage = lazy(() => import('./pages/CasePage'));
const Lawyers = lazy(() => import('./pages/Lawyers'));
const Users = lazy(() => import('./pages/Users'));
const NotFound = lazy(() => import('./pages/NotFound'));

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 15_000 },
  },
});

const theme = createTheme({ primaryColor: 'indigo', defaultRadius: 'sm' });

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Dashboard /> },
      { path: 'detainees', element: <Detainees /> },
      { path: 'detainees/:id', element: <DetaineePage /> },
      { path: 'cases', element: <Cases /> },
      { path: 'cases/:id', element: <CasePage /> },
      { path: 'lawyers', element: <Lawyers /> },
      { path: 'admin/users', element: <Users /> },
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
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <Root />
      </QueryClientProvider>
    </MantineProvider>
  );
}
