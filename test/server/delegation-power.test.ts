/**
 * Delegation arithmetic without a chain: which delegation counts at a snapshot, the integer split of
 * shares, and the stage tally with override (server/delegations/). Property tests on seeded random
 * delegation graphs (cycles included): no power is created or lost, and the tally is the same
 * whatever order the votes come in, equal to a direct recount of the final set of votes.
 */
import t from 'tap';
import type { DelegationRow } from '../../core/db/delegations.js';
import type { ShareEdge } from '../../core/db/delegation-shares.js';
import { DelegationSnapshot, effectiveDelegations, splitShares } from '../../server/delegations/delegated-power.js';
import { DelegatedAccumulator } from '../../server/delegations/delegated-accumulator.js';
import { createAccumulator, computeTally } from '../../server/tally/tally.js';
import type { TallyVote, VotingType } from '../../core/tally/types.js';
import type { VoterPower } from '../../server/votes/voting-power.js';
import { randomChoice, seededRandom } from '../helpers/random.js';

const random = seededRandom(0xde1e9a7e);
const int = (below: number) => Math.floor(random() * below);
const address = (i: number) => `0x${i.toString(16).padStart(40, '0')}`;
const bigPower = () => (random() < 0.15 ? 0n : BigInt(int(1_000_000)) * 10n ** BigInt(int(19)) + BigInt(int(10_000)));

function row(delegator: string, spaceId: string, timestamp: number, delegates: [string, number][], extra: Partial<DelegationRow> = {}): DelegationRow {
  return {
    messageId: `0x${String(timestamp).padStart(64, '0')}`,
    delegator,
    spaceId,
    kind: 'delegate',
    delegates: delegates.map(([a, bps]) => ({ address: a, bps })),
    expiry: null,
    timestamp: BigInt(timestamp),
    receivedAt: new Date(timestamp * 1000),
    ...extra,
  };
}

t.test('which delegation counts at the snapshot: space over global, expiry, undelegation', async (t) => {
  const [a, b, c, d, x, y] = [1, 2, 3, 4, 5, 6].map(address) as [string, string, string, string, string, string];
  const asOf = 1000n;
  const chosen = effectiveDelegations(
    [
      row(a, '', 10, [[x, 10_000]]),
      row(a, 'dao', 11, [[y, 5000]]), // space-scoped wins for a
      row(b, '', 12, [[x, 10_000]]),
      row(b, 'dao', 13, [[y, 10_000]], { expiry: 1000n }), // expired at the snapshot: the global one applies
      row(c, '', 14, [[x, 10_000]]),
      row(c, 'dao', 15, [], { kind: 'undelegate' }), // space undelegated: the global one applies
      row(d, '', 16, [[x, 10_000]], { expiry: 900n }), // expired, nothing else
    ],
    'dao',
    asOf,
  );
  t.same(chosen.get(a)?.delegates, [{ address: y, bps: 5000 }], 'a space-scoped delegation overrides the global one');
  t.same(chosen.get(b)?.delegates, [{ address: x, bps: 10_000 }], 'an expired space delegation falls back to the global one');
  t.same(chosen.get(c)?.delegates, [{ address: x, bps: 10_000 }], 'an undelegated space falls back to the global one');
  t.notOk(chosen.has(d), 'an expired delegation does not count');
});

interface Graph {
  addresses: string[];
  strategies: number;
  powers: Map<string, VoterPower>;
  edges: ShareEdge[];
  snapshot: DelegationSnapshot;
}

function randomGraph(): Graph {
  const n = 2 + int(25);
  const strategies = 1 + int(3);
  const addresses = Array.from({ length: n }, (_, i) => address(i + 1));
  const powers = new Map<string, VoterPower>();
  for (const a of addresses) {
    const byStrategy = Array.from({ length: strategies }, bigPower);
    powers.set(a, { total: byStrategy.reduce((x, y) => x + y, 0n), byStrategy });
  }
  const delegations = new Map<string, DelegationRow>();
  for (const delegator of addresses) {
    if (random() < 0.4) continue;
    const others = addresses.filter((a) => a !== delegator).sort(() => random() - 0.5);
    const count = Math.min(others.length, 1 + int(4));
    let left = 10_000;
    const list: [string, number][] = [];
    for (let i = 0; i < count && left > 0; i++) {
      const bps = i === count - 1 && random() < 0.5 ? left : 1 + int(left);
      list.push([others[i]!, bps]);
      left -= bps;
    }
    delegations.set(delegator, row(delegator, 'dao', 1, list));
  }
  const edges = splitShares(delegations, powers);
  return { addresses, strategies, powers, edges, snapshot: new DelegationSnapshot('p', edges, strategies) };
}

const VOTING_TYPES: VotingType[] = ['basic', 'single-choice', 'approval', 'weighted', 'quadratic', 'ranked-choice'];
const CASES = 400;

t.test(`property (${CASES} random graphs): Σ effective power = Σ own power, per strategy; shares round down`, async (t) => {
  let checked = 0;
  for (let k = 0; k < CASES; k++) {
    const g = randomGraph();
    for (let s = 0; s < g.strategies; s++) {
      let own = 0n;
      let effective = 0n;
      for (const a of g.addresses) {
        const mine = g.powers.get(a)!.byStrategy[s]!;
        const given = g.snapshot.given(a).byStrategy[s]!;
        if (given > mine) t.fail(`gives away more than it has: ${a}`);
        own += mine;
        effective += mine - given + g.snapshot.received(a).byStrategy[s]!;
      }
      if (own !== effective) t.equal(effective, own, `case ${k} strategy ${s}`);
      checked++;
    }
    for (const edge of g.edges) {
      const expected = g.powers.get(edge.delegator)!.byStrategy.map((p) => (p * BigInt(edge.bps)) / 10_000n);
      if (JSON.stringify(edge.byStrategy.map(String)) !== JSON.stringify(expected.map(String))) t.fail(`share of ${edge.delegator} → ${edge.delegate}`);
    }
  }
  t.ok(checked >= CASES, `${checked} (graph, strategy) pairs conserve power`);
});

