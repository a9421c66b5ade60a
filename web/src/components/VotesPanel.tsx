import { useEffect, useRef } from 'react';
import { apiGetAll } from '../api/client';
import { useApi } from '../api/useApi';
import type { StageRules, Vote } from '../api/types';
import type { TokenDisplay } from '../format/token';
import { ErrorNote, Loading } from './Status';
import { VotesTable } from './VotesTable';

/** Loads every vote of a stage (again whenever `round` changes: a live tally moved). */
export function VotesPanel({ proposalId, rules, token, round }: { proposalId: string; rules: StageRules; token: TokenDisplay; round: number }) {
  const votes = useApi(`votes:${proposalId}:${rules.stage}`, (signal) =>
    apiGetAll('/api/proposals/{id}/votes', { path: { id: proposalId }, query: { stage: rules.stage as 1 | 2 }, signal }),
  );
  // Refetch on live updates without flashing "loading".
  const { reload } = votes;
  useRound(round, reload);
  if (votes.status === 'loading') return <Loading what="votes" />;
  if (votes.status === 'error') return <ErrorNote error={votes.error} />;
  return (
    <VotesTable
      votes={votes.data as Vote[]}
      votingType={rules.votingType}
      choices={rules.choices}
      token={token}
      filename={`votes-${proposalId.slice(0, 10)}-stage${rules.stage}`}
    />
  );
}

/** Calls `reload` each time `round` moves past its first value. */
function useRound(round: number, reload: () => void) {
  const first = useRef(round);
  const latest = useRef(reload);
  latest.current = reload;
  useEffect(() => {
    if (round !== first.current) latest.current();
  }, [round]);
}
