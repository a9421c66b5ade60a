/**
 * A running tally that votes can be added to and removed from (a re-vote is remove + add), so a
 * live proposal is updated per vote with the same arithmetic a full recount uses (computeTally
 * is just an accumulator fed every vote).
 *
 * - basic, single-choice, approval, weighted: a choice × strategy table updated in place.
 * - quadratic: the per-choice sums of square roots and the linear by-strategy table, both
 *   updated in place; squaring and rescaling happen in snapshot().
 * - ranked-choice: needs every ballot, so it keeps them (one per voter) and runs the instant
 *   runoff in snapshot().
 *
 * Contract: remove(vote) must be given the vote exactly as it was added. The table-based
 * accumulators keep no per-voter state (that would cost memory on million-vote proposals), so
 * they cannot detect a vote removed twice or a voter added twice; the vote store guarantees one
 * vote per (voter, proposal). The ranked-choice accumulator does check both, since it keys its
 * ballots by voter. A vote whose choice does not fit the proposal, or whose powerByStrategy does
 * not sum to its power, is rejected with an exception before anything changes.
 */
import { countApprovalVote } from './approval.js';
import { countBasicVote } from './basic.js';
import { countQuadraticVote, quadraticScores } from './quadratic.js';
import { checkRanking, runInstantRunoff } from './ranked-choice.js';
import { StrategyScoreTable, type Direction, type VoteCounter } from './score-table.js';
import { countSingleChoiceVote } from './single-choice.js';
import { BASIC_CHOICES, type Tally, type TallyVote, type VotingType } from '../../core/tally/types.js';
import { countWeightedVote } from './weighted.js';

export interface TallyAccumulator {
  readonly votingType: VotingType;
  /** Counts one vote. */
  add(vote: TallyVote): void;
  /** Uncounts a vote previously added. */
  remove(vote: TallyVote): void;
  /** A re-vote: the voter's previous vote is uncounted and the new one counted. */
  replace(previous: TallyVote, next: TallyVote): void;
  /** The tally as of now; it does not change when votes are added or removed later. */
  snapshot(): Tally;
  /** The power counted so far (the tally's totalPower), without taking a snapshot. */
  countedPower(): bigint;
}

const LINEAR_COUNTERS: Partial<Record<VotingType, VoteCounter>> = {
  basic: countBasicVote,
  'single-choice': countSingleChoiceVote,
  approval: countApprovalVote,
  weighted: countWeightedVote,
};

export function createAccumulator(votingType: VotingType, choices: readonly string[], strategyCount: number): TallyAccumulator {
  if (choices.length < 1) throw new RangeError('a proposal needs at least one choice');
  if (votingType === 'basic' && choices.length !== BASIC_CHOICES.length) {
    throw new RangeError(`a basic proposal has exactly the choices ${BASIC_CHOICES.join(', ')}`);
  }
  if (!Number.isInteger(strategyCount) || strategyCount < 1) {
    throw new RangeError(`strategyCount must be a positive integer; got ${strategyCount}`);
  }
  const linearCounter = LINEAR_COUNTERS[votingType];
  if (linearCounter) return new LinearAccumulator(votingType, choices, strategyCount, linearCounter);
  if (votingType === 'quadratic') return new QuadraticAccumulator(choices, strategyCount);
  if (votingType === 'ranked-choice') return new RankedChoiceAccumulator(choices, strategyCount);
  throw new RangeError(`unknown voting type "${String(votingType)}"`);
}

/** Bookkeeping shared by every type: vote checks, total power and voter count. */
abstract class BaseAccumulator implements TallyAccumulator {
  protected totalPower = 0n;
  protected voterCount = 0;
  protected readonly choices: string[];

  constructor(
    readonly votingType: VotingType,
    choices: readonly string[],
    protected readonly strategyCount: number,
  ) {
    this.choices = [...choices];
  }

  add(vote: TallyVote): void {
    this.checkPower(vote);
    this.count(vote, 1);
    this.totalPower += vote.power;
    this.voterCount++;
  }

