import { lazy, Suspense } from 'react';
import type { VetoState } from '../api/types';
import { AddressView } from './AddressView';
import { Time } from './Time';

// Signing a veto (wallet, EIP-712) loads only while the operation waits in the timelock: web/src/vote/.
const VetoFlow = lazy(() => import('../vote/VetoFlow'));

/**
 * The veto council of a passed proposal while its operation waits in the timelock: members, threshold,
 * the signed vetoes received, the deadline and whether the operation was cancelled, all as the server
 * reports them (GET /api/proposals/{id} `veto`, `executionStatus`).
 */
export function VetoPanel({
  proposal,
  veto,
  executionStatus,
  onVetoed,
}: {
  proposal: { id: string; space: string };
  veto: VetoState;
  executionStatus: string | null;
  onVetoed: () => void;
}) {
  const cancelled = executionStatus === 'cancelled';
  const open = executionStatus === 'scheduled' && !veto.vetoedAt && veto.deadline !== null;
  return (
    <section aria-labelledby="veto-heading" data-testid="veto">
      <h2 id="veto-heading">Veto council</h2>
      <p>
        <span data-testid="veto-count">{veto.vetoes.length}</span> of <span data-testid="veto-threshold">{veto.council.threshold}</span> vetoes needed (
        {veto.council.members.length} members) ·{' '}
        <strong data-testid="veto-status">
          {cancelled ? 'cancelled' : veto.vetoedAt ? 'vetoed: the relayer cancels the operation' : veto.thresholdReached ? 'threshold reached' : 'not vetoed'}
        </strong>
      </p>
      {veto.deadline ? (
        <p className="muted">
          Vetoes accepted until <Time at={veto.deadline} />
        </p>
      ) : null}
      <details>
        <summary>Members</summary>
        <ul>
          {veto.council.members.map((m) => (
            <li key={m}>
              <AddressView address={m} />
            </li>
          ))}
        </ul>
      </details>
      {veto.vetoes.length > 0 ? (
        <ol className="vetoes">
          {veto.vetoes.map((v) => (
            <li key={v.messageId} data-testid="veto-item" data-member={v.member}>
              <AddressView address={v.member} /> · <Time at={v.receivedAt} />
              <p className="reason">{v.reason}</p>
            </li>
          ))}
        </ol>
      ) : null}
      {open ? (
        <Suspense fallback={null}>
          <VetoFlow proposal={proposal} members={veto.council.members} vetoed={veto.vetoes.map((v) => v.member)} onVetoed={onVetoed} />
        </Suspense>
      ) : null}
    </section>
  );
}
