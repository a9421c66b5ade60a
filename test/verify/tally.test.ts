/**
 * The verifier's own counting code (verify/tally.ts) against the server's (server/tally/): two
 * implementations written apart must agree on every voting type, on random ballots with 1–3
 * strategies, including the outcome; and the verifier's choice parser refuses what the server refuses.
 */
import t from 'tap';
import { computeTally } from '../../server/tally/tally.js';
import { decideOutcome } from '../../server/tally/outcome.js';
import { parseChoice as serverParseChoice } from '../../server/tally/choice.js';
import { VOTING_TYPES, type VotingType } from '../../core/tally/types.js';
import { canonicalChoice, countVotes, decide, parseChoice } from '../../verify/tally.js';
import { randomChoice, seededRandom } from '../helpers/random.js';

t.test('recounts equal the server tally and outcome for every voting type', async (t) => {
  const random = seededRandom(2026);
  for (const votingType of VOTING_TYPES) {
    for (let round = 0; round < 25; round++) {
      const choices = votingType === 'basic' ? ['For', 'Against', 'Abstain'] : Array.from({ length: 2 + Math.floor(random() * 4) }, (_, i) => `c${i}`);
      const strategyCount = 1 + Math.floor(random() * 3);
      const voters = Math.floor(random() * 40);
      const votes = Array.from({ length: voters }, (_, v) => {
        const text = JSON.stringify(randomChoice(random, votingType, choices.length));
        const powerByStrategy = Array.from({ length: strategyCount }, () => BigInt(Math.floor(random() * 1e6)) * 10n ** BigInt(Math.floor(random() * 19)));
        return { voter: `0x${v.toString(16).padStart(40, '0')}`, text, powerByStrategy };
      });
      const server = computeTally(
        votingType,
        choices,
        votes.map((v) => ({
          voter: v.voter,
          choice: serverParseChoice(votingType, v.text, choices.length),
          power: v.powerByStrategy.reduce((a, b) => a + b, 0n),
          powerByStrategy: v.powerByStrategy,
        })),
        strategyCount,
      );
      const ours = countVotes(
        votingType as VotingType,
        choices.length,
        strategyCount,
        votes.map((v) => ({ voter: v.voter, choice: parseChoice(votingType, v.text, choices.length) as never, powerByStrategy: v.powerByStrategy })),
      );
      const label = `${votingType} round ${round}`;
      t.same(ours.scores, server.scores, `${label}: scores`);
      t.same(ours.scoresByStrategy, server.scoresByStrategy, `${label}: by strategy`);
      t.equal(ours.totalPower, server.totalPower);
      t.equal(ours.voterCount, server.voterCount);
      if (votingType === 'ranked-choice') t.same(ours.rounds, server.rounds, `${label}: rounds`);
      const quorum = BigInt(Math.floor(random() * 1e6)) * 10n ** 12n;
      const bps = Math.floor(random() * 10_001);
      t.same(decide(votingType, ours, quorum, bps), decideOutcome(server, { quorum, passThresholdBps: bps }), `${label}: outcome`);
    }
  }
});

t.test('choice parsing: canonical forms, and the refusals the server makes', async (t) => {
  t.equal(canonicalChoice(parseChoice('approval', '[3, 1]', 3) as never), '[1,3]');
  t.equal(canonicalChoice(parseChoice('weighted', '{ "2" : 1, "1": 3 }', 3) as never), '{"1":3,"2":1}');
  t.equal(parseChoice('basic', ' 2\n', 5), 2);
  for (const [type, text] of [
    ['basic', '4'],
    ['basic', '1.0'],
    ['single-choice', '01'],
    ['single-choice', '+1'],
    ['approval', '[]'],
    ['approval', '[1,1]'],
    ['ranked-choice', '[1,2]'],
    ['weighted', '{"1":0}'],
    ['weighted', '{"1":1,"1":2}'],
    ['quadratic', '{}'],
    ['weighted', '{"1":1e0}'],
  ] as [VotingType, string][]) {
    t.type(parseChoice(type, text, 3), 'string', `${type} ${text} refused`);
    t.throws(() => serverParseChoice(type, text, 3), `the server refuses ${type} ${text} too`);
  }
});
