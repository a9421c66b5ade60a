/**
 * Right before the relayer schedules (issue 18, item 5): the batch is simulated again from the executor
 * (stored as the `schedule` simulation) and compared with the simulation the voters saw (when the
 * consensus check opened, else at creation). A batch that now reverts, or now pays out more of a token
 * or of ether from the executor, is not scheduled: the execution fails permanently with reason
 * `simulation-worse: …`, which an operator sees (status, metrics) and may retry once the cause is gone.
 */
import { PermanentError, TransientError } from '../../core/executions/errors.js';
import type { ProposalRecord } from '../../core/proposals/repository.js';
import { SimulationUnavailableError } from '../../core/simulation/calls.js';
import { worseThan } from '../../core/simulation/batch.js';
import { simulateProposal, votedSimulation } from '../../core/simulation/proposal-simulation.js';
import type { StepContext } from './context.js';

export async function assertSimulationNotWorse(ctx: StepContext, proposal: ProposalRecord): Promise<void> {
  const voted = await votedSimulation(ctx.pool, proposal.id);
  let now;
  try {
    now = await simulateProposal({ db: ctx.pool, provider: ctx.chain.provider }, proposal, 'schedule');
  } catch (error) {
    if (error instanceof SimulationUnavailableError) throw new TransientError(`could not simulate the batch: ${error.message}`, { cause: error });
    throw error;
  }
  if (!now) return;
  const worse = worseThan(now, voted);
  if (worse) {
    ctx.logger.warn({ proposalId: proposal.id, reason: worse, voted, now }, 'the batch simulates worse than when it was voted: not scheduling');
    throw new PermanentError(`not scheduled: ${worse}`, 'simulation-worse');
  }
}
