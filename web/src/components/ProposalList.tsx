import { useState } from 'react';
import { apiGet } from '../api/client';
import { useApi } from '../api/useApi';
import type { Proposal, ProposalState } from '../api/types';
import { ProposalRow } from './ProposalRow';
import { stateLabel } from './StateBadge';
import { ErrorNote, Loading } from './Status';

/** The states a member filters by, in lifecycle order (the server's PROPOSAL_STATES). */
const STATES: ProposalState[] = ['pending', 'temperature', 'awaiting-advance', 'consensus', 'accepted', 'queued', 'defeated', 'cancelled'];

/** A space's proposals, newest first, filtered by state on the server, a page at a time. */
export function ProposalList({ space }: { space: string }) {
  const [state, setState] = useState<ProposalState | ''>('');
  const [pages, setPages] = useState<{ items: Proposal[]; cursor: string | null }>({ items: [], cursor: null });
  const first = useApi(`${space}|${state}`, async (signal) => {
    const page = await apiGet('/api/proposals', { query: { space, ...(state ? { state } : {}), limit: 25 }, signal });
    setPages({ items: page.items, cursor: page.nextCursor });
    return page;
  });
  const more = async () => {
    if (!pages.cursor) return;
    const page = await apiGet('/api/proposals', { query: { space, ...(state ? { state } : {}), limit: 25, cursor: pages.cursor } });
    setPages((p) => ({ items: [...p.items, ...page.items], cursor: page.nextCursor }));
  };

  return (
    <section aria-labelledby="proposals-heading">
      <h2 id="proposals-heading">Proposals</h2>
      <div className="filters" role="group" aria-label="Filter by state">
        {(['', ...STATES] as const).map((s) => (
          <button key={s || 'all'} type="button" className="chip" aria-pressed={state === s} onClick={() => setState(s)}>
            {s ? stateLabel(s) : 'All'}
          </button>
        ))}
      </div>
      {first.status === 'loading' && <Loading what="proposals" />}
      {first.status === 'error' && <ErrorNote error={first.error} />}
      {first.status === 'ready' &&
        (pages.items.length === 0 ? (
          <p className="muted">{state ? `No ${stateLabel(state).toLowerCase()} proposals.` : 'No proposals yet.'}</p>
        ) : (
          <ul className="proposals">
            {pages.items.map((p) => (
              <ProposalRow key={p.id} proposal={p} />
            ))}
          </ul>
        ))}
      {pages.cursor && (
        <button type="button" onClick={more}>
          Show more
        </button>
      )}
    </section>
  );
}
