/**
 * The execute steps' last look at the council's veto, right before they send the execute transaction.
 *
 * A step loads the execution row when it starts, then reads the chain and checks pins, which takes time:
 * a veto reaching the threshold in between would otherwise be missed by a step that already loaded.
 * This re-reads the row under the proposal's exclusive lock, the lock the Veto handler holds while it
 * reads the chain's clock and writes the veto (server/vetoes/veto-handler.ts). The caller has already
 * seen the operation ready (the chain's clock at or past the ETA, so past the veto deadline), so a veto
 * that did not commit before this read can only read the clock after it and be refused with
 * VETO_WINDOW_CLOSED: either the veto is refused or the execute is not sent. The lock is released before
 * the send (nothing waits on a transaction's confirmation while holding it).
 */
import { withTransaction } from '../../core/db/transaction.js';
import { lockProposalExclusive } from '../../core/db/locks.js';
import { findExecution } from '../../core/executions/repository.js';
import type { StepContext, StepResult } from './context.js';

/** A step result that hands the proposal to veto-cancel when the council's threshold is reached now, else null. */
export async function vetoedBeforeSend(ctx: Pick<StepContext, 'pool' | 'logger'>, proposalId: string): Promise<StepResult | null> {
  const vetoedAt = await withTransaction(ctx.pool, async (client) => {
    await lockProposalExclusive(client, proposalId);
    return (await findExecution(client, proposalId))?.vetoedAt ?? null;
  });
  if (!vetoedAt) return null;
  ctx.logger.warn({ proposalId, vetoedAt: vetoedAt.toISOString() }, 'vetoed by the council while the execute step ran; not executing');
  return { kind: 'done', note: 'vetoed by the council before the execute was sent; cancelling instead', next: { step: 'veto-cancel', delayMs: 0 } };
}
