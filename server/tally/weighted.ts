/**
 * Weighted voting: a vote's power is split across its choices in proportion to its weights.
 *
 * Rounding: the split is done strategy by strategy. Strategy s's power p is split as
 * floor(p × w_c / W) for each choice c (W = the ballot's weight sum), and the remainder of the
 * floors (less than one unit per weighted choice) goes to the choice with the highest weight, the
 * lowest index among equal weights. So every vote allocates exactly its power, the scores add up
 * to the total power, and each score is the sum of its by-strategy parts.
 */
import { asChoiceWeights } from './choice.js';
import type { Direction, StrategyScoreTable, VoteCounter } from './score-table.js';

export const countWeightedVote: VoteCounter = (table, vote, direction) => {
  creditWeightedSplit(table, asChoiceWeights(vote.choice), vote.powerByStrategy, direction);
};

// Scratch space reused by every call (the tally is synchronous, so calls never overlap): reading
// the ballot object once into flat arrays avoids re-enumerating its keys and re-converting its
// weights for every strategy, which dominated the cost of million-vote recounts.
const ballotChoices: number[] = [];
const ballotWeights: bigint[] = [];

/** Splits each strategy's power by `weights` (the rule above). Also used by quadratic's by-strategy table. */
export function creditWeightedSplit(
  table: StrategyScoreTable,
  weights: Record<string, number>,
  powerByStrategy: readonly bigint[],
  direction: Direction,
): void {
  // First pass: validate every entry and find the weight sum and the remainder's receiver, so an
  // invalid ballot changes nothing. Integer-like keys enumerate in ascending order, so the first
  // strictly-greater weight is the lowest index among the highest weights.
  let entryCount = 0;
  let weightSum = 0;
  let topEntry = -1;
  let topWeight = 0;
  for (const key in weights) {
    const choice = Number(key);
    const weight = weights[key]!;
    table.checkChoice(choice);
    if (!Number.isSafeInteger(weight) || weight < 1) {
      throw new RangeError(`weight ${weight} of choice ${key} is not a positive integer`);
    }
    if (weight > topWeight) {
      topWeight = weight;
      topEntry = entryCount;
    }
    ballotChoices[entryCount] = choice;
    ballotWeights[entryCount] = BigInt(weight);
    weightSum += weight;
    entryCount++;
  }
  if (entryCount === 0) throw new RangeError('a weighted ballot needs at least one weight');
  const totalWeight = BigInt(weightSum);

  for (let s = 0; s < table.strategyCount; s++) {
    const power = powerByStrategy[s]!;
    let allocated = 0n;
    for (let e = 0; e < entryCount; e++) {
      if (e === topEntry) continue;
      const share = (power * ballotWeights[e]!) / totalWeight;
      table.credit(ballotChoices[e]!, s, share, direction);
      allocated += share;
    }
    // floor(power × topWeight / W) plus the remainder of every floor above.
    table.credit(ballotChoices[topEntry]!, s, power - allocated, direction);
  }
}
