/**
 * The server's two payload simulations of an executable proposal (issue 18, item 5; the third is the
 * relayer's, right before it schedules): at creation (an after-commit hook of the Proposal message) and
 * when the consensus check opens (a lifecycle listener, for the timed opening and AdvanceProposal alike).
 * Each is stored per phase (core/db/payload-simulations.ts) and served by GET /api/proposals/:id.
 * A simulation that cannot run (the node is away) is logged and skipped: it never refuses or delays the
 * proposal; the relayer compares with whichever simulation of the vote exists.
 */
import type pg from 'pg';
import type { Log } from '../../core/logger.js';
import type { ProposalRecord } from '../../core/proposals/repository.js';
import type { SimulationPhase } from '../../core/simulation/batch.js';
import { simulateProposal, type SimulationProvider } from '../../core/simulation/proposal-simulation.js';
import type { LifecycleListener } from '../lifecycle/engine.js';

export function payloadSimulations(deps: { pool: pg.Pool; provider: SimulationProvider; logger: Log }) {
  const run = async (proposal: ProposalRecord, phase: SimulationPhase): Promise<void> => {
    if (!proposal.payload) return;
    try {
      const simulation = await simulateProposal({ db: deps.pool, provider: deps.provider }, proposal, phase);
      if (simulation) deps.logger.info({ proposalId: proposal.id, phase, ok: simulation.ok, method: simulation.method }, 'payload simulated');
    } catch (error) {
      deps.logger.warn({ err: error, proposalId: proposal.id, phase }, 'could not simulate the payload');
    }
  };
  const listener: LifecycleListener = {
    async onTransitions(proposal, transitions) {
      if (transitions.some((t) => t.to === 'consensus')) await run(proposal, 'consensus');
    },
  };
  return { atCreation: (proposal: ProposalRecord) => run(proposal, 'created'), listener };
}
