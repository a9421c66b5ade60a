/**
 * Ranked-choice voting by instant runoff.
 *
 * Each round counts every ballot's full power for its highest-ranked choice that is still in the
 * race. The round ends the count when
 *   - one choice has more than half of the round's total (it wins), or
 *   - at most two choices remain (the last two are never reduced to one, so a tie between them
 *     stays visible to the outcome rules), or
 *   - the round's total is 0 (nothing to transfer).
 * Otherwise the choice with the lowest score is eliminated and its ballots move to their next
 * remaining choice. Tie-break: among equally lowest choices the one with the HIGHEST index is
 * eliminated (the choice listed last goes first): simple, and predictable from the choice list.
 *
 * Result: scores = the final round; rounds = every round's scores (eliminated choices at 0);
 * scoresByStrategy = each ballot's per-strategy power, given to the choice it counts for in the
 * final round. Ballots are full rankings (parseChoice requires it); a shorter one would simply
 * stop counting once all its choices are eliminated.
 */
import { asChoiceList } from './choice.js';
import type { Choice, TallyVote } from '../../core/tally/types.js';

export interface InstantRunoffResult {
  scores: bigint[];
  scoresByStrategy: bigint[][];
  rounds: bigint[][];
}

export function runInstantRunoff(ballots: readonly TallyVote[], choiceCount: number, strategyCount: number): InstantRunoffResult {
  const rankings = ballots.map((ballot) => asChoiceList(ballot.choice));
  // Where each ballot stands in its ranking; only ballots of an eliminated choice ever move, so
  // the whole count costs about one pass per ballot plus its transfers.
  const position = new Int32Array(ballots.length);
  const eliminated = new Array<boolean>(choiceCount).fill(false);
  const ballotsOf: number[][] = Array.from({ length: choiceCount }, () => []);
  const scores = new Array<bigint>(choiceCount).fill(0n);

  /** Moves ballot b to its highest-ranked remaining choice at or after its current position. */
  const place = (b: number): void => {
    const ranking = rankings[b]!;
    for (let p = position[b]!; p < ranking.length; p++) {
      const choice = ranking[p]!;
      if (!Number.isInteger(choice) || choice < 1 || choice > choiceCount) {
        throw new RangeError(`ranked choice ${choice} is not one of 1..${choiceCount}`);
      }
      if (eliminated[choice - 1]) continue;
      position[b] = p;
      ballotsOf[choice - 1]!.push(b);
      scores[choice - 1] = scores[choice - 1]! + ballots[b]!.power;
      return;
    }
    position[b] = ranking.length; // exhausted: counts for nobody from now on
  };

  for (let b = 0; b < ballots.length; b++) place(b);

  const rounds: bigint[][] = [];
  let remaining = choiceCount;
  for (;;) {
    rounds.push([...scores]);
    const roundTotal = scores.reduce((sum, score) => sum + score, 0n);
    const leaderScore = scores.reduce((max, score) => (score > max ? score : max), 0n);
    if (leaderScore * 2n > roundTotal || remaining <= 2 || roundTotal === 0n) break;

    const loser = lowestRemainingChoice(scores, eliminated);
    eliminated[loser] = true;
    remaining--;
    scores[loser] = 0n;
    const transferred = ballotsOf[loser]!;
    ballotsOf[loser] = [];
    for (const b of transferred) place(b);
  }

  const scoresByStrategy = ballotsOf.map((counted) => {
    const row = new Array<bigint>(strategyCount).fill(0n);
    for (const b of counted) {
      const powerByStrategy = ballots[b]!.powerByStrategy;
      for (let s = 0; s < strategyCount; s++) row[s] = row[s]! + powerByStrategy[s]!;
    }
    return row;
  });

  return { scores, scoresByStrategy, rounds };
}

// Reused by checkRanking instead of a Set per ballot: seenInRanking[c] === rankingStamp marks
// choice c as already seen in the ranking being checked (the tally is synchronous, so one
// check never interleaves with another).
let seenInRanking = new Int32Array(0);
let rankingStamp = 0;

/** Throws unless `choice` is a list of distinct choice indexes of 1..choiceCount. */
export function checkRanking(choice: Choice, choiceCount: number): void {
  const ranking = asChoiceList(choice);
  if (seenInRanking.length <= choiceCount) seenInRanking = new Int32Array(choiceCount + 1);
  rankingStamp = rankingStamp === 0x7fffffff ? 1 : rankingStamp + 1;
  if (rankingStamp === 1) seenInRanking.fill(0);
  for (const index of ranking) {
    if (!Number.isInteger(index) || index < 1 || index > choiceCount || seenInRanking[index] === rankingStamp) {
      throw new RangeError(`ranking ${JSON.stringify(ranking)} is not a ranking of choices 1..${choiceCount}`);
    }
    seenInRanking[index] = rankingStamp;
  }
}

/** 0-based index of the lowest-scoring remaining choice; among equals, the highest index. */
function lowestRemainingChoice(scores: readonly bigint[], eliminated: readonly boolean[]): number {
  let loser = -1;
  for (let c = 0; c < scores.length; c++) {
    if (eliminated[c]) continue;
    if (loser === -1 || scores[c]! <= scores[loser]!) loser = c;
  }
  return loser;
}
