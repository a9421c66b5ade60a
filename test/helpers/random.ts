import type { Choice, VotingType } from '../../core/tally/types.js';

/** mulberry32: a seeded PRNG, so a failing random case can be reproduced. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A valid random choice of `votingType` among `choiceCount` choices: approval indexes and weighted
 * keys ascending (as stored), weights 1..maxWeight.
 */
export function randomChoice(random: () => number, votingType: VotingType, choiceCount: number, maxWeight = 1000): Choice {
  const int = (below: number) => Math.floor(random() * below);
  const shuffled = () => {
    const list = Array.from({ length: choiceCount }, (_, i) => i + 1);
    for (let i = list.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  };
  switch (votingType) {
    case 'basic':
    case 'single-choice':
      return 1 + int(choiceCount);
    case 'approval':
      return shuffled()
        .slice(0, 1 + int(choiceCount))
        .sort((a, b) => a - b);
    case 'ranked-choice':
      return shuffled();
    case 'weighted':
    case 'quadratic': {
      const weights: Record<string, number> = {};
      for (const index of shuffled()
        .slice(0, 1 + int(choiceCount))
        .sort((a, b) => a - b))
        weights[index] = 1 + int(maxWeight);
      return weights;
    }
  }
}
