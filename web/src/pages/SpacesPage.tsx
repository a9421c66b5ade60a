import { useMemo, useState } from 'react';
import { apiGetAll } from '../api/client';
import { useApi } from '../api/useApi';
import type { Space } from '../api/types';
import { ErrorNote, Loading } from '../components/Status';
import { SpaceCard } from '../components/SpaceCard';
import { settingsOf } from '../api/settings';

function matches(space: Space, query: string): boolean {
  if (!query) return true;
  const s = settingsOf(space);
  return [space.id, s.name ?? '', s.about ?? ''].some((text) => text.toLowerCase().includes(query));
}

/** Every space, sub-spaces under their parent, with a search over id, name and description. */
export function SpacesPage() {
  const spaces = useApi('spaces', (signal) => apiGetAll('/api/spaces', { signal }));
  const [query, setQuery] = useState('');
  const tree = useMemo(() => {
    if (spaces.status !== 'ready') return null;
    const all = spaces.data as Space[];
    const byParent = new Map<string | null, Space[]>();
    const ids = new Set(all.map((s) => s.id));
    for (const space of all) {
      // A parent outside the list (should not happen) leaves the child at the top level.
      const parent = space.parentId && ids.has(space.parentId) ? space.parentId : null;
      byParent.set(parent, [...(byParent.get(parent) ?? []), space]);
    }
    return byParent;
  }, [spaces]);

  const q = query.trim().toLowerCase();
  return (
    <section>
      <h1>Spaces</h1>
      <label className="search">
        <span>Search spaces</span>
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="name, id or description" />
      </label>
      {spaces.status === 'loading' && <Loading what="spaces" />}
      {spaces.status === 'error' && <ErrorNote error={spaces.error} />}
      {tree && <SpaceTree parent={null} tree={tree} query={q} />}
      {tree && (tree.get(null) ?? []).length === 0 && <p className="muted">No spaces yet.</p>}
    </section>
  );
}

function visible(space: Space, tree: Map<string | null, Space[]>, query: string): boolean {
  return matches(space, query) || (tree.get(space.id) ?? []).some((child) => visible(child, tree, query));
}

function SpaceTree({ parent, tree, query }: { parent: string | null; tree: Map<string | null, Space[]>; query: string }) {
  const children = (tree.get(parent) ?? []).filter((s) => visible(s, tree, query));
  if (children.length === 0) return parent === null && query ? <p className="muted">No space matches “{query}”.</p> : null;
  return (
    <ul className={parent === null ? 'spaces' : 'subspaces'}>
      {children.map((space) => (
        <li key={space.id}>
          <SpaceCard space={space} />
          <SpaceTree parent={space.id} tree={tree} query={query} />
        </li>
      ))}
    </ul>
  );
}