/** The tally recomputed from scratch: each voter counts own power plus the shares of delegators who did not vote. */
function directTally(g: Graph, votingType: VotingType, choices: string[], ballots: Map<string, TallyVote>) {
  const votes = [...ballots.values()].map((vote) => {
    const extra = (g.snapshot.byDelegate.get(vote.voter) ?? []).filter((e) => !ballots.has(e.delegator));
    const byStrategy = vote.powerByStrategy.map((p, i) => extra.reduce((sum, e) => sum + e.byStrategy[i]!, p));
    return { ...vote, power: byStrategy.reduce((a, b) => a + b, 0n), powerByStrategy: byStrategy };
  });
  return computeTally(votingType, choices, votes, g.strategies);
}

const json = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

t.test(`property (${CASES} random graphs and ballots): override tally is order-free and equals a direct recount`, async (t) => {
  let compared = 0;
  for (let k = 0; k < CASES; k++) {
    const g = randomGraph();
    const votingType = VOTING_TYPES[k % VOTING_TYPES.length]!;
    const choices = votingType === 'basic' ? ['For', 'Against', 'Abstain'] : ['a', 'b', 'c', 'd'].slice(0, 2 + int(3));
    const ballots = new Map<string, TallyVote>();
    for (const a of g.addresses) {
      if (random() < 0.5) continue;
      const own = g.powers.get(a)!;
      ballots.set(a, { voter: a, choice: randomChoice(random, votingType, choices.length, 5), power: own.total, powerByStrategy: own.byStrategy });
    }
    const expected = json(directTally(g, votingType, choices, ballots));

    const inOrder = (order: TallyVote[]) => {
      const acc = new DelegatedAccumulator(createAccumulator(votingType, choices, g.strategies), g.edges);
      for (const vote of order) acc.add(vote);
      return acc;
    };
    const forward = inOrder([...ballots.values()]);
    const backward = inOrder([...ballots.values()].reverse());
    t.equal(json(forward.snapshot()), expected, `case ${k} (${votingType}): votes in arrival order`);
    t.equal(json(backward.snapshot()), expected, `case ${k} (${votingType}): votes in reverse order`);

    // Re-votes and a vote taken away (as a live tally sees them) end where a recount of the final set does.
    const finalBallots = new Map(ballots);
    for (const vote of [...ballots.values()]) {
      if (random() < 0.3) {
        const next = { ...vote, choice: randomChoice(random, votingType, choices.length, 5) };
        forward.replace(vote, next);
        finalBallots.set(vote.voter, next);
      } else if (random() < 0.15) {
        forward.remove(vote);
        finalBallots.delete(vote.voter);
      }
    }
    t.equal(json(forward.snapshot()), json(directTally(g, votingType, choices, finalBallots)), `case ${k}: after re-votes and removals`);

    // Everyone votes: each counts exactly their own power, so the total is Σ own power.
    const all = inOrder(g.addresses.map((a) => ({ voter: a, choice: randomChoice(random, votingType, choices.length, 5), ...ownOf(g, a) })));
    const ownTotal = g.addresses.reduce((sum, a) => sum + g.powers.get(a)!.total, 0n);
    if (votingType !== 'quadratic') t.equal(all.snapshot().totalPower, ownTotal, `case ${k}: all vote → total = Σ own`);
    compared++;
  }
  t.equal(compared, CASES);
});

function ownOf(g: Graph, a: string) {
  const own = g.powers.get(a)!;
  return { power: own.total, powerByStrategy: own.byStrategy };
}

t.test('a delegation cycle cannot change power (one hop)', async (t) => {
  const [a, b, c] = [address(1), address(2), address(3)];
  const powers = new Map<string, VoterPower>([
    [a, { total: 100n, byStrategy: [100n] }],
    [b, { total: 40n, byStrategy: [40n] }],
    [c, { total: 7n, byStrategy: [7n] }],
  ]);
  const delegations = new Map([
    [a, row(a, 'dao', 1, [[b, 10_000]])],
    [b, row(b, 'dao', 2, [[c, 10_000]])],
    [c, row(c, 'dao', 3, [[a, 10_000]])],
  ]);
  const edges = splitShares(delegations, powers);
  const snapshot = new DelegationSnapshot('p', edges, 1);
  const effective = (x: string) => powers.get(x)!.total - snapshot.given(x).total + snapshot.received(x).total;
  t.same([effective(a), effective(b), effective(c)], [7n, 100n, 40n], "each gets exactly its delegator's own power, nothing passed on");
  t.equal(effective(a) + effective(b) + effective(c), 147n, 'the cycle neither creates nor loses power');

  const acc = new DelegatedAccumulator(createAccumulator('basic', ['For', 'Against', 'Abstain'], 1), edges);
  acc.add({ voter: b, choice: 1, power: 40n, powerByStrategy: [40n] });
  t.same(acc.snapshot().scores, [140n, 0n, 0n], "b alone counts own 40 + a's 100 (c's share is not passed through)");
  acc.add({ voter: a, choice: 2, power: 100n, powerByStrategy: [100n] });
  t.same(acc.snapshot().scores, [40n, 107n, 0n], "a overrides: a counts own 100 + c's 7; a's share leaves b's count");
  acc.add({ voter: c, choice: 3, power: 7n, powerByStrategy: [7n] });
  t.same(acc.snapshot().scores, [40n, 100n, 7n], 'all three vote: each counts own power, total unchanged');
});
