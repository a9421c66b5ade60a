import { formatUnits } from '../format/units';
import type { TokenDisplay } from '../format/token';

/** Instant-runoff rounds: each round's score per choice (eliminated choices at 0). */
export function RankedRounds({ rounds, choices, token }: { rounds: string[][]; choices: string[]; token: TokenDisplay }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="muted">Ranked-choice rounds ({token.symbol})</caption>
        <thead>
          <tr>
            <th scope="col">Choice</th>
            {rounds.map((_, r) => (
              <th key={r} scope="col" className="num">
                Round {r + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {choices.map((choice, c) => (
            <tr key={c}>
              <th scope="row">{choice}</th>
              {rounds.map((round, r) => (
                <td key={r} className="num">
                  {formatUnits(round[c] ?? '0', token.decimals)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
