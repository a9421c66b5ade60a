/**
 * Full recount of a proposal: feeds every vote to a fresh accumulator, so a recount and the live
 * incremental tally always use the same arithmetic.
 */
import { createAccumulator } from './accumulator.js';
import type { Tally, TallyVote, VotingType } from '../../core/tally/types.js';

export { createAccumulator, type TallyAccumulator } from './accumulator.js';

/**
 * totalPower = Σ power of the votes; voterCount = the number of votes (one per voter: the caller
 * passes each voter's latest vote only). See README.md for each type's rule and rounding.
 */
export function computeTally(votingType: VotingType, choices: readonly string[], votes: Iterable<TallyVote>, strategyCount: number): Tally {
  const accumulator = createAccumulator(votingType, choices, strategyCount);
  for (const vote of votes) accumulator.add(vote);
  return accumulator.snapshot();
}
