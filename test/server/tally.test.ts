import t, { type Test } from 'tap';
import { AppError } from '../../core/errors.js';
import { MAX_WEIGHT_SUM, parseChoice, serializeChoice } from '../../server/tally/choice.js';
import { decideOutcome } from '../../server/tally/outcome.js';
import { computeTally, createAccumulator } from '../../server/tally/tally.js';
import { BASIC_CHOICES, type Choice, type Tally, type TallyVote, type VotingType } from '../../core/tally/types.js';
import { randomChoice, seededRandom } from '../helpers/random.js';

const E18 = 10n ** 18n;
const E24 = 10n ** 24n;

/** A vote whose total power is the sum of its per-strategy powers. */
function vote(voter: string, choice: Choice, ...powerByStrategy: bigint[]): TallyVote {
  return { voter, choice, power: powerByStrategy.reduce((a, b) => a + b, 0n), powerByStrategy };
}

function tallyOf(overrides: Partial<Tally> & Pick<Tally, 'votingType' | 'scores'>): Tally {
  return {
    choices: overrides.scores.map((_, i) => `choice ${i + 1}`),
    scoresByStrategy: overrides.scores.map((s) => [s]),
    totalPower: overrides.scores.reduce((a, b) => a + b, 0n),
    voterCount: 1,
    ...overrides,
  };
}

t.test('basic: power goes to For, Against or Abstain, exact at wei scale', async (t) => {
  const tally = computeTally(
    'basic',
    [...BASIC_CHOICES],
    [vote('0xa', 1, E24, 5n), vote('0xb', 2, 3n * 10n ** 23n, 0n), vote('0xc', 3, 0n, 7n), vote('0xd', 1, 1n, 1n)],
    2,
  );
  t.strictSame(tally.scores, [E24 + 7n, 3n * 10n ** 23n, 7n]);
  t.strictSame(tally.scoresByStrategy, [
    [E24 + 1n, 6n],
    [3n * 10n ** 23n, 0n],
    [0n, 7n],
  ]);
  t.equal(tally.totalPower, 1_300_000_000_000_000_000_000_014n);
  t.equal(tally.voterCount, 4);
  t.strictSame(tally.choices, ['For', 'Against', 'Abstain']);
  t.equal(tally.rounds, undefined);
  t.throws(() => computeTally('basic', ['Yes', 'No'], [], 1), RangeError);
});

t.test('single-choice: power to the one chosen choice', async (t) => {
  const tally = computeTally('single-choice', ['a', 'b', 'c'], [vote('1', 2, 10n), vote('2', 2, 5n), vote('3', 3, 1n)], 1);
  t.strictSame(tally.scores, [0n, 15n, 1n]);
  t.strictSame(tally.scoresByStrategy, [[0n], [15n], [1n]]);
  t.equal(tally.totalPower, 16n);
  t.equal(tally.voterCount, 3);
});

t.test('approval: full power to every approved choice', async (t) => {
  const tally = computeTally('approval', ['a', 'b', 'c', 'd'], [vote('1', [1, 3], 60n, 40n), vote('2', [3], 50n, 0n), vote('3', [1, 2, 3, 4], E24, 0n)], 2);
  t.strictSame(tally.scores, [E24 + 100n, E24, E24 + 150n, E24]);
  t.strictSame(tally.scoresByStrategy, [
    [E24 + 60n, 40n],
    [E24, 0n],
    [E24 + 110n, 40n],
    [E24, 0n],
  ]);
  // A voter's power counts once in totalPower even though it appears in several scores.
  t.equal(tally.totalPower, E24 + 150n);
});

