import { useMemo, useState } from 'react';
import type { Vote } from '../api/types';
import { choiceText } from '../format/choice';
import { download, votesCsv, votesJson } from '../format/export';
import type { TokenDisplay } from '../format/token';
import { AddressView } from './AddressView';
import { Reason } from './Reason';
import { Time } from './Time';
import { TokenAmount } from './TokenAmount';

type SortKey = 'voter' | 'choice' | 'power' | 'time';
const PAGE = 25;

function compare(a: Vote, b: Vote, key: SortKey, votingType: string, choices: string[]): number {
  switch (key) {
    case 'voter':
      return a.voter.localeCompare(b.voter);
    case 'choice':
      return choiceText(a.choice, votingType, choices).localeCompare(choiceText(b.choice, votingType, choices));
    case 'power': {
      const d = BigInt(a.power) - BigInt(b.power);
      return d === 0n ? 0 : d > 0n ? 1 : -1;
    }
    case 'time':
      return a.receivedAt.localeCompare(b.receivedAt);
  }
}

/** A stage's votes: sortable, a page at a time, exportable whole as CSV or JSON. */
export function VotesTable({
  votes,
  votingType,
  choices,
  token,
  filename,
}: {
  votes: Vote[];
  votingType: string;
  choices: string[];
  token: TokenDisplay;
  filename: string;
}) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'power', desc: true });
  const [page, setPage] = useState(0);
  const sorted = useMemo(() => {
    const copy = [...votes];
    copy.sort((a, b) => (sort.desc ? -1 : 1) * compare(a, b, sort.key, votingType, choices));
    return copy;
  }, [votes, sort, votingType, choices]);
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE));
  const current = Math.min(page, pages - 1);
  const rows = sorted.slice(current * PAGE, current * PAGE + PAGE);

  const header = (key: SortKey, label: string, className?: string) => (
    <th scope="col" className={className} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key === 'power' || key === 'time' }))}>
        {label}
        {sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );

  return (
    <div className="votes">
      <div className="exports">
        <span>
          {votes.length} {votes.length === 1 ? 'vote' : 'votes'}
        </span>
        <button type="button" onClick={() => download(`${filename}.csv`, votesCsv(votes), 'text/csv')} disabled={votes.length === 0}>
          Export CSV
        </button>
        <button type="button" onClick={() => download(`${filename}.json`, votesJson(votes), 'application/json')} disabled={votes.length === 0}>
          Export JSON
        </button>
      </div>
      {votes.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                {header('voter', 'Voter')}
                {header('choice', 'Choice')}
                {header('power', 'Power', 'num')}
                <th scope="col">Reason</th>
                {header('time', 'Time')}
              </tr>
            </thead>
            <tbody>
              {rows.map((v) => (
                <tr key={`${v.stage}:${v.voter}`}>
                  <td>
                    <AddressView address={v.voter} />
                  </td>
                  <td>{choiceText(v.choice, votingType, choices)}</td>
                  <td className="num">
                    <TokenAmount value={v.power} token={token} />
                  </td>
                  <td className="reason">
                    <Reason text={v.reason} />
                  </td>
                  <td>
                    <Time at={v.receivedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav className="pager" aria-label="Votes pages">
          <button type="button" onClick={() => setPage(current - 1)} disabled={current === 0}>
            Previous
          </button>
          <span>
            Page {current + 1} of {pages}
          </span>
          <button type="button" onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
            Next
          </button>
        </nav>
      )}
    </div>
  );
}
