/** A voter's power at a proposal's snapshot, explained: own, given to delegates, received per delegator, per strategy. */
import type { DelegationSnapshot } from './delegated-power.js';
import type { VoterPower } from '../votes/voting-power.js';

const parts = (p: { total: bigint; byStrategy: bigint[] }) => ({ total: p.total.toString(), byStrategy: p.byStrategy.map(String) });

/** `snapshot` is null when delegation is off for the proposal (then nothing is given or received). */
export function explainPower(address: string, own: VoterPower, snapshot: DelegationSnapshot | null, strategyCount: number) {
  const zero = { total: 0n, byStrategy: Array.from({ length: strategyCount }, () => 0n) };
  const given = snapshot?.given(address) ?? zero;
  const received = snapshot?.received(address) ?? zero;
  const byStrategy = own.byStrategy.map((part, i) => part - (given.byStrategy[i] ?? 0n) + (received.byStrategy[i] ?? 0n));
  return {
    delegation: snapshot ? ('offchain' as const) : ('off' as const),
    own: parts(own),
    given: (snapshot?.byDelegator.get(address) ?? []).map((e) => ({
      delegate: e.delegate,
      bps: e.bps,
      ...parts({ total: e.power, byStrategy: e.byStrategy }),
    })),
    givenTotal: parts(given),
    received: (snapshot?.byDelegate.get(address) ?? []).map((e) => ({
      delegator: e.delegator,
      bps: e.bps,
      ...parts({ total: e.power, byStrategy: e.byStrategy }),
    })),
    receivedTotal: parts(received),
    effective: { total: (own.total - given.total + received.total).toString(), byStrategy: byStrategy.map(String) },
  };
}
