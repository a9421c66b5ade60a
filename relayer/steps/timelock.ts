/**
 * The timelock path: schedule the committed payload into the DAO's TimelockController, then execute it
 * once it is ready. Each step reads getOperationState first and does only what is missing:
 *
 * schedule          Unset (never scheduled)  → pin check, batch simulation no worse than voted, simulate, scheduleBatch, confirm, record
 *                   Unset after a Cancelled event → record cancelled; never schedule again
 *                   Waiting / Ready / Done   → record what the chain says (a previous run sent it)
 * timelock-execute  Waiting → wait for the ready time; Ready → expiry, pin check, veto re-check
 *                   (veto-recheck.ts), simulate, executeBatch, confirm, record; Done → record; Unset → cancelled (or not scheduled yet)
 *                   (past Unset, the schedule step's in-flight record is dropped: the schedule is mined)
 */
import { operationEvents, recordOperationEvents } from '../../core/executions/chain-facts.js';
import { timelockInterface } from '../../core/executions/chain.js';
import { PermanentError, TransientError } from '../../core/executions/errors.js';
import { assertPayloadPinned } from '../../core/executions/pinning.js';
import { assertSimulationNotWorse } from './simulation-check.js';
import { vetoedBeforeSend } from './veto-recheck.js';
import type { TxOutcome } from '../tx-sender.js';
import { etaDate, load, settled, txKey, untilChainTime, type Loaded, type StepContext, type StepResult } from './context.js';

async function assertTimelock(ctx: StepContext, loaded: Loaded): Promise<void> {
  if (!(await ctx.chain.hasCode(loaded.plan.timelock))) {
    throw new PermanentError(`the space's executor ${loaded.plan.timelock} has no contract code on this chain`, 'no-timelock');
  }
}

/** After a send: the chain decides. Throws when the operation did not reach `wanted`. */
export async function explainMissing(_ctx: StepContext, outcome: TxOutcome, simulate: () => Promise<unknown>, what: string): Promise<never> {
  if (outcome.status === 'superseded') throw new TransientError(`the ${what} transaction's nonce ${outcome.nonce} was used by another transaction; retrying`);
  if (outcome.status === 'reverted') {
    await simulate(); // a revert that still happens is permanent (throws PermanentError with the reason)
    throw new TransientError(`the ${what} transaction ${outcome.hash} reverted, but a simulation now passes; retrying`);
  }
  throw new TransientError(`the ${what} transaction ${outcome.hash} is confirmed but the chain does not show it yet; retrying`);
}

export async function scheduleStep(ctx: StepContext, proposalId: string): Promise<StepResult> {
  const loaded = await load(ctx, proposalId);
  const done = await settled(ctx, loaded.execution, txKey(proposalId, 'schedule'));
  if (done) return done;
  const { plan } = loaded;
  if (plan.mode !== 'timelock') throw new PermanentError(`proposal ${proposalId} executes through the Governor, not by direct schedule`, 'wrong-path');
  await assertTimelock(ctx, loaded);
  const key = txKey(proposalId, 'schedule');

  const before = await ctx.chain.operation(plan.timelock, plan.operationId);
  if (before.state !== 'Unset') {
    // Already scheduled: a previous run sent it (and maybe died before recording). Record from the events.
    await ctx.sender.forget(key);
    return fromChain(ctx, loaded, 'already scheduled on chain');
  }
  const events = await operationEvents(ctx, loaded);
  if (events.some((e) => e.kind === 'cancelled')) {
    await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, events);
    return { kind: 'done', note: 'the operation was cancelled on chain; it is never scheduled again' };
  }

  await assertPayloadPinned(loaded.proposal, ctx.chain);
  await assertSimulationNotWorse(ctx, loaded.proposal);
  const delay = (await ctx.chain.timelock(plan.timelock).getFunction('getMinDelay')()) as bigint;
  const args = [plan.batch.targets, plan.batch.values, plan.batch.calldatas, plan.predecessor, plan.salt, delay] as const;
  const intent = { key, to: plan.timelock, data: timelockInterface.encodeFunctionData('scheduleBatch', args), label: 'scheduleBatch' };
  // send() simulates first (eth_call + estimateGas) and refuses with the decoded revert reason.
  const outcome = await ctx.sender.send(intent);

  const after = await ctx.chain.operation(plan.timelock, plan.operationId);
  if (after.state === 'Unset') {
    const later = await operationEvents(ctx, loaded);
    if (later.some((e) => e.kind === 'cancelled')) {
      await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, later);
      return { kind: 'done', note: 'scheduled, then cancelled on chain' };
    }
    return explainMissing(ctx, outcome, () => ctx.sender.simulate(intent), 'scheduleBatch');
  }
  if (outcome.status === 'confirmed' && after.state !== 'Done') {
    await ctx.recorder.scheduled(proposalId, { operationId: plan.operationId, scheduleTx: outcome.hash, eta: etaDate(after.timestamp), source: 'relayer' });
    const head = await ctx.chain.head();
    ctx.logger.info(
      { proposalId, operationId: plan.operationId, txHash: outcome.hash, block: outcome.receipt.blockNumber, eta: etaDate(after.timestamp).toISOString() },
      'operation scheduled',
    );
    return { kind: 'done', note: 'scheduled', next: { step: 'timelock-execute', delayMs: untilChainTime(after.timestamp, head.timestamp) } };
  }
  return fromChain(ctx, loaded, 'scheduled (recorded from the chain)');
}

