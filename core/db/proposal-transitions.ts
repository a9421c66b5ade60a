/**
 * Reads of the proposal_transitions table (the lifecycle history). Transitions are written by the
 * proposal state machine (server/core/lifecycle/state-machine.ts, applyTransition) and, for the first one,
 * here by proposal creation; each in the transaction that changes the state.
 */
import type { Queryable } from './transaction.js';

export interface TransitionRow {
  fromState: string | null;
  toState: string;
  at: Date;
  cause: string;
  messageId: string | null;
  detail: unknown;
}

/** Every transition of a proposal, oldest first. */
export async function listTransitions(db: Queryable, proposalId: string): Promise<TransitionRow[]> {
  const { rows } = await db.query<TransitionRow>(
    `SELECT from_state AS "fromState", to_state AS "toState", at, cause, message_id AS "messageId", detail
       FROM proposal_transitions WHERE proposal_id = $1 ORDER BY id`,
    [proposalId],
  );
  return rows;
}

/** A new proposal's first transition (from nothing to its first state), in its creation transaction. */
export async function insertCreatedTransition(db: Queryable, proposalId: string, state: string, at: Date): Promise<void> {
  await db.query(`INSERT INTO proposal_transitions (proposal_id, from_state, to_state, at, cause, message_id) VALUES ($1, NULL, $2, $3, 'created', $1)`, [
    proposalId,
    state,
    at,
  ]);
}