t.test('weighted: floors per strategy, remainder to the highest weight', async (t) => {
  // 10 split 1:1:1 -> 3 each, remainder 1 to the lowest index among the equal top weights.
  t.strictSame(computeTally('weighted', ['a', 'b', 'c'], [vote('1', { 1: 1, 2: 1, 3: 1 }, 10n)], 1).scores, [4n, 3n, 3n]);

  // 7 split 1:2:2 (W = 5): floors 1, 2, 2 = 5; remainder 2 to choice 2 (weight 2, lower index than 3).
  t.strictSame(computeTally('weighted', ['a', 'b', 'c'], [vote('1', { 1: 1, 2: 2, 3: 2 }, 7n)], 1).scores, [1n, 4n, 2n]);

  // Wei scale: 10^24 + 1 split 3:1 -> choice 3 gets floor((10^24+1)/4) = 2.5e23; choice 2 the rest.
  const wei = computeTally('weighted', ['a', 'b', 'c'], [vote('1', { 2: 3, 3: 1 }, E24 + 1n)], 1);
  t.strictSame(wei.scores, [0n, 750_000_000_000_000_000_000_001n, 250_000_000_000_000_000_000_000n]);
  t.equal(
    wei.scores.reduce((a, b) => a + b, 0n),
    wei.totalPower,
  );

  // Two strategies of 5 each, weights 1:2 (W = 3): per strategy choice 1 gets floor(5/3) = 1 and
  // choice 2 gets 5 - 1 = 4. (Splitting the total 10 at once would give 3 and 7: the split is
  // per strategy so that each score is exactly the sum of its by-strategy parts.)
  const split = computeTally('weighted', ['a', 'b'], [vote('1', { 1: 1, 2: 2 }, 5n, 5n), vote('2', { 1: 1 }, 2n, 0n)], 2);
  t.strictSame(split.scoresByStrategy, [
    [3n, 1n],
    [4n, 4n],
  ]);
  t.strictSame(split.scores, [4n, 8n]);
  t.equal(split.totalPower, 12n);
});

t.test('ranked-choice: instant runoff over three rounds with an elimination tie-break', async (t) => {
  const ballots = [
    vote('v1', [1, 2, 3, 4], 40n * E18, 0n),
    vote('v2', [2, 1, 3, 4], 0n, 30n * E18),
    vote('v3', [3, 2, 1, 4], 10n * E18, 5n * E18),
    vote('v4', [4, 3, 2, 1], 15n * E18, 0n),
  ];
  const tally = computeTally('ranked-choice', ['A', 'B', 'C', 'D'], ballots, 2);
  t.strictSame(tally.rounds, [
    // Total 100: nobody above 50. C and D tie lowest at 15: D (higher index) is eliminated; v4 -> C.
    [40n * E18, 30n * E18, 15n * E18, 15n * E18],
    // B and C tie lowest at 30: C is eliminated; v3 -> B, v4 -> (C gone) B.
    [40n * E18, 30n * E18, 30n * E18, 0n],
    // B has 60 of 100: wins. (Had B been eliminated instead, v2 would have made A win 70-30.)
    [40n * E18, 60n * E18, 0n, 0n],
  ]);
  t.strictSame(tally.scores, [40n * E18, 60n * E18, 0n, 0n]);
  // Each ballot's strategies follow it to the choice it counts for at the end: B = v2 + v3 + v4.
  t.strictSame(tally.scoresByStrategy, [
    [40n * E18, 0n],
    [25n * E18, 35n * E18],
    [0n, 0n],
    [0n, 0n],
  ]);
  t.equal(tally.totalPower, 100n * E18);
});

