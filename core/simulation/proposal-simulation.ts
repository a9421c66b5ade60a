/**
 * A proposal's batch simulated for one phase and stored (payload_simulations), by whoever reaches
 * that phase: the server at creation and when the consensus check opens, the relayer before it
 * schedules. The proposal's own settings copy gives the executor, the token and the ABIs to decode
 * reverts with.
 */

import type { Queryable } from '../db/transaction.js';
import { listSimulations, saveSimulation, type StoredSimulation } from '../db/payload-simulations.js';
import type { ProposalRecord } from '../proposals/repository.js';
import { AbiBook } from '../spaces/abis.js';
import { simulateBatch, type BatchSimulation, type SimulationPhase } from './batch.js';

export type SimulationProvider = Parameters<typeof simulateBatch>[0];

/** Simulates and stores the phase; null when the proposal has nothing to simulate (no payload or no executor). */
export async function simulateProposal(
  deps: { db: Queryable; provider: SimulationProvider },
  proposal: Pick<ProposalRecord, 'id' | 'payload' | 'rules'>,
  phase: SimulationPhase,
): Promise<BatchSimulation | null> {
  const settings = proposal.rules.settings;
  if (!proposal.payload || !settings.executor) return null;
  const simulation = await simulateBatch(deps.provider, {
    executor: settings.executor,
    payload: proposal.payload,
    token: settings.token,
    book: new AbiBook(settings),
  });
  await saveSimulation(deps.db, proposal.id, phase, simulation);
  return simulation;
}

/** The simulation the voters saw: the one when the consensus check opened, else the one at creation. */
export async function votedSimulation(db: Queryable, proposalId: string): Promise<StoredSimulation | null> {
  const stored = await listSimulations(db, proposalId);
  return stored.find((s) => s.phase === 'consensus') ?? stored.find((s) => s.phase === 'created') ?? null;
}
