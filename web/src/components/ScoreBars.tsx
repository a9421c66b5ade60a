import { bps, percent } from '../format/units';
import type { TokenDisplay } from '../format/token';
import { TokenAmount } from './TokenAmount';

/** Choice scores as horizontal bars (plain SVG), each as a share of the power that voted. */
export function ScoreBars({
  choices,
  scores,
  totalPower,
  token,
  winner,
}: {
  choices: string[];
  scores: string[];
  totalPower: string;
  token: TokenDisplay;
  winner?: number | null;
}) {
  return (
    <div className="bars" role="list" aria-label="Scores by choice">
      {choices.map((choice, i) => {
        const score = scores[i] ?? '0';
        const width = bps(score, totalPower) / 100;
        return (
          <div key={i} role="listitem" className={`bar${winner === i + 1 ? ' winner' : ''}`} data-choice={i + 1} data-score={score}>
            <div className="label">
              <span className="choice-name">{choice}</span>
              <span>
                <TokenAmount value={score} token={token} /> · {percent(score, totalPower)}
              </span>
            </div>
            <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
              <rect className="track" x="0" y="0" width="100" height="10" rx="2" />
              <rect className="fill" x="0" y="0" width={width} height="10" rx="2" />
            </svg>
          </div>
        );
      })}
    </div>
  );
}