/** Records the operation's events and queues the execute step when it is still pending. */
async function fromChain(ctx: StepContext, loaded: Loaded, note: string): Promise<StepResult> {
  const events = await operationEvents(ctx, loaded);
  await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, loaded.proposal.id, events);
  const state = await ctx.chain.operation(loaded.plan.timelock, loaded.plan.operationId);
  if (state.state === 'Waiting' || state.state === 'Ready') {
    if (!events.some((e) => e.kind === 'scheduled')) {
      // The node has not served the log yet; the state is enough to record the schedule.
      await ctx.recorder.scheduled(loaded.proposal.id, {
        operationId: loaded.plan.operationId,
        scheduleTx: null,
        eta: etaDate(state.timestamp),
        source: 'chain',
      });
    }
    const head = await ctx.chain.head();
    return { kind: 'done', note, next: { step: 'timelock-execute', delayMs: untilChainTime(state.timestamp, head.timestamp) } };
  }
  return { kind: 'done', note: `${note}; operation is ${state.state}` };
}

export async function timelockExecuteStep(ctx: StepContext, proposalId: string): Promise<StepResult> {
  const loaded = await load(ctx, proposalId);
  const done = await settled(ctx, loaded.execution, txKey(proposalId, 'timelock-execute'));
  if (done) return done;
  const { plan, proposal } = loaded;
  // The council vetoed it: the operation is cancelled, never executed (a job queued before the veto ends here).
  if (loaded.execution.vetoedAt) return { kind: 'done', note: 'vetoed by the council; cancelling instead', next: { step: 'veto-cancel', delayMs: 0 } };
  await assertTimelock(ctx, loaded);
  const key = txKey(proposalId, 'timelock-execute');
  const operation = await ctx.chain.operation(plan.timelock, plan.operationId);
  if (operation.state !== 'Unset') {
    // The chain shows the schedule mined, so the schedule step's in-flight record is stale. It is
    // normally dropped by the relayer that sent it, but that relayer may have died after the reconciler
    // recorded the schedule from the chain and before its own confirmation; its job only comes back
    // once its lock expires, and until then the record would be reported in flight.
    await ctx.sender.forget(txKey(proposalId, 'schedule'));
  }

  if (operation.state === 'Done') {
    await ctx.sender.forget(key);
    await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, await operationEvents(ctx, loaded));
    return { kind: 'done', note: 'already executed on chain' };
  }
  if (operation.state === 'Unset') {
    const events = await operationEvents(ctx, loaded);
    if (events.some((e) => e.kind === 'cancelled')) {
      await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, events);
      return { kind: 'done', note: 'cancelled on chain; not executing' };
    }
    return { kind: 'done', note: 'not scheduled on chain; back to schedule', next: { step: 'schedule', delayMs: 0 } };
  }
  if (loaded.execution.status !== 'scheduled') {
    await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, await operationEvents(ctx, loaded));
  }
  const head = await ctx.chain.head();
  if (operation.state === 'Waiting') {
    return {
      kind: 'later',
      note: `waiting for the ready time ${etaDate(operation.timestamp).toISOString()}`,
      delayMs: untilChainTime(operation.timestamp, head.timestamp),
    };
  }
  const grace = proposal.rules.settings.executionGracePeriod;
  if (head.timestamp > Number(operation.timestamp) + grace) {
    throw new PermanentError(
      `the operation has been ready since ${etaDate(operation.timestamp).toISOString()}, longer than the space's grace period of ${grace} s; the relayer does not execute it`,
      'expired',
    );
  }

  await assertPayloadPinned(proposal, ctx.chain);
  // Last, under the Veto handler's lock: a veto committed since the load stops the execute here.
  const vetoed = await vetoedBeforeSend(ctx, proposalId);
  if (vetoed) return vetoed;
  const args = [plan.batch.targets, plan.batch.values, plan.batch.calldatas, plan.predecessor, plan.salt] as const;
  // Call values are paid from the timelock's own balance: the relayer sends no ether along.
  const intent = { key, to: plan.timelock, data: timelockInterface.encodeFunctionData('executeBatch', args), label: 'executeBatch' };
  // send() simulates first (eth_call + estimateGas) and refuses with the decoded revert reason.
  const outcome = await ctx.sender.send(intent);

  const after = await ctx.chain.operation(plan.timelock, plan.operationId);
  if (after.state === 'Done') {
    if (outcome.status === 'confirmed') {
      await ctx.recorder.executed(proposalId, {
        operationId: plan.operationId,
        executeTx: outcome.hash,
        executeBlock: outcome.receipt.blockNumber,
        source: 'relayer',
      });
      ctx.logger.info({ proposalId, operationId: plan.operationId, txHash: outcome.hash, block: outcome.receipt.blockNumber }, 'operation executed');
    } else {
      await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, await operationEvents(ctx, loaded));
    }
    return { kind: 'done', note: 'executed' };
  }
  if (after.state === 'Unset') {
    await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, await operationEvents(ctx, loaded));
    return { kind: 'done', note: 'cancelled on chain before execution' };
  }
  return explainMissing(ctx, outcome, () => ctx.sender.simulate(intent), 'executeBatch');
}
