/**
 * A stage's tally with delegation: wraps the voting type's accumulator and counts, for every voter,
 * their own power plus the shares of their delegators who have not voted in that stage. A delegator
 * who votes counts their whole own power for their own vote, and their shares leave their delegates'
 * counts, whichever of them voted first (OpenZeppelin's GovernorCountingOverridable, per stage).
 *
 * The count is a function of the set of current votes only, never of their order: the final tally
 * (votes streamed in heap order) and the live tally (votes in commit order, re-seeded from the same
 * stream) therefore agree. Votes come in with the voter's own power (votes.power); the edges are the
 * proposal's delegation snapshot (core/db/delegation-shares.ts), fixed before its first vote.
 *
 * Memory: one entry per delegation edge and per voting delegate, not per vote.
 */
import type { TallyAccumulator } from '../tally/accumulator.js';
import type { Tally, TallyVote } from '../../core/tally/types.js';
import type { ShareEdge } from '../../core/db/delegation-shares.js';

export class DelegatedAccumulator implements TallyAccumulator {
  private readonly byDelegator = new Map<string, ShareEdge[]>();
  private readonly byDelegate = new Map<string, ShareEdge[]>();
  /** Delegators with a vote in the stage: their shares are theirs again. */
  private readonly votedDelegators = new Set<string>();
  /** Votes of delegates as the inner accumulator holds them (own power + shares of delegators who did not vote). */
  private readonly counted = new Map<string, TallyVote>();

  constructor(
    private readonly inner: TallyAccumulator,
    edges: readonly ShareEdge[],
  ) {
    for (const edge of edges) {
      if (edge.power === 0n) continue; // carries nothing either way
      push(this.byDelegator, edge.delegator, edge);
      push(this.byDelegate, edge.delegate, edge);
    }
  }

  /** Power counted so far, delegated shares included (the late-quorum check reads it). */
  countedPower(): bigint {
    return this.inner.countedPower();
  }

  get votingType() {
    return this.inner.votingType;
  }

  add(vote: TallyVote): void {
    const received = this.byDelegate.get(vote.voter);
    if (received) {
      const counted = withExtra(
        vote,
        received.filter((edge) => !this.votedDelegators.has(edge.delegator)),
        1n,
      );
      this.inner.add(counted);
      this.counted.set(vote.voter, counted);
    } else {
      this.inner.add(vote);
    }
    // After the voter's own vote is in (it may be refused): their shares leave their delegates' counts.
    const given = this.byDelegator.get(vote.voter);
    if (given && !this.votedDelegators.has(vote.voter)) {
      this.votedDelegators.add(vote.voter);
      for (const edge of given) this.adjust(edge, -1n);
    }
  }

  remove(vote: TallyVote): void {
    const counted = this.counted.get(vote.voter);
    if (counted) {
      this.inner.remove(counted);
      this.counted.delete(vote.voter);
    } else {
      this.inner.remove(vote);
    }
    if (this.votedDelegators.delete(vote.voter)) {
      for (const edge of this.byDelegator.get(vote.voter) ?? []) this.adjust(edge, 1n);
    }
  }

  replace(previous: TallyVote, next: TallyVote): void {
    const counted = this.counted.get(next.voter);
    if (!counted) return this.inner.replace(previous, next);
    // Same voter, same delegators: only the choice changes.
    const replacement: TallyVote = { ...next, power: counted.power, powerByStrategy: counted.powerByStrategy };
    this.inner.replace(counted, replacement);
    this.counted.set(next.voter, replacement);
  }

  snapshot(): Tally {
    return this.inner.snapshot();
  }

  /** Moves one edge's share in or out of its delegate's counted vote, if the delegate has voted. */
  private adjust(edge: ShareEdge, sign: 1n | -1n): void {
    const current = this.counted.get(edge.delegate);
    if (!current) return;
    const next = withExtra(current, [edge], sign);
    this.inner.replace(current, next);
    this.counted.set(edge.delegate, next);
  }
}

function push(map: Map<string, ShareEdge[]>, key: string, edge: ShareEdge): void {
  const list = map.get(key);
  if (list) list.push(edge);
  else map.set(key, [edge]);
}

/** The vote with the edges' shares added (sign 1) or taken away (sign -1), in total and per strategy. */
function withExtra(vote: TallyVote, edges: readonly ShareEdge[], sign: 1n | -1n): TallyVote {
  if (edges.length === 0) return vote;
  let power = vote.power;
  const byStrategy = [...vote.powerByStrategy];
  for (const edge of edges) {
    power += sign * edge.power;
    edge.byStrategy.forEach((part, i) => (byStrategy[i] = (byStrategy[i] ?? 0n) + sign * part));
  }
  return { ...vote, power, powerByStrategy: byStrategy };
}
