import { lazy } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Layout } from './Layout';
import './styles/signed-in.css';

const Dashboard = lazy(() => import('./pages/Dashboard'));
const Detainees = lazy(() => import('./pages/Detainees'));
const DetaineePage = lazy(() => import('./pages/DetaineePage'));
const ImportPage = lazy(() => import('./imports/ImportPage'));
const Cases = lazy(() => import('./pages/Cases'));
const CasePage = lazy(() => import('./pages/CasePage'));
const Lawyers = lazy(() => import('./pages/Lawyers'));
const Partners = lazy(() => import('./partners/Partners'));
const Users = lazy(() => import('./pages/Users'));
const AuditLog = lazy(() => import('./pages/AuditLog'));
const JobsPage = lazy(() => import('./jobs/JobsPage'));
const SupportBoard = lazy(() => import('./support/SupportBoard'));
const Hearings = lazy(() => import('./pages/Hearings'));
const DeadlinesPage = lazy(() => import('./deadlines/DeadlinesPage'));
const ReleasesPage = lazy(() => import('./deadlines/ReleasesPage'));
const CampaignsPage = lazy(() => import('./campaigns/CampaignsPage'));
const CampaignPage = lazy(() => import('./campaigns/CampaignPage'));
const MyAccount = lazy(() => import('./pages/MyAccount'));
const InboxPage = lazy(() => import('./notifications/InboxPage'));
const NotificationSettingsPage = lazy(() => import('./notifications/SettingsPage'));
const NotFound = lazy(() => import('./pages/NotFound'));

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
      { path: 'partners', element: <Partners /> },
      { path: 'admin/users', element: <Users /> },
      { path: 'admin/audit', element: <AuditLog /> },
      { path: 'admin/jobs', element: <JobsPage /> },
      { path: 'support', element: <SupportBoard /> },
      { path: 'hearings', element: <Hearings /> },
      { path: 'deadlines', element: <DeadlinesPage /> },
      { path: 'releases', element: <ReleasesPage /> },
      { path: 'campaigns', element: <CampaignsPage /> },
      { path: 'campaigns/:id', element: <CampaignPage /> },
      { path: 'me', element: <MyAccount /> },
      { path: 'inbox', element: <InboxPage /> },
      { path: 'settings/notifications', element: <NotificationSettingsPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

/** The signed-in application: the layout and its routes. */
export default function SignedIn() {
  return <RouterProvider router={router} />;
}
