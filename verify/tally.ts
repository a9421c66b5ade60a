/**
 * The verifier's own counting code, written from the published rules (docs/messages.md "Choice
 * encoding", server/tally/README.md "Counting rules" and "Pass rules"), not imported from the server:
 * a second implementation is the point. Everything is bigint.
 */

import { isqrt } from './isqrt.js';

export type VotingType = 'basic' | 'single-choice' | 'approval' | 'weighted' | 'ranked-choice' | 'quadratic';
export type Choice = number | number[] | Record<string, number>;

export interface CountedVote {
  voter: string;
  choice: Choice;
  /** Power per strategy, weights applied (Σ = the voter's power). */
  powerByStrategy: bigint[];
}

export interface Tally {
  scores: bigint[];
  scoresByStrategy: bigint[][];
  totalPower: bigint;
  voterCount: number;
  rounds?: bigint[][];
}

export interface Outcome {
  quorumReached: boolean;
  passed: boolean;
  winningChoice: number | null;
  outcome: string;
}

const JSON_SPACE = /[ \t\r\n]/g;

/**
 * A signed choice string → its meaning, or a string saying why it is not a valid ballot. Integers
 * only (no fraction, exponent, sign, leading zero), no escapes, no duplicate keys; JSON whitespace
 * between tokens is tolerated.
 */
export function parseChoice(votingType: VotingType, text: string, choiceCount: number): Choice | string {
  const compact = text.replace(JSON_SPACE, '');
  const count = votingType === 'basic' ? 3 : choiceCount;
  const inRange = (n: number) => Number.isSafeInteger(n) && n >= 1 && n <= count;
  const integer = '(?:0|-?[1-9][0-9]*)';
  if (votingType === 'basic' || votingType === 'single-choice') {
    if (!new RegExp(`^${integer}$`).test(compact)) return `choice ${JSON.stringify(text)} is not one integer`;
    const n = Number(compact);
    return inRange(n) ? n : `choice ${n} is outside 1..${count}`;
  }
  if (votingType === 'approval' || votingType === 'ranked-choice') {
    if (!new RegExp(`^\\[${integer}(?:,${integer})*\\]$`).test(compact)) return `choice ${JSON.stringify(text)} is not a list of integers`;
    const list = JSON.parse(compact) as number[];
    if (!list.every(inRange)) return `choice ${compact} names an index outside 1..${count}`;
    if (new Set(list).size !== list.length) return `choice ${compact} lists an index twice`;
    if (votingType === 'ranked-choice' && list.length !== count) return `ranking ${compact} does not rank all ${count} choices`;
    return votingType === 'approval' ? [...list].sort((a, b) => a - b) : list;
  }
  const entry = `"(?:0|-?[1-9][0-9]*)":${integer}`;
  if (!new RegExp(`^\\{${entry}(?:,${entry})*\\}$`).test(compact)) return `choice ${JSON.stringify(text)} is not an object of index to integer weight`;
  const keys = [...compact.matchAll(/"([^"]*)":/g)].map((m) => m[1]!);
  if (new Set(keys).size !== keys.length) return `choice ${compact} repeats a key`;
  const weights = JSON.parse(compact) as Record<string, number>;
  let sum = 0;
  for (const key of keys) {
    if (!inRange(Number(key))) return `choice ${compact} names an index outside 1..${count}`;
    const w = weights[key]!;
    if (!Number.isSafeInteger(w) || w < 1) return `choice ${compact}: weight of ${key} is not a positive integer`;
    sum += w;
  }
  if (sum > 1_000_000) return `choice ${compact}: weights sum to more than 1,000,000`;
  return weights;
}

/** The canonical form the server publishes: JSON.stringify of the parsed choice (approval sorted, keys ascending). */
export const canonicalChoice = (choice: Choice): string => JSON.stringify(choice);

/** Weighted split of one strategy's power: floors per choice, the remainder to the highest weight (lowest index among equals). */
function splitByWeights(power: bigint, weights: [number, bigint][]): bigint[] {
  const total = weights.reduce((s, [, w]) => s + w, 0n);
  let top = 0;
  for (let i = 1; i < weights.length; i++) if (weights[i]![1] > weights[top]![1]) top = i;
  const shares = weights.map(([, w]) => (power * w) / total);
  const allocated = shares.reduce((s, x, i) => (i === top ? s : s + x), 0n);
  shares[top] = power - allocated;
  return shares;
}

const sortedWeights = (choice: Choice): [number, bigint][] =>
  Object.entries(choice as Record<string, number>)
    .map(([k, w]): [number, bigint] => [Number(k), BigInt(w)])
    .sort((a, b) => a[0] - b[0]);

