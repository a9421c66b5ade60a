/**
 * Quadratic voting (Snapshot's rule): each choice's strength is the square of the sum, over
 * voters, of the square root of the power the voter gives it; the strengths are then rescaled so
 * the scores add up to the total power.
 *
 *   root_v,c = isqrt(power_v × w_v,c × QUADRATIC_SCALE / W_v)    (W_v = voter v's weight sum)
 *   q_c      = (Σ_v root_v,c)²
 *   score_c  = floor(q_c × totalPower / Σ_c q_c)                 (all 0 when Σ q_c = 0)
 *
 * Exactness: all integer arithmetic. The radicand is multiplied by QUADRATIC_SCALE = 10^18 before
 * the integer square root, so each root keeps 9 more decimal digits than isqrt(power × w / W)
 * would (this matters for small powers: isqrt(2) = isqrt(3) = 1, but isqrt(2e18) and isqrt(3e18)
 * differ). The scale multiplies every q_c by the same 10^18 and cancels in the rescale. The
 * rescale floors each score, so Σ scores falls short of totalPower by less than one unit per
 * choice; that remainder is dropped.
 *
 * Because Σ_v root_v,c is a plain sum, votes can be added and removed incrementally; only the
 * square and the rescale wait until the tally is read.
 *
 * By strategy: quadratic scores are not a sum of per-voter parts, so scoresByStrategy for this
 * type is the linear (weighted-voting) allocation of each strategy's power by the vote's
 * weights. Each row adds up to what the choice would score under weighted voting, not to its
 * quadratic score.
 */
import { isqrt } from '../../core/math/isqrt.js';
import { asChoiceWeights } from './choice.js';
import type { Direction, StrategyScoreTable } from './score-table.js';
import { creditWeightedSplit } from './weighted.js';
import type { TallyVote } from '../../core/tally/types.js';

export const QUADRATIC_SCALE = 10n ** 18n;

/** rootSums[c] = Σ over counted votes of root_v,c+1. */
export function countQuadraticVote(rootSums: bigint[], byStrategy: StrategyScoreTable, vote: TallyVote, direction: Direction): void {
  const weights = asChoiceWeights(vote.choice);
  // Validates the ballot (and fills the by-strategy table) before any root sum changes.
  creditWeightedSplit(byStrategy, weights, vote.powerByStrategy, direction);
  let weightSum = 0;
  for (const key in weights) weightSum += weights[key]!;
  const scaledPower = vote.power * QUADRATIC_SCALE;
  const totalWeight = BigInt(weightSum);
  for (const key in weights) {
    const index = Number(key) - 1;
    const root = isqrt((scaledPower * BigInt(weights[key]!)) / totalWeight);
    rootSums[index] = direction === 1 ? rootSums[index]! + root : rootSums[index]! - root;
  }
}

/** Squares the root sums and rescales them to add up to `totalPower` (flooring each score). */
export function quadraticScores(rootSums: readonly bigint[], totalPower: bigint): bigint[] {
  const strengths = rootSums.map((sum) => sum * sum);
  const strengthSum = strengths.reduce((sum, q) => sum + q, 0n);
  if (strengthSum === 0n) return strengths.map(() => 0n);
  return strengths.map((q) => (q * totalPower) / strengthSum);
}
