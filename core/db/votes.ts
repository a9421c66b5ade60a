/**
 * Reads of the votes table for the API. The votes table's writes and its hot-path reads are SQL
 * tuned for the vote path and stay beside the code that batches them: the group-commit write
 * (server/votes/vote-writer.ts, which also writes voting_powers and signed_messages through
 * core/db/signed-messages.ts) and the streamed tally (server/votes/stage-tally.ts).
 */
import type { Queryable } from './transaction.js';

export interface VoteRecord {
  voter: string;
  stage: number;
  choice: unknown;
  reason: string;
  /** Decimal string. */
  power: string;
  timestamp: bigint;
  messageId: string;
  receivedAt: Date;
}

/** A proposal's current votes (one per voter and stage) by (stage, voter), after the keyset `after`. */
export async function listVotes(
  db: Queryable,
  proposalId: string,
  page: { stage?: number | undefined; after: { stage: number; voter: string } | null; limit: number },
): Promise<VoteRecord[]> {
  const where = ['proposal_id = $1'];
  const params: unknown[] = [proposalId];
  if (page.stage) where.push(`stage = $${params.push(page.stage)}`);
  if (page.after) where.push(`(stage, voter) > ($${params.push(page.after.stage)}, $${params.push(page.after.voter)})`);
  const { rows } = await db.query<Omit<VoteRecord, 'timestamp'> & { timestamp: string }>(
    `SELECT voter, stage, choice, reason, power::text AS power, timestamp::text AS timestamp, message_id AS "messageId", received_at AS "receivedAt"
       FROM votes WHERE ${where.join(' AND ')} ORDER BY stage, voter LIMIT $${params.push(page.limit)}`,
    params,
  );
  return rows.map((row) => ({ ...row, timestamp: BigInt(row.timestamp) }));
}

/** Whether the voter has a committed vote in the stage (the reminder worker's "not voted yet" rule). */
export async function hasVoted(db: Queryable, proposalId: string, stage: number, voter: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM votes WHERE proposal_id = $1 AND stage = $2 AND voter = $3', [proposalId, stage, voter.toLowerCase()]);
  return rows.length > 0;
}

/** Every voter of a stage with the power their vote counted (decimal strings): the power-spike check. */
export async function stageVoterPowers(db: Queryable, proposalId: string, stage: number): Promise<{ voter: string; power: string }[]> {
  const { rows } = await db.query<{ voter: string; power: string }>(
    'SELECT voter, power::text AS power FROM votes WHERE proposal_id = $1 AND stage = $2 ORDER BY voter',
    [proposalId, stage],
  );
  return rows;
}