t.test('ranked-choice: a first-round majority ends the count; the last two are never reduced to one', async (t) => {
  const majority = computeTally('ranked-choice', ['A', 'B', 'C'], [vote('1', [1, 2, 3], 51n), vote('2', [2, 3, 1], 49n)], 1);
  t.strictSame(majority.rounds, [[51n, 49n, 0n]]);

  // 30/30/40: A and B tie lowest; B (higher index) is eliminated and its ballot moves to C.
  const lowTie = computeTally('ranked-choice', ['A', 'B', 'C'], [vote('1', [1, 3, 2], 30n), vote('2', [2, 3, 1], 30n), vote('3', [3, 1, 2], 40n)], 1);
  t.strictSame(lowTie.rounds, [
    [30n, 30n, 40n],
    [30n, 0n, 70n],
  ]);
  // Two choices left at 50/50: the count stops there and the tie is left for the outcome rules.
  const even = computeTally('ranked-choice', ['A', 'B'], [vote('1', [1, 2], 5n), vote('2', [2, 1], 5n)], 1);
  t.strictSame(even.scores, [5n, 5n]);
  t.equal(decideOutcome(even, { quorum: 0n, passThresholdBps: 5000 }).outcome, 'defeated:tie');

  const empty = computeTally('ranked-choice', ['A', 'B', 'C'], [], 1);
  t.strictSame(empty.rounds, [[0n, 0n, 0n]]);
});

t.test('quadratic: (sum of square roots)^2 per choice, rescaled to the total power', async (t) => {
  // Powers chosen so every root is exact. With the 10^18 scale, root = isqrt(p × w/W × 10^18):
  //   v1: 4e24 all on 1         -> root 2e21 for choice 1
  //   v2: 8e24 split 1:1        -> 4e24 each -> root 2e21 for choices 1 and 2
  //   v3: 16e24 all on 2        -> root 4e21
  //   v4: 1e24 all on 3         -> root 1e21
  // Root sums 4e21, 6e21, 1e21 -> q = 16e42, 36e42, 1e42; Σq = 53e42; totalPower = 29e24.
  // score = floor(q × 29e24 / 53e42): 16×29/53 e24, 36×29/53 e24, 29/53 e24.
  const tally = computeTally(
    'quadratic',
    ['a', 'b', 'c'],
    [
      vote('v1', { 1: 1 }, 4n * E24, 0n),
      vote('v2', { 1: 1, 2: 1 }, 8n * E24, 0n),
      vote('v3', { 2: 1 }, 10n * E24, 6n * E24),
      vote('v4', { 3: 1 }, 0n, 1n * E24),
    ],
    2,
  );
  t.strictSame(tally.scores, [
    8_754_716_981_132_075_471_698_113n, // 464e24 / 53 = 8.7547169811320754716981132...e24
    19_698_113_207_547_169_811_320_754n, // 1044e24 / 53
    547_169_811_320_754_716_981_132n, // 29e24 / 53
  ]);
  t.equal(tally.totalPower, 29n * E24);
  // The floors drop 1 unit in total (less than one per choice).
  t.equal(tally.totalPower - tally.scores.reduce((a, b) => a + b, 0n), 1n);
  // By strategy: the linear (weighted) allocation of each strategy's power, not parts of the score.
  t.strictSame(tally.scoresByStrategy, [
    [8n * E24, 0n],
    [14n * E24, 6n * E24],
    [0n, 1n * E24],
  ]);
});

t.test('quadratic: the square-root scale keeps small powers precise', async (t) => {
  // Two voters each on their own choice: the exact quadratic result is their powers, 200 and 300.
  // Unscaled isqrt(200) = 14, isqrt(300) = 17 would give floor(500×196/485) = 202 and 297. At
  // the 10^18 scale the roots are 14142135623 and 17320508075; their squares give shares of
  // 199.99999999... and 300.00000000..., floored to 199 and 300.
  const tally = computeTally('quadratic', ['a', 'b'], [vote('1', { 1: 7 }, 200n), vote('2', { 2: 3 }, 300n)], 1);
  t.strictSame(tally.scores, [199n, 300n]);

  const noPower = computeTally('quadratic', ['a', 'b'], [vote('1', { 1: 1 }, 0n)], 1);
  t.strictSame(noPower.scores, [0n, 0n]);
});

// ---- Accumulator: incremental updates equal a full recount ----