  remove(vote: TallyVote): void {
    this.checkPower(vote);
    if (this.voterCount === 0) throw new RangeError('cannot remove a vote from an empty tally');
    this.count(vote, -1);
    this.totalPower -= vote.power;
    this.voterCount--;
  }

  replace(previous: TallyVote, next: TallyVote): void {
    this.remove(previous);
    try {
      this.add(next);
    } catch (error) {
      // A re-vote that cannot be counted leaves the previous vote counted (add undoes remove exactly).
      this.add(previous);
      throw error;
    }
  }

  abstract snapshot(): Tally;

  countedPower(): bigint {
    return this.totalPower;
  }

  /** Applies the type's rule; must throw before changing anything if the vote does not fit. */
  protected abstract count(vote: TallyVote, direction: Direction): void;

  protected tally(scores: bigint[], scoresByStrategy: bigint[][]): Tally {
    return {
      votingType: this.votingType,
      choices: [...this.choices],
      scores,
      scoresByStrategy,
      totalPower: this.totalPower,
      voterCount: this.voterCount,
    };
  }

  /** The by-strategy figures are only consistent if each vote's parts add up to its power. */
  private checkPower(vote: TallyVote): void {
    const parts = vote.powerByStrategy;
    if (parts.length !== this.strategyCount) {
      throw new RangeError(`vote of ${vote.voter} has ${parts.length} strategy powers; expected ${this.strategyCount}`);
    }
    let sum = 0n;
    for (let s = 0; s < parts.length; s++) {
      const part = parts[s]!;
      if (part < 0n) throw new RangeError(`vote of ${vote.voter} has negative power`);
      sum += part;
    }
    if (sum !== vote.power) throw new RangeError(`vote of ${vote.voter}: powerByStrategy does not sum to power`);
  }
}

class LinearAccumulator extends BaseAccumulator {
  private readonly table: StrategyScoreTable;

  constructor(
    votingType: VotingType,
    choices: readonly string[],
    strategyCount: number,
    private readonly counter: VoteCounter,
  ) {
    super(votingType, choices, strategyCount);
    this.table = new StrategyScoreTable(choices.length, strategyCount);
  }

  protected count(vote: TallyVote, direction: Direction): void {
    this.counter(this.table, vote, direction);
  }

  snapshot(): Tally {
    return this.tally(this.table.scores(), this.table.scoresByStrategy());
  }
}

class QuadraticAccumulator extends BaseAccumulator {
  private readonly rootSums: bigint[];
  private readonly byStrategy: StrategyScoreTable;

  constructor(choices: readonly string[], strategyCount: number) {
    super('quadratic', choices, strategyCount);
    this.rootSums = new Array<bigint>(choices.length).fill(0n);
    this.byStrategy = new StrategyScoreTable(choices.length, strategyCount);
  }

  protected count(vote: TallyVote, direction: Direction): void {
    countQuadraticVote(this.rootSums, this.byStrategy, vote, direction);
  }

  snapshot(): Tally {
    return this.tally(quadraticScores(this.rootSums, this.totalPower), this.byStrategy.scoresByStrategy());
  }
}

class RankedChoiceAccumulator extends BaseAccumulator {
  private readonly ballots = new Map<string, TallyVote>();

  constructor(choices: readonly string[], strategyCount: number) {
    super('ranked-choice', choices, strategyCount);
  }

  protected count(vote: TallyVote, direction: Direction): void {
    if (direction === 1) {
      if (this.ballots.has(vote.voter)) throw new RangeError(`${vote.voter} already has a counted vote; replace it`);
      checkRanking(vote.choice, this.choices.length);
      this.ballots.set(vote.voter, vote);
    } else {
      const counted = this.ballots.get(vote.voter);
      if (counted === undefined) throw new RangeError(`${vote.voter} has no counted vote to remove`);
      if (counted.power !== vote.power) throw new RangeError(`${vote.voter}: the vote to remove differs from the counted one`);
      this.ballots.delete(vote.voter);
    }
  }

  snapshot(): Tally {
    const result = runInstantRunoff([...this.ballots.values()], this.choices.length, this.strategyCount);
    return { ...this.tally(result.scores, result.scoresByStrategy), rounds: result.rounds };
  }
}
