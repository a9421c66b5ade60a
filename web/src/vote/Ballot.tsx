/** The ballot for every voting type; every control works from the keyboard (ranking: buttons or Alt+↑/↓). */
import { useRef, useState } from 'react';
import { move, type Ballot } from './choice';

export function BallotForm({
  ballot,
  choices,
  votingType,
  onChange,
}: {
  ballot: Ballot;
  choices: string[];
  votingType: string;
  onChange: (b: Ballot) => void;
}) {
  const [announce, setAnnounce] = useState('');
  const rows = useRef<(HTMLLIElement | null)[]>([]);
  // The ballot last asked for. A second key press can arrive before React has rendered the first
  // one's result (a second Alt+↑ repeated the first move), so every change starts from this ballot,
  // not from the render's. (Controlled inputs are flushed by React after each event, but one rule for
  // every control is simpler to trust.)
  const latest = useRef(ballot);
  latest.current = ballot;
  const change = (next: Ballot) => {
    latest.current = next;
    onChange(next);
  };
  const name = (n: number) => choices[n - 1] ?? `#${n}`;

  switch (ballot.kind) {
    case 'single':
      return (
        <fieldset className="ballot">
          <legend>Your choice</legend>
          {choices.map((c, i) => (
            <label key={i} className="ballot-option">
              <input type="radio" name="choice" value={i + 1} checked={ballot.choice === i + 1} onChange={() => change({ kind: 'single', choice: i + 1 })} />{' '}
              {c}
            </label>
          ))}
        </fieldset>
      );
    case 'approval':
      return (
        <fieldset className="ballot">
          <legend>Approve one or more choices</legend>
          {choices.map((c, i) => {
            const n = i + 1;
            const checked = ballot.chosen.includes(n);
            return (
              <label key={i} className="ballot-option">
                <input
                  type="checkbox"
                  checked={checked}
                  onChange={() => {
                    const current = latest.current;
                    if (current.kind !== 'approval') return;
                    change({ kind: 'approval', chosen: current.chosen.includes(n) ? current.chosen.filter((x) => x !== n) : [...current.chosen, n] });
                  }}
                />{' '}
                {c}
              </label>
            );
          })}
        </fieldset>
      );
    case 'weights': {
      const total = Object.values(ballot.weights).reduce((a, b) => a + (b > 0 ? b : 0), 0);
      return (
        <fieldset className="ballot">
          <legend>
            {votingType === 'quadratic'
              ? 'Spread your vote (quadratic: your power is split in proportion to the weights, then counted by square root)'
              : 'Spread your vote: your power is split in proportion to the weights'}
          </legend>
          {choices.map((c, i) => {
            const n = i + 1;
            const w = ballot.weights[n] ?? 0;
            return (
              <label key={i} className="ballot-option">
                <input
                  type="number"
                  min={0}
                  step={1}
                  inputMode="numeric"
                  value={w}
                  aria-label={`Weight for ${c}`}
                  onChange={(e) => {
                    const value = Math.max(0, Math.floor(Number(e.target.value) || 0));
                    const current = latest.current;
                    if (current.kind !== 'weights') return;
                    change({ kind: 'weights', weights: { ...current.weights, [n]: value } });
                  }}
                />{' '}
                {c} {total > 0 && w > 0 ? <span className="muted">({Math.round((w * 1000) / total) / 10}%)</span> : null}
              </label>
            );
          })}
        </fieldset>
      );
    }
    case 'ranking': {
      const shift = (moved: number, delta: number) => {
        const current = latest.current;
        if (current.kind !== 'ranking') return;
        const index = current.order.indexOf(moved);
        if (index < 0) return;
        const order = move(current.order, index, delta);
        if (order === current.order) return;
        change({ kind: 'ranking', order });
        setAnnounce(`${name(moved)} moved to position ${index + delta + 1}`);
        requestAnimationFrame(() => rows.current[index + delta]?.focus());
      };
      return (
        <fieldset className="ballot">
          <legend>Rank every choice, most preferred first</legend>
          <p className="muted" id="rank-help">
            Use the buttons, or focus a choice and press Alt+↑ or Alt+↓ to move it.
          </p>
          <ol className="ranking" aria-describedby="rank-help">
            {ballot.order.map((n, index) => (
              <li
                key={n}
                ref={(el) => {
                  rows.current[index] = el;
                }}
                tabIndex={0}
                aria-label={`${index + 1}. ${name(n)}`}
                onKeyDown={(e) => {
                  if (!e.altKey) return;
                  if (e.key === 'ArrowUp') {
                    e.preventDefault();
                    shift(n, -1);
                  } else if (e.key === 'ArrowDown') {
                    e.preventDefault();
                    shift(n, 1);
                  }
                }}
              >
                <span>{name(n)}</span>{' '}
                <button type="button" disabled={index === 0} aria-label={`Move ${name(n)} up`} onClick={() => shift(n, -1)}>
                  ↑
                </button>
                <button type="button" disabled={index === ballot.order.length - 1} aria-label={`Move ${name(n)} down`} onClick={() => shift(n, 1)}>
                  ↓
                </button>
              </li>
            ))}
          </ol>
          <p className="visually-hidden" aria-live="polite">
            {announce}
          </p>
        </fieldset>
      );
    }
  }
}