function randomPower(random: () => number): bigint {
  // Mostly wei-sized values, sometimes tiny ones and zero.
  const r = random();
  if (r < 0.1) return 0n;
  if (r < 0.3) return BigInt(Math.floor(random() * 10));
  return BigInt(Math.floor(random() * 2 ** 40)) * BigInt(Math.floor(random() * 2 ** 40)) + BigInt(Math.floor(random() * 1000));
}

const TYPES: VotingType[] = ['basic', 'single-choice', 'approval', 'weighted', 'ranked-choice', 'quadratic'];

t.test('accumulator: random adds, removes and re-votes equal a recount (seeded)', async (t) => {
  const random = seededRandom(20240611);
  const strategyCount = 3;
  for (const type of TYPES) {
    const choices = type === 'basic' ? [...BASIC_CHOICES] : ['a', 'b', 'c', 'd', 'e'];
    const makeVote = (voter: string) =>
      vote(voter, randomChoice(random, type, choices.length, 9), randomPower(random), randomPower(random), randomPower(random));

    const accumulator = createAccumulator(type, choices, strategyCount);
    const current = new Map<string, TallyVote>();
    for (let i = 0; i < 400; i++) {
      const v = makeVote(`0x${i}`);
      accumulator.add(v);
      current.set(v.voter, v);
    }
    for (let i = 0; i < 400; i++) {
      const voter = `0x${Math.floor(random() * 400)}`;
      const previous = current.get(voter);
      if (previous === undefined) continue;
      if (random() < 0.5) {
        accumulator.remove(previous);
        current.delete(voter);
      } else {
        const next = makeVote(voter);
        accumulator.replace(previous, next);
        current.set(voter, next);
      }
    }
    const recount = computeTally(type, choices, current.values(), strategyCount);
    t.strictSame(accumulator.snapshot(), recount, `${type}: incremental equals recount`);
    // Invariants that do not depend on the accumulator's own arithmetic.
    const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
    const expectedTotal = sum([...current.values()].map((v) => v.power));
    t.equal(recount.totalPower, expectedTotal, `${type}: totalPower`);
    t.equal(recount.voterCount, current.size, `${type}: voterCount`);
    if (type === 'quadratic') {
      const shortfall = expectedTotal - sum(recount.scores);
      t.ok(shortfall >= 0n && shortfall < BigInt(choices.length), `${type}: rescale drops < 1 unit per choice`);
      t.equal(sum(recount.scoresByStrategy.flat()), expectedTotal, `${type}: linear by-strategy allocation`);
    } else {
      recount.scores.forEach((score, c) => t.equal(sum(recount.scoresByStrategy[c]!), score, `${type}: row ${c + 1}`));
      if (type !== 'approval') t.equal(sum(recount.scores), expectedTotal, `${type}: scores add up to the power`);
    }
    t.ok(current.size < 400 && current.size > 100, `${type}: the run removed some votes`);
  }
});

t.test('accumulator: a re-vote replaces the old vote; snapshots do not change afterwards', async (t) => {
  const accumulator = createAccumulator('weighted', ['a', 'b'], 1);
  const first = vote('0xa', { 1: 1 }, 100n);
  accumulator.add(first);
  accumulator.add(vote('0xb', { 2: 1 }, 50n));
  const before = accumulator.snapshot();
  accumulator.replace(first, vote('0xa', { 1: 1, 2: 3 }, 120n));
  const after = accumulator.snapshot();
  t.strictSame(before.scores, [100n, 50n]);
  t.strictSame(after.scores, [30n, 140n]);
  t.equal(after.totalPower, 170n);
  t.equal(after.voterCount, 2);
});

