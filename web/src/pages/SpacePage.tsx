import { apiGet, apiGetAll } from '../api/client';
import { settingsOf, spaceName } from '../api/settings';
import { useApi } from '../api/useApi';
import type { Space } from '../api/types';
import { AddressView } from '../components/AddressView';
import { ProposalList } from '../components/ProposalList';
import { SpaceCard } from '../components/SpaceCard';
import { SpaceRules } from '../components/SpaceRules';
import { ErrorNote, Loading } from '../components/Status';
import { tokenDisplayOf } from '../format/token';
import { loadSpaceTokens } from '../api/tokens';
import { Link } from '../router/Link';
import { RemindersPanel } from '../reminders/RemindersPanel';
import { spacePath, proposePath, settingsPath, delegatesPath } from '../router/routes';

export function SpacePage({ id }: { id: string }) {
  const space = useApi(`space:${id}`, async (signal) => {
    const [one, children, tokens] = await Promise.all([
      apiGet('/api/spaces/{id}', { path: { id }, signal }),
      apiGetAll('/api/spaces', { query: { parent: id }, signal }),
      loadSpaceTokens(id, signal),
    ]);
    return { space: one, children: children as Space[], tokens };
  });
  // The timelock's delay lives on chain; the rules show it when the server has read it.
  const executor = useApi(`executor:${id}`, (signal) => apiGet('/api/spaces/{id}/executor', { path: { id }, signal }));
  if (space.status === 'loading') return <Loading what="space" />;
  if (space.status === 'error') return <ErrorNote error={space.error} />;
  const { space: s, children, tokens } = space.data;
  const settings = settingsOf(s);
  const token = tokenDisplayOf(s.settings, tokens);
  return (
    <article className="space">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/">Spaces</Link>
        {s.parentId ? (
          <>
            {' / '}
            <Link to={spacePath(s.parentId)}>{s.parentId}</Link>
          </>
        ) : null}
      </nav>
      <h1>{spaceName(s)}</h1>
      <p className="links">
        <Link to={proposePath(s.id)}>New proposal</Link> · <Link to={settingsPath(s.id)}>Settings</Link>
        {settings.delegation === 'offchain' ? (
          <>
            {' · '}
            <Link to={delegatesPath(s.id)}>Delegates</Link>
          </>
        ) : null}
      </p>
      {settings.about ? <p className="about">{settings.about}</p> : null}
      <p className="muted">
        <code>{s.id}</code>
        {settings.token ? (
          <>
            {' · token '}
            <AddressView address={settings.token} />
          </>
        ) : null}
      </p>
      <div className="columns">
        <ProposalList space={s.id} />
        <aside>
          <SpaceRules settings={settings} token={token} timelockDelay={executor.status === 'ready' ? executor.data.minDelay : null} />
          <RemindersPanel space={s.id} />
          {children.length > 0 && (
            <section aria-labelledby="subspaces-heading">
              <h2 id="subspaces-heading">Sub-spaces</h2>
              <ul className="subspaces">
                {children.map((c) => (
                  <li key={c.id}>
                    <SpaceCard space={c} />
                  </li>
                ))}
              </ul>
            </section>
          )}
        </aside>
      </div>
    </article>
  );
}
