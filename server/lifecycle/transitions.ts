import type { Queryable } from '../db/transaction.js';

export interface TransitionRecord {
  proposalId: string;
  from: string;
  to: string;
  at: Date;
  /** schedule (a timer fired), sweep (caught up after downtime), message (a signed message), chain (what the chain did: chain-outcome.ts). */
  cause: 'schedule' | 'sweep' | 'message' | 'chain';
  messageId?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Moves a proposal to a new state and records the transition; returns false if the state had moved on. */
export async function applyTransition(db: Queryable, t: TransitionRecord, extraSet = '', extraValues: unknown[] = []): Promise<boolean> {
  const updated = await db.query(
    `UPDATE proposals SET state = $2, updated_at = $3 ${extraSet} WHERE id = $1 AND state = $4`,
    [t.proposalId, t.to, t.at, t.from, ...extraValues],
  );
  if (updated.rowCount === 0) return false;
  await db.query(
    'INSERT INTO proposal_transitions (proposal_id, from_state, to_state, at, cause, message_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [t.proposalId, t.from, t.to, t.at, t.cause, t.messageId ?? null, t.detail ? JSON.stringify(t.detail) : null],
  );
  return true;
}