t.test('accumulator: a vote that does not fit is rejected and changes nothing', async (t) => {
  const accumulator = createAccumulator('approval', ['a', 'b', 'c'], 2);
  const counted = vote('0xa', [1, 2], 5n, 5n);
  accumulator.add(counted);
  const before = accumulator.snapshot();
  t.throws(() => accumulator.add(vote('0xb', [1, 4], 1n, 1n)), RangeError, 'choice out of range');
  t.throws(() => accumulator.add({ voter: '0xc', choice: [1], power: 3n, powerByStrategy: [1n, 1n] }), RangeError, 'parts do not sum');
  t.throws(() => accumulator.add(vote('0xd', [1], 1n)), RangeError, 'wrong strategy count');
  t.throws(() => accumulator.add(vote('0xe', 1, 1n, 1n)), TypeError, 'wrong shape');
  t.throws(() => accumulator.replace(counted, vote('0xa', [9], 1n, 1n)), RangeError, 'bad re-vote');
  t.strictSame(accumulator.snapshot(), before, 'the failed re-vote left the previous vote counted');

  const ranked = createAccumulator('ranked-choice', ['a', 'b'], 1);
  ranked.add(vote('0xa', [1, 2], 1n));
  t.throws(() => ranked.add(vote('0xa', [2, 1], 1n)), RangeError, 'a voter is counted once');
  t.throws(() => ranked.remove(vote('0xz', [2, 1], 1n)), RangeError, 'unknown voter');
  t.throws(() => ranked.add(vote('0xb', [1, 3], 1n)), RangeError, 'ranking out of range');
});

// ---- parseChoice ----

function rejects(t: Test, type: VotingType, json: string, count: number, code: string, message?: RegExp) {
  try {
    parseChoice(type, json, count);
    t.fail(`${type} ${json}: expected ${code}`);
  } catch (error) {
    t.type(error, AppError, `${type} ${json}`);
    t.equal((error as AppError).code, code, `${type} ${json}: ${(error as Error).message}`);
    t.equal((error as AppError).statusCode, 400);
    if (message) t.match((error as Error).message, message);
  }
}

t.test('parseChoice: valid choices of every type', async (t) => {
  t.equal(parseChoice('basic', '3', 99), 3, 'basic always has 3 choices');
  t.equal(parseChoice('single-choice', ' 2 ', 3), 2);
  t.strictSame(parseChoice('approval', '[3, 1]', 3), [1, 3], 'approval is sorted');
  t.strictSame(parseChoice('ranked-choice', '[2,3,1]', 3), [2, 3, 1], 'a ranking keeps its order');
  t.strictSame(parseChoice('weighted', '{ "3": 1, "1": 2 }', 3), { 1: 2, 3: 1 });
  t.strictSame(parseChoice('quadratic', '{"2":1000000}', 3), { 2: 1_000_000 });
  t.equal(serializeChoice(parseChoice('weighted', '{ "3": 1, "1": 2 }', 3)), '{"1":2,"3":1}');
  t.equal(serializeChoice(parseChoice('approval', '[ 3 ,1 ]', 3)), '[1,3]');
});

t.test('parseChoice: CHOICE_OUT_OF_RANGE names the index and the range', async (t) => {
  const range = 'CHOICE_OUT_OF_RANGE';
  rejects(t, 'single-choice', '0', 3, range, /choice 0 is out of range: this proposal has choices 1 to 3/);
  rejects(t, 'single-choice', '4', 3, range, /choice 4 .*1 to 3/);
  rejects(t, 'single-choice', '-1', 3, range);
  rejects(t, 'basic', '4', 4, range, /1 to 3/);
  rejects(t, 'approval', '[1,4]', 3, range, /choice 4/);
  rejects(t, 'ranked-choice', '[1,2,4]', 3, range);
  rejects(t, 'weighted', '{"0":1}', 3, range, /choice 0/);
  rejects(t, 'quadratic', '{"4":1}', 3, range, /choice 4/);
  rejects(t, 'single-choice', '99999999999999999999999', 3, range);
});