export function countVotes(votingType: VotingType, choiceCount: number, strategyCount: number, votes: readonly CountedVote[]): Tally {
  const n = votingType === 'basic' ? 3 : choiceCount;
  const table = Array.from({ length: n }, () => new Array<bigint>(strategyCount).fill(0n));
  let totalPower = 0n;
  const powerOf = (v: CountedVote) => v.powerByStrategy.reduce((s, p) => s + p, 0n);
  for (const v of votes) totalPower += powerOf(v);
  const add = (choice: number, s: number, amount: bigint) => {
    table[choice - 1]![s] = table[choice - 1]![s]! + amount;
  };
  const linear = () => table.map((row) => row.reduce((a, b) => a + b, 0n));

  if (votingType === 'basic' || votingType === 'single-choice') {
    for (const v of votes) v.powerByStrategy.forEach((p, s) => add(v.choice as number, s, p));
    return { scores: linear(), scoresByStrategy: table, totalPower, voterCount: votes.length };
  }
  if (votingType === 'approval') {
    for (const v of votes) for (const c of v.choice as number[]) v.powerByStrategy.forEach((p, s) => add(c, s, p));
    return { scores: linear(), scoresByStrategy: table, totalPower, voterCount: votes.length };
  }
  if (votingType === 'weighted' || votingType === 'quadratic') {
    const rootSums = new Array<bigint>(n).fill(0n);
    const SCALE = 10n ** 18n;
    for (const v of votes) {
      const weights = sortedWeights(v.choice);
      v.powerByStrategy.forEach((p, s) => splitByWeights(p, weights).forEach((share, i) => add(weights[i]![0], s, share)));
      if (votingType === 'quadratic') {
        const total = weights.reduce((sum, [, w]) => sum + w, 0n);
        const scaled = powerOf(v) * SCALE;
        for (const [c, w] of weights) rootSums[c - 1] = rootSums[c - 1]! + isqrt((scaled * w) / total);
      }
    }
    if (votingType === 'weighted') return { scores: linear(), scoresByStrategy: table, totalPower, voterCount: votes.length };
    const q = rootSums.map((r) => r * r);
    const qSum = q.reduce((a, b) => a + b, 0n);
    const scores = q.map((x) => (qSum === 0n ? 0n : (x * totalPower) / qSum));
    return { scores, scoresByStrategy: table, totalPower, voterCount: votes.length };
  }
  // ranked-choice: instant runoff; stop at a majority, at two choices left, or at a zero total;
  // among equally lowest choices the highest index is eliminated.
  const out = new Set<number>();
  const counted = new Array<number>(votes.length).fill(0);
  const rounds: bigint[][] = [];
  let scores: bigint[] = [];
  for (;;) {
    scores = new Array<bigint>(n).fill(0n);
    votes.forEach((v, b) => {
      const next = (v.choice as number[]).find((c) => !out.has(c));
      counted[b] = next ?? 0;
      if (next !== undefined) scores[next - 1] = scores[next - 1]! + powerOf(v);
    });
    rounds.push(scores);
    const total = scores.reduce((a, b) => a + b, 0n);
    const leader = scores.reduce((a, b) => (b > a ? b : a), 0n);
    if (leader * 2n > total || n - out.size <= 2 || total === 0n) break;
    let loser = -1;
    for (let c = 1; c <= n; c++) if (!out.has(c) && (loser === -1 || scores[c - 1]! <= scores[loser - 1]!)) loser = c;
    out.add(loser);
  }
  const byStrategy = Array.from({ length: n }, () => new Array<bigint>(strategyCount).fill(0n));
  votes.forEach((v, b) => {
    if (counted[b]) v.powerByStrategy.forEach((p, s) => (byStrategy[counted[b]! - 1]![s] = byStrategy[counted[b]! - 1]![s]! + p));
  });
  return { scores, scoresByStrategy: byStrategy, totalPower, voterCount: votes.length, rounds };
}

/** server/tally/README.md "Pass rules". */
export function decide(votingType: VotingType, tally: Tally, quorum: bigint, passThresholdBps: number): Outcome {
  const bps = BigInt(passThresholdBps);
  const quorumReached = tally.totalPower >= quorum;
  if (tally.voterCount === 0) return { quorumReached, passed: false, winningChoice: null, outcome: 'defeated:no-votes' };
  if (votingType === 'basic') {
    const [forPower = 0n, against = 0n] = tally.scores;
    const decisive = forPower + against;
    const passed = quorumReached && decisive > 0n && forPower * 10_000n > bps * decisive;
    const winningChoice = passed ? 1 : decisive === 0n ? null : against >= forPower ? 2 : 1;
    return { quorumReached, passed, winningChoice, outcome: passed ? 'passed' : quorumReached ? 'defeated:threshold' : 'defeated:no-quorum' };
  }
  const top = tally.scores.reduce((a, b) => (b > a ? b : a), -1n);
  const leaders = tally.scores.flatMap((s, i) => (s === top ? [i + 1] : []));
  const winningChoice = leaders.length === 1 ? leaders[0]! : null;
  if (!quorumReached) return { quorumReached, passed: false, winningChoice, outcome: 'defeated:no-quorum' };
  if (winningChoice === null) return { quorumReached, passed: false, winningChoice, outcome: 'defeated:tie' };
  const denominator = votingType === 'approval' ? tally.totalPower : tally.scores.reduce((a, b) => a + b, 0n);
  const passed = top * 10_000n > bps * denominator;
  return { quorumReached, passed, winningChoice, outcome: passed ? 'passed' : 'defeated:threshold' };
}
