/**
 * The council's veto (executions.vetoed_at, set when a Veto message reached the space's threshold):
 * cancel the operation in the timelock through CANCELLER_ROLE, exactly once. Like the other steps it
 * reads the chain first and does only what is missing:
 *
 *   Waiting / Ready  → cancel(operationId), confirm, record cancelled (the proposal follows: queued → cancelled)
 *   Unset + Cancelled event → record cancelled from the chain (a previous run, or the guardian, cancelled it)
 *   Unset, never scheduled  → look again later (the Governor path queues into the timelock after its vote)
 *   Done             → executed before the veto could act: recorded as executed, with a warning
 *
 * The cancel transaction goes through the sender like every other (stored in Redis before it is
 * broadcast, resumed with the same nonce by whichever relayer takes the job over), and the timelock
 * itself refuses a second cancel of an operation that is no longer pending.
 */
import { operationEvents, recordOperationEvents } from '../../core/executions/chain-facts.js';
import { timelockInterface } from '../../core/executions/chain.js';
import { load, settled, txKey, type StepContext, type StepResult } from './context.js';
import { explainMissing } from './timelock.js';

export const VETO_REASON = 'vetoed by the council';

export async function vetoCancelStep(ctx: StepContext, proposalId: string): Promise<StepResult> {
  const loaded = await load(ctx, proposalId);
  const key = txKey(proposalId, 'veto-cancel');
  const done = await settled(ctx, loaded.execution, key);
  if (done) return done;
  if (!loaded.execution.vetoedAt) return { kind: 'done', note: 'no council veto recorded; nothing to cancel' };
  const { plan } = loaded;
  const record = async () => recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, await operationEvents(ctx, loaded));

  const before = await ctx.chain.operation(plan.timelock, plan.operationId);
  if (before.state === 'Done') {
    await ctx.sender.forget(key);
    await record();
    ctx.logger.warn({ proposalId, operationId: plan.operationId }, 'the vetoed operation was executed before it could be cancelled');
    return { kind: 'done', note: 'executed on chain before the veto could cancel it' };
  }
  if (before.state === 'Unset') {
    const events = await operationEvents(ctx, loaded);
    if (events.some((e) => e.kind === 'cancelled')) {
      await ctx.sender.forget(key);
      await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, events);
      return { kind: 'done', note: 'already cancelled on chain' };
    }
    return { kind: 'later', note: 'the vetoed operation is not in the timelock yet', delayMs: ctx.pollIntervalMs };
  }

  const intent = { key, to: plan.timelock, data: timelockInterface.encodeFunctionData('cancel', [plan.operationId]), label: 'cancel' };
  // send() simulates first: a relayer without CANCELLER_ROLE fails permanently with AccessControlUnauthorizedAccount.
  const outcome = await ctx.sender.send(intent);
  const after = await ctx.chain.operation(plan.timelock, plan.operationId);
  if (after.state === 'Unset') {
    if (outcome.status === 'confirmed') {
      await ctx.recorder.cancelled(proposalId, { operationId: plan.operationId, txHash: outcome.hash, reason: VETO_REASON, source: 'relayer' });
      ctx.logger.info(
        { proposalId, operationId: plan.operationId, txHash: outcome.hash, block: outcome.receipt.blockNumber },
        'operation cancelled (council veto)',
      );
    } else {
      await record();
    }
    return { kind: 'done', note: 'cancelled (council veto)' };
  }
  if (after.state === 'Done') {
    await record();
    return { kind: 'done', note: 'executed on chain before the veto could cancel it' };
  }
  return explainMissing(ctx, outcome, () => ctx.sender.simulate(intent), 'cancel');
}