t.test('parseChoice: INVALID_CHOICE for every malformed or misshaped choice', async (t) => {
  const bad = 'INVALID_CHOICE';
  // Wrong shape for the type.
  rejects(t, 'basic', '"1"', 3, bad, /basic choice must be/);
  rejects(t, 'single-choice', '[1]', 3, bad);
  rejects(t, 'approval', '1', 3, bad);
  rejects(t, 'ranked-choice', '{"1":1}', 3, bad);
  rejects(t, 'weighted', '[1,2]', 3, bad);
  rejects(t, 'quadratic', '2', 3, bad);
  // Duplicates and incomplete lists.
  rejects(t, 'approval', '[1,1]', 3, bad, /listed twice/);
  rejects(t, 'approval', '[]', 3, bad, /at least one/);
  rejects(t, 'ranked-choice', '[1,2]', 3, bad, /rank all 3 choices/);
  rejects(t, 'ranked-choice', '[1,1,2]', 3, bad, /listed twice/);
  rejects(t, 'weighted', '{"1":1,"1":2}', 3, bad, /twice/);
  // Numbers that are not plain integers.
  rejects(t, 'single-choice', '1.5', 3, bad, /whole numbers/);
  rejects(t, 'single-choice', '1.0', 3, bad);
  rejects(t, 'single-choice', '1e0', 3, bad, /exponent/);
  rejects(t, 'single-choice', '1E0', 3, bad);
  rejects(t, 'single-choice', '01', 3, bad, /leading zeros/);
  rejects(t, 'approval', '[1.0]', 3, bad);
  rejects(t, 'weighted', '{"1":1.5}', 3, bad);
  rejects(t, 'weighted', '{"1":1e3}', 3, bad);
  // Weights and keys.
  rejects(t, 'weighted', '{"1":-1}', 3, bad, /positive integer/);
  rejects(t, 'weighted', '{"1":0}', 3, bad, /positive integer/);
  rejects(t, 'weighted', '{}', 3, bad, /at least one/);
  rejects(t, 'weighted', '{"a":1}', 3, bad, /not a choice index/);
  rejects(t, 'weighted', '{"01":1}', 3, bad, /not a choice index/);
  rejects(t, 'weighted', '{"1.0":1}', 3, bad, /not a choice index/);
  rejects(t, 'weighted', '{"\\u0031":1}', 3, bad);
  rejects(t, 'quadratic', `{"1":${MAX_WEIGHT_SUM},"2":1}`, 3, bad, /at most 1000000/);
  // Not JSON at all.
  for (const json of ['', ' ', 'abc', 'null', 'true', '[1,', '[1 2]', '{"1":1', '{"1" 1}', '1 x', '[1,]', '-', '"1"']) {
    rejects(t, 'single-choice', json, 3, bad);
  }
  rejects(t, 'approval', '[1,2,]', 3, bad);
  rejects(t, 'single-choice', '1'.padStart(10_001, ' '), 3, bad, /longer than/);
});

// ---- decideOutcome ----

