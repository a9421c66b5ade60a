import type { Space } from '../api/types';
import { settingsOf } from '../api/settings';
import { Link } from '../router/Link';
import { spacePath } from '../router/routes';

export function SpaceCard({ space }: { space: Space }) {
  const s = settingsOf(space);
  return (
    <article className="card space-card">
      <h2>
        <Link to={spacePath(space.id)}>{s.name ?? space.id}</Link>
      </h2>
      <p className="muted">
        <code>{space.id}</code>
        {space.parentId ? (
          <>
            {' '}
            · sub-space of <Link to={spacePath(space.parentId)}>{space.parentId}</Link>
          </>
        ) : null}
      </p>
      {s.about ? <p className="about">{s.about}</p> : null}
    </article>
  );
}
