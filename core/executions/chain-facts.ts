/**
 * Records what the timelock's events say about an operation: CallScheduled → scheduled (with the
 * transaction and the ready time = block timestamp + delay), CallExecuted → executed (transaction,
 * block), Cancelled → cancelled. Used by the reconciler for every watched operation, and by the steps
 * when they find the chain ahead of the records (a relayer killed between send and record).
 */
import type { ChainReader, OperationEvent } from './chain.js';
import type { ExecutionPlan } from './operation.js';
import type { ProposalRecord } from '../proposals/repository.js';
import type { ExecutionRecorder } from './repository.js';

export async function recordOperationEvents(
  deps: { chain: ChainReader; recorder: ExecutionRecorder },
  proposalId: string,
  events: OperationEvent[],
): Promise<void> {
  for (const event of events) {
    if (event.index !== 0) continue; // one event per batch is enough
    if (event.kind === 'scheduled') {
      const timestamp = await deps.chain.blockTimestamp(event.blockNumber);
      const eta = new Date((timestamp + Number(event.delay ?? 0n)) * 1000);
      const applied = await deps.recorder.scheduled(proposalId, { operationId: event.operationId, scheduleTx: event.txHash, eta, source: 'chain' });
      if (!applied) await deps.recorder.fillScheduleTx(proposalId, event.txHash);
    } else if (event.kind === 'executed') {
      await deps.recorder.executed(proposalId, { operationId: event.operationId, executeTx: event.txHash, executeBlock: event.blockNumber, source: 'chain' });
    } else {
      await deps.recorder.cancelled(proposalId, { operationId: event.operationId, txHash: event.txHash, reason: 'cancelled on chain', source: 'chain' });
    }
  }
}

/** The timelock events of this proposal's operation. No event can precede the proposal's snapshot block. */
export async function operationEvents(
  ctx: { chain: ChainReader },
  loaded: { proposal: Pick<ProposalRecord, 'snapshotBlock'>; plan: Pick<ExecutionPlan, 'timelock' | 'operationId'> },
): Promise<OperationEvent[]> {
  const head = await ctx.chain.head();
  return ctx.chain.operationEvents([loaded.plan.timelock], Number(loaded.proposal.snapshotBlock), head.number, [loaded.plan.operationId]);
}
