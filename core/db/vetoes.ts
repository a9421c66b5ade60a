/**
 * The vetoes table: the council's signed vetoes of a queued proposal, one per member (written by the
 * Veto handler, server/vetoes/veto-handler.ts, in the message's transaction; read by the proposal API).
 */
import type { Queryable } from './transaction.js';

export interface VetoRow {
  proposalId: string;
  member: string;
  messageId: string;
  reason: string;
  receivedAt: Date;
}

/** Stores one veto; false when this member already vetoed the proposal (the primary key). */
export async function insertVeto(db: Queryable, veto: VetoRow): Promise<boolean> {
  // ON CONFLICT rather than catching the violation: the handler's transaction must stay usable.
  const { rowCount } = await db.query(
    'INSERT INTO vetoes (proposal_id, member, message_id, reason, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (proposal_id, member) DO NOTHING',
    [veto.proposalId, veto.member, veto.messageId, veto.reason, veto.receivedAt],
  );
  return rowCount === 1;
}

/** A proposal's vetoes in arrival order. */
export async function listVetoes(db: Queryable, proposalId: string): Promise<VetoRow[]> {
  const { rows } = await db.query<VetoRow>(
    `SELECT proposal_id AS "proposalId", member, message_id AS "messageId", reason, received_at AS "receivedAt"
       FROM vetoes WHERE proposal_id = $1 ORDER BY received_at, member`,
    [proposalId],
  );
  return rows;
}

/** How many of these members vetoed the proposal (members removed from the council do not count). */
export async function countVetoes(db: Queryable, proposalId: string, members: readonly string[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM vetoes WHERE proposal_id = $1 AND member = ANY($2)', [
    proposalId,
    [...members],
  ]);
  return rows[0]!.n;
}
