/**
 * The mutable choice × strategy table that the linear counting rules (basic, single-choice,
 * approval, weighted) and the by-strategy part of quadratic write into.
 *
 * Only the per-strategy cells are stored; a choice's score is their sum, computed when a tally is
 * read. So a score always equals the sum of its by-strategy parts, whatever the rounding rules.
 */
import type { TallyVote } from '../../core/tally/types.js';

/** +1 counts a vote, -1 uncounts it (re-vote or removal): the same arithmetic in both directions. */
export type Direction = 1 | -1;

/** Adds (or with direction -1 removes) one vote's power to a table, following one type's rule. */
export type VoteCounter = (table: StrategyScoreTable, vote: TallyVote, direction: Direction) => void;

export class StrategyScoreTable {
  /** cells[c][s]: power that choice c+1 received from strategy s. */
  private readonly cells: bigint[][];

  constructor(
    readonly choiceCount: number,
    readonly strategyCount: number,
  ) {
    this.cells = Array.from({ length: choiceCount }, () => new Array<bigint>(strategyCount).fill(0n));
  }

  /**
   * Throws unless `choice` is a 1-based index of this table. Rules call it for every index of a
   * ballot before changing any cell, so a bad ballot leaves the table untouched.
   */
  checkChoice(choice: number): void {
    if (!Number.isInteger(choice) || choice < 1 || choice > this.choiceCount) {
      throw new RangeError(`choice ${choice} is not one of 1..${this.choiceCount}`);
    }
  }

  /** Moves `amount` of strategy `strategy`'s power to or from choice `choice` (1-based, checked). */
  credit(choice: number, strategy: number, amount: bigint, direction: Direction): void {
    const row = this.cells[choice - 1]!;
    const cell = row[strategy]!;
    row[strategy] = direction === 1 ? cell + amount : cell - amount;
  }

  /** Moves a whole vote's per-strategy power to or from choice `choice` (1-based, checked). */
  creditAll(choice: number, powerByStrategy: readonly bigint[], direction: Direction): void {
    const row = this.cells[choice - 1]!;
    for (let s = 0; s < this.strategyCount; s++) {
      const cell = row[s]!;
      const amount = powerByStrategy[s]!;
      row[s] = direction === 1 ? cell + amount : cell - amount;
    }
  }

  /** scores[c] = the sum of choice c+1's cells. */
  scores(): bigint[] {
    return this.cells.map((row) => row.reduce((sum, cell) => sum + cell, 0n));
  }

  /** A copy of the cells, so later updates do not change a tally already handed out. */
  scoresByStrategy(): bigint[][] {
    return this.cells.map((row) => [...row]);
  }
}
