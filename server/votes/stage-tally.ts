/**
 * Tallies a stage from the database: the current vote of every voter, with the voting power cached
 * when the vote was accepted. The live tally and the final tally both come from here, so they
 * cannot disagree.
 */
import type { Queryable } from '../db/transaction.js';
import { computeTally } from '../tally/tally.js';
import type { Choice, Tally, TallyVote } from '../tally/types.js';
import { stageVoting, type ProposalRules } from '../proposals/rules.js';

export interface TallySubject {
  id: string;
  votingType: string;
  choices: string[];
  rules: ProposalRules;
}

export async function tallyStage(db: Queryable, proposal: TallySubject, stage: number): Promise<Tally> {
  const { votingType, choices } = stageVoting(proposal, stage);
  const { rows } = await db.query<{ voter: string; choice: Choice; power: string; by_strategy: string[] }>(
    `SELECT v.voter, v.choice, v.power::text AS power, p.by_strategy
       FROM votes v JOIN voting_powers p ON p.proposal_id = v.proposal_id AND p.address = v.voter
      WHERE v.proposal_id = $1 AND v.stage = $2`,
    [proposal.id, stage],
  );
  const votes: TallyVote[] = rows.map((row) => ({
    voter: row.voter,
    choice: row.choice,
    power: BigInt(row.power),
    powerByStrategy: row.by_strategy.map(BigInt),
  }));
  return computeTally(votingType, choices, votes, proposal.rules.settings.strategies.length);
}

/** JSON form of a tally: every bigint as a decimal string. */
export function tallyToJson(tally: Tally) {
  return {
    votingType: tally.votingType,
    choices: tally.choices,
    scores: tally.scores.map(String),
    scoresByStrategy: tally.scoresByStrategy.map((row) => row.map(String)),
    totalPower: tally.totalPower.toString(),
    voterCount: tally.voterCount,
    ...(tally.rounds ? { rounds: tally.rounds.map((round) => round.map(String)) } : {}),
  };
}

export type TallyJson = ReturnType<typeof tallyToJson>;
