/** Single-choice voting: a vote's whole power goes to the one choice it names. */
import { asChoiceIndex } from './choice.js';
import type { VoteCounter } from './score-table.js';

export const countSingleChoiceVote: VoteCounter = (table, vote, direction) => {
  const choice = asChoiceIndex(vote.choice);
  table.checkChoice(choice);
  table.creditAll(choice, vote.powerByStrategy, direction);
};
