import type { Simulation } from '../api/types';
import { AddressView } from './AddressView';
import { Time } from './Time';

const PHASES: Record<Simulation['phase'], string> = {
  created: 'At creation',
  consensus: 'When the consensus check opened',
  schedule: 'Before scheduling',
};

/** A signed base-unit integer exactly as the server gave it (decimal string), with its sign. */
const signed = (delta: string) => (delta.startsWith('-') ? delta : `+${delta}`);

/** One simulation of the payload: success or the decoded revert, the balance changes, the block. */
function SimulationView({ simulation: s }: { simulation: Simulation }) {
  return (
    <li data-phase={s.phase} data-ok={s.ok ? 'true' : 'false'}>
      <strong>{PHASES[s.phase]}</strong>: {s.ok ? 'succeeds' : 'reverts'} · block <span data-testid="sim-block">{s.block}</span> · <Time at={s.simulatedAt} />
      {s.ok ? null : (
        <p className="state-defeated" data-testid="sim-error">
          {s.failedCall !== null ? `call ${s.failedCall + 1}: ` : ''}
          {s.error ?? 'reverted without a reason'}
        </p>
      )}
      {s.balanceChanges && s.balanceChanges.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Asset</th>
              <th>Account</th>
              <th>Change (base units)</th>
            </tr>
          </thead>
          <tbody>
            {s.balanceChanges.map((c, i) => (
              <tr key={i} data-testid="balance-change">
                <td>{c.token ? <AddressView address={c.token} /> : 'ETH (wei)'}</td>
                <td>
                  <AddressView address={c.account} />
                </td>
                <td data-testid="delta">{signed(c.delta)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{s.balanceChanges ? 'No balance changes.' : 'Balance changes not derived (each call simulated alone).'}</p>
      )}
    </li>
  );
}

/** The payload simulated from the executor at creation, at the consensus opening and before scheduling. */
export function SimulationsPanel({ simulations }: { simulations: Simulation[] }) {
  return (
    <section aria-labelledby="simulations-heading" data-testid="simulations">
      <h2 id="simulations-heading">What the payload does</h2>
      {simulations.length === 0 ? (
        <p className="muted">Not simulated yet.</p>
      ) : (
        <ul className="simulations">
          {simulations.map((s) => (
            <SimulationView key={s.phase} simulation={s} />
          ))}
        </ul>
      )}
    </section>
  );
}