t.test('decideOutcome: basic', async (t) => {
  const basic = (forP: bigint, against: bigint, abstain: bigint) =>
    tallyOf({ votingType: 'basic', scores: [forP, against, abstain], choices: [...BASIC_CHOICES] });
  const majority = { quorum: 100n, passThresholdBps: 5000 };

  // Abstain counts toward quorum only: 30 For / 10 Against is 75% of the decisive 40.
  t.strictSame(decideOutcome(basic(30n, 10n, 60n), majority), {
    quorumReached: true,
    passed: true,
    winningChoice: 1,
    outcome: 'passed',
  });
  t.strictSame(decideOutcome(basic(30n, 10n, 59n), majority), {
    quorumReached: false,
    passed: false,
    winningChoice: 1,
    outcome: 'defeated:no-quorum',
  });
  // A 50/50 split is not a strict majority; Against prevails on a tie.
  t.strictSame(decideOutcome(basic(50n, 50n, 0n), majority), {
    quorumReached: true,
    passed: false,
    winningChoice: 2,
    outcome: 'defeated:threshold',
  });
  // Threshold boundary at 60%, wei scale: exactly 60% fails, one wei more passes.
  const sixty = { quorum: 0n, passThresholdBps: 6000 };
  t.equal(decideOutcome(basic(6n * 10n ** 23n, 4n * 10n ** 23n, 0n), sixty).outcome, 'defeated:threshold');
  t.equal(decideOutcome(basic(6n * 10n ** 23n, 4n * 10n ** 23n, 0n), sixty).winningChoice, 1, 'For leads but fell short');
  t.equal(decideOutcome(basic(6n * 10n ** 23n + 1n, 4n * 10n ** 23n, 0n), sixty).outcome, 'passed');
  // Abstain-only: quorum reached, nothing decisive, no winner.
  t.strictSame(decideOutcome(basic(0n, 0n, 500n), majority), {
    quorumReached: true,
    passed: false,
    winningChoice: null,
    outcome: 'defeated:threshold',
  });
  // No votes at all.
  t.strictSame(decideOutcome({ ...basic(0n, 0n, 0n), voterCount: 0 }, { quorum: 0n, passThresholdBps: 5000 }), {
    quorumReached: true,
    passed: false,
    winningChoice: null,
    outcome: 'defeated:no-votes',
  });
});

t.test('decideOutcome: other types', async (t) => {
  const rules = (quorum: bigint, passThresholdBps: number) => ({ quorum, passThresholdBps });
  const single = (...scores: bigint[]) => tallyOf({ votingType: 'single-choice', scores });

  t.strictSame(decideOutcome(single(60n, 30n, 10n), rules(100n, 5000)), {
    quorumReached: true,
    passed: true,
    winningChoice: 1,
    outcome: 'passed',
  });
  t.strictSame(decideOutcome(single(60n, 30n, 9n), rules(100n, 5000)), {
    quorumReached: false,
    passed: false,
    winningChoice: 1,
    outcome: 'defeated:no-quorum',
  });
  t.strictSame(decideOutcome(single(40n, 40n, 20n), rules(0n, 0)), {
    quorumReached: true,
    passed: false,
    winningChoice: null,
    outcome: 'defeated:tie',
  });
  // Boundary: 60 of 100 at 6000 bps is not more than 60%; 61 is.
  t.equal(decideOutcome(tallyOf({ votingType: 'weighted', scores: [60n, 40n] }), rules(0n, 6000)).outcome, 'defeated:threshold');
  t.equal(decideOutcome(tallyOf({ votingType: 'weighted', scores: [61n, 39n] }), rules(0n, 6000)).outcome, 'passed');
  t.equal(decideOutcome({ ...single(0n, 0n), voterCount: 0 }, rules(0n, 5000)).outcome, 'defeated:no-votes');

  // Approval: 100 voters' power in total, choice 1 approved by all of it, choice 2 by 90.
  // Against totalPower 100 choice 1 has 100% > 60%; against Σscores 190 it would have 52.6%.
  const approval = tallyOf({ votingType: 'approval', scores: [100n, 90n], totalPower: 100n, voterCount: 2 });
  t.equal(decideOutcome(approval, rules(100n, 6000)).outcome, 'passed');

  // Ranked-choice uses the final round's scores.
  const ranked = computeTally('ranked-choice', ['A', 'B', 'C'], [vote('1', [1, 2, 3], 45n), vote('2', [2, 1, 3], 35n), vote('3', [3, 2, 1], 20n)], 1);
  t.strictSame(ranked.scores, [45n, 55n, 0n]);
  t.strictSame(decideOutcome(ranked, rules(50n, 5000)), {
    quorumReached: true,
    passed: true,
    winningChoice: 2,
    outcome: 'passed',
  });

  t.throws(() => decideOutcome(single(1n), rules(0n, 10_001)), RangeError);
  t.throws(() => decideOutcome(single(1n), rules(0n, 50.5)), RangeError);
});
