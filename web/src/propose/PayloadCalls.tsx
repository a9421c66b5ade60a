/** Decoded payload calls with their simulation (from /api/proposals/:id/payload or /api/payload/preview). */
import type { GetResponse } from '../api/client';
import { AddressView } from '../components/AddressView';

export type DescribedCall = GetResponse<'/api/proposals/{id}/payload'>['calls'][number];

export function PayloadCalls({ calls, block }: { calls: DescribedCall[]; block: string | null }) {
  return (
    <ol className="payload-calls">
      {calls.map((call) => (
        <li key={call.index} data-kind={call.decoded.kind}>
          <p className="call-text">{call.decoded.text}</p>
          <p className="muted">
            Target <AddressView address={call.target} />
            {call.decoded.function ? (
              <>
                {' '}
                · <code>{call.decoded.function}</code>
              </>
            ) : null}
          </p>
          {call.decoded.kind === 'raw' && call.data !== '0x' ? (
            <details>
              <summary>Raw calldata</summary>
              <code className="hash">{call.data}</code>
            </details>
          ) : null}
          {call.simulation ? (
            <p className={call.simulation.ok ? 'simulation-ok' : 'error simulation-failed'}>
              {call.simulation.ok
                ? `Simulation from the treasury${block ? ` at block ${block}` : ''}: succeeds${call.simulation.gasEstimate ? ` (about ${call.simulation.gasEstimate} gas)` : ''}.`
                : `Simulation from the treasury${block ? ` at block ${block}` : ''}: would fail now — ${call.simulation.error ?? 'reverted'}.`}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
