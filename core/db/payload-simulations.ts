/**
 * The payload_simulations table: a proposal's batch simulated from its executor (core/simulation/batch.ts),
 * the latest one per phase — created (at proposal creation), consensus (when the consensus check opens),
 * schedule (right before the relayer schedules). Written by the server (the first two) and the relayer;
 * read by the proposal API and by the relayer's comparison before it schedules.
 */
import type { Queryable } from './transaction.js';
import type { BatchSimulation, SimulationPhase } from '../simulation/batch.js';

export interface StoredSimulation extends BatchSimulation {
  phase: SimulationPhase;
  simulatedAt: Date;
}

export async function saveSimulation(db: Queryable, proposalId: string, phase: SimulationPhase, s: BatchSimulation, at = new Date()): Promise<void> {
  await db.query(
    `INSERT INTO payload_simulations (proposal_id, phase, method, block, executor, ok, failed_call, error, balance_changes, simulated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (proposal_id, phase) DO UPDATE SET method = $3, block = $4, executor = $5, ok = $6, failed_call = $7, error = $8,
       balance_changes = $9, simulated_at = $10`,
    [
      proposalId,
      phase,
      s.method,
      s.block,
      s.executor.toLowerCase(),
      s.ok,
      s.failedCall,
      s.error,
      s.balanceChanges ? JSON.stringify(s.balanceChanges) : null,
      at,
    ],
  );
}

/** Every stored simulation of a proposal, in phase order (created, consensus, schedule). */
export async function listSimulations(db: Queryable, proposalId: string): Promise<StoredSimulation[]> {
  const { rows } = await db.query<StoredSimulation>(
    `SELECT phase, method, block::text AS block, executor, ok, failed_call AS "failedCall", error, balance_changes AS "balanceChanges",
            simulated_at AS "simulatedAt"
       FROM payload_simulations WHERE proposal_id = $1
      ORDER BY array_position(ARRAY['created', 'consensus', 'schedule'], phase)`,
    [proposalId],
  );
  return rows;
}
