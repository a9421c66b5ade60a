/** Voting types and the shape of a tally. All power and scores are bigint: never floats. */

export const VOTING_TYPES = ['basic', 'single-choice', 'approval', 'weighted', 'ranked-choice', 'quadratic'] as const;
export type VotingType = (typeof VOTING_TYPES)[number];

/** The fixed choices of the basic type, in order: choice 1 = For, 2 = Against, 3 = Abstain. */
export const BASIC_CHOICES = ['For', 'Against', 'Abstain'] as const;

/**
 * A parsed choice (1-based choice indexes, as in Snapshot):
 * - basic, single-choice: a number
 * - approval: number[] (distinct, non-empty)
 * - ranked-choice: number[] (a full ranking: a permutation of 1..n)
 * - weighted, quadratic: Record<string, number> mapping choice index to a positive integer weight
 */
export type Choice = number | number[] | Record<string, number>;

export interface TallyVote {
  voter: string;
  choice: Choice;
  /** Total voting power (weighted sum over strategies). */
  power: bigint;
  /** Power per strategy, after weights; sums to `power`. */
  powerByStrategy: bigint[];
}

export interface Tally {
  votingType: VotingType;
  choices: string[];
  /** scores[i] is the score of choice i+1. */
  scores: bigint[];
  /** scoresByStrategy[i][s] is the part of choice i+1's score that came from strategy s. */
  scoresByStrategy: bigint[][];
  /** Sum of the voting power of all counted votes. */
  totalPower: bigint;
  voterCount: number;
  /** Ranked-choice only: the score table of each instant-runoff round. */
  rounds?: bigint[][];
}

export interface StageRules {
  /** Minimum total voting power for the result to count. */
  quorum: bigint;
  /** Pass threshold in basis points: the winning side needs more than this share of decisive power. */
  passThresholdBps: number;
}

export interface StageOutcome {
  quorumReached: boolean;
  passed: boolean;
  /** 1-based index of the leading choice, or null if there is no vote or a tie for first place. */
  winningChoice: number | null;
  /** "passed", "defeated:no-quorum", "defeated:threshold", "defeated:tie", "defeated:no-votes" */
  outcome: string;
}
