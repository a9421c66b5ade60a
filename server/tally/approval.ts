/**
 * Approval voting: a vote's full power goes to every choice it approves. Scores therefore add up
 * to more than the total power when voters approve several choices.
 */
import { asChoiceList } from './choice.js';
import type { VoteCounter } from './score-table.js';

export const countApprovalVote: VoteCounter = (table, vote, direction) => {
  const approved = asChoiceList(vote.choice);
  for (const choice of approved) table.checkChoice(choice);
  for (const choice of approved) table.creditAll(choice, vote.powerByStrategy, direction);
};
