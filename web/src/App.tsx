import { lazy, Suspense } from 'react';
import { Layout } from './components/Layout';
import { Loading } from './components/Status';
import { SpacesPage } from './pages/SpacesPage';
import { SpacePage } from './pages/SpacePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { useLocation } from './router/router';
import { matchRoute } from './router/routes';

// The proposal page carries Markdown and its sanitiser: loaded on demand, not in the first bundle.
const ProposalPage = lazy(() => import('./pages/ProposalPage'));
// Proposing and administering sign messages: their code loads on demand too (web/src/propose/).
const ProposePage = lazy(() => import('./propose/ProposePage'));
const SettingsPage = lazy(() => import('./propose/SettingsPage'));
// Delegation (directory, a delegate's page with the delegate/undelegate form): web/src/delegates/.
const DelegatesPage = lazy(() => import('./delegates/DelegatesPage'));
// The pages Discord members are sent to (wallet link, idea promotion): web/src/pages/DiscordPage.tsx.
const DiscordPage = lazy(() => import('./pages/DiscordPage'));

export function App() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  let page;
  switch (route.name) {
    case 'spaces':
      page = <SpacesPage />;
      break;
    case 'space':
      page = <SpacePage key={route.id} id={route.id} />;
      break;
    case 'proposal':
      page = <ProposalPage key={route.id} id={route.id} />;
      break;
    case 'propose':
      page = <ProposePage key={route.id} space={route.id} />;
      break;
    case 'space-settings':
      page = <SettingsPage key={route.id} space={route.id} />;
      break;
    case 'delegates':
      page = <DelegatesPage key={route.id} space={route.id} />;
      break;
    case 'delegate':
      page = <DelegatesPage key={`${route.id}:${route.address}`} space={route.id} address={route.address} />;
      break;
    case 'discord-link':
      page = <DiscordPage key="link" mode="link" />;
      break;
    case 'discord-promote':
      page = <DiscordPage key="promote" mode="promote" />;
      break;
    default:
      page = <NotFoundPage />;
  }
  return (
    <Layout>
      <Suspense fallback={<Loading what="page" />}>{page}</Suspense>
    </Layout>
  );
}
