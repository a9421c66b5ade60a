/**
 * The Governor path, for proposals that need an on-chain vote (execution mode "governor"). Each step
 * reads governor.state(proposalId) first and does only what is missing:
 *
 * governor-propose  not proposed → pin check, simulate, propose(payload, description), confirm
 *                   proposed     → record 'voting' and follow the vote
 * governor-queue    Pending/Active → look again in RELAYER_POLL_INTERVAL_MS (token holders vote)
 *                   Succeeded → pin check, simulate, queue (the Governor schedules into the timelock)
 *                   Queued → record scheduled (ETA); Defeated/Expired → failed; Canceled → cancelled
 * governor-execute  Queued and ETA reached → expiry, pin check, simulate, execute, confirm, record
 *
 * The description names the govrelay proposal id (core/executions/operation.ts), so the Governor proposal id
 * and the timelock operation id are both derivable from the signed proposal.
 */
import { operationEvents, recordOperationEvents } from '../../core/executions/chain-facts.js';
import { governorInterface } from '../../core/executions/chain.js';
import { PermanentError, TransientError } from '../../core/executions/errors.js';
import { assertPayloadPinned } from '../../core/executions/pinning.js';
import { assertSimulationNotWorse } from './simulation-check.js';
import type { TxOutcome } from '../tx-sender.js';
import { etaDate, load, settled, txKey, untilChainTime, type Loaded, type StepContext, type StepResult } from './context.js';
import { vetoedBeforeSend } from './veto-recheck.js';

async function assertGovernor(ctx: StepContext, loaded: Loaded): Promise<string> {
  const { plan } = loaded;
  if (plan.mode !== 'governor' || !plan.governor) throw new PermanentError(`proposal ${loaded.proposal.id} does not execute through a Governor`, 'wrong-path');
  if (!(await ctx.chain.hasCode(plan.governor)))
    throw new PermanentError(`the space's governor ${plan.governor} has no contract code on this chain`, 'no-governor');
  const timelock = String(await ctx.chain.governor(plan.governor).getFunction('timelock')()).toLowerCase();
  if (timelock !== plan.timelock.toLowerCase()) {
    throw new PermanentError(`the governor's timelock ${timelock} is not the space's executor ${plan.timelock}`, 'governor-mismatch');
  }
  return plan.governor;
}

/** A Governor step's start: the execution loaded, or the step's result if it has nothing left to do. */
type Started = { done: StepResult } | { done: null; loaded: Loaded; governor: string; id: string; key: string };

async function startStep(ctx: StepContext, proposalId: string, step: 'governor-propose' | 'governor-queue' | 'governor-execute'): Promise<Started> {
  const loaded = await load(ctx, proposalId);
  const key = txKey(proposalId, step);
  const done = await settled(ctx, loaded.execution, key);
  if (done) return { done };
  const governor = await assertGovernor(ctx, loaded);
  return { done: null, loaded, governor, id: loaded.plan.governorProposalId!, key };
}

function missing(outcome: TxOutcome, what: string): never {
  if (outcome.status === 'superseded') throw new TransientError(`the ${what} transaction's nonce ${outcome.nonce} was used by another transaction; retrying`);
  if (outcome.status === 'reverted') throw new TransientError(`the ${what} transaction ${outcome.hash} reverted; retrying after a fresh simulation`);
  throw new TransientError(`the ${what} transaction ${outcome.hash} is confirmed but the Governor does not show it yet; retrying`);
}

export async function governorProposeStep(ctx: StepContext, proposalId: string): Promise<StepResult> {
  const started = await startStep(ctx, proposalId, 'governor-propose');
  if (started.done) return started.done;
  const { loaded, governor, id, key } = started;
  const { plan } = loaded;

  const existing = await ctx.chain.governorProposal(governor, id);
  if (existing) {
    await ctx.sender.forget(key);
    await ctx.recorder.voting(proposalId, {
      operationId: plan.operationId,
      governorProposalId: id,
      voteStart: existing.snapshot.toString(),
      voteEnd: existing.deadline.toString(),
    });
    return { kind: 'done', note: 'already proposed on the Governor', next: { step: 'governor-queue', delayMs: 0 } };
  }
  await assertPayloadPinned(loaded.proposal, ctx.chain);
  const args = [plan.batch.targets, plan.batch.values, plan.batch.calldatas, plan.description!] as const;
  const intent = { key, to: governor, data: governorInterface.encodeFunctionData('propose', args), label: 'Governor.propose' };
  // send() simulates first (eth_call + estimateGas) and refuses with the decoded revert reason.
  const outcome = await ctx.sender.send(intent);
  const proposed = await ctx.chain.governorProposal(governor, id);
  if (!proposed) {
    if (outcome.status === 'reverted') await ctx.sender.simulate(intent);
    missing(outcome, 'propose');
  }
  await ctx.recorder.voting(proposalId, {
    operationId: plan.operationId,
    governorProposalId: id,
    proposeTx: outcome.status === 'superseded' ? null : outcome.hash,
    voteStart: proposed.snapshot.toString(),
    voteEnd: proposed.deadline.toString(),
  });
  ctx.logger.info(
    {
      proposalId,
      governorProposalId: id,
      txHash: outcome.status === 'superseded' ? null : outcome.hash,
      voteStart: proposed.snapshot.toString(),
      voteEnd: proposed.deadline.toString(),
    },
    'proposed on the Governor',
  );
  return { kind: 'done', note: 'proposed on the Governor', next: { step: 'governor-queue', delayMs: 0 } };
}

export async function governorQueueStep(ctx: StepContext, proposalId: string): Promise<StepResult> {
  const started = await startStep(ctx, proposalId, 'governor-queue');
  if (started.done) return started.done;
  const { loaded, governor, id, key } = started;
  const { plan } = loaded;

  const current = await ctx.chain.governorProposal(governor, id);
  if (!current) return { kind: 'done', note: 'not on the Governor yet; back to propose', next: { step: 'governor-propose', delayMs: 0 } };
  switch (current.state) {
    case 'Pending':
    case 'Active':
      await ctx.recorder.voting(proposalId, {
        operationId: plan.operationId,
        governorProposalId: id,
        voteStart: current.snapshot.toString(),
        voteEnd: current.deadline.toString(),
      });
      return { kind: 'later', note: `on-chain vote ${current.state.toLowerCase()} until block ${current.deadline}`, delayMs: ctx.pollIntervalMs };
    case 'Canceled':
      await ctx.recorder.cancelled(proposalId, { operationId: plan.operationId, txHash: null, reason: 'cancelled on the Governor', source: 'chain' });
      return { kind: 'done', note: 'cancelled on the Governor' };
    case 'Defeated':
      await ctx.recorder.outcome(proposalId, 'defeated', { governorProposalId: id, source: 'chain' });
      throw new PermanentError('the proposal was defeated in the on-chain vote', 'defeated');
    case 'Expired':
      await ctx.recorder.outcome(proposalId, 'expired', { governorProposalId: id, source: 'chain' });
      throw new PermanentError('the Governor reports the proposal expired', 'expired');
    case 'Executed':
      await ctx.sender.forget(key);
      await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, await operationEvents(ctx, loaded));
      return { kind: 'done', note: 'already executed' };
    case 'Queued':
      await ctx.sender.forget(key);
      return recordQueued(ctx, loaded, current.eta, null);
    case 'Succeeded': {
      await assertPayloadPinned(loaded.proposal, ctx.chain);
      // Queueing is what schedules on the Governor path.
      await assertSimulationNotWorse(ctx, loaded.proposal);
      const args = [plan.batch.targets, plan.batch.values, plan.batch.calldatas, plan.descriptionHash!] as const;
      const intent = { key, to: governor, data: governorInterface.encodeFunctionData('queue', args), label: 'Governor.queue' };
      const outcome = await ctx.sender.send(intent);
      const after = await ctx.chain.governorProposal(governor, id);
      if (after?.state === 'Queued') return recordQueued(ctx, loaded, after.eta, outcome.status === 'confirmed' ? outcome.hash : null);
      if (after?.state === 'Canceled' || after?.state === 'Executed') return { kind: 'later', note: `became ${after.state}; looking again`, delayMs: 0 };
      if (outcome.status === 'reverted') await ctx.sender.simulate(intent);
      return missing(outcome, 'queue');
    }
  }
}

async function recordQueued(ctx: StepContext, loaded: Loaded, eta: bigint, txHash: string | null): Promise<StepResult> {
  const events = await operationEvents(ctx, loaded);
  const scheduledEvent = events.find((e) => e.kind === 'scheduled');
  const applied = await ctx.recorder.scheduled(loaded.proposal.id, {
    operationId: loaded.plan.operationId,
    scheduleTx: txHash ?? scheduledEvent?.txHash ?? null,
    eta: etaDate(eta),
    source: txHash ? 'relayer' : 'chain',
  });
  if (!applied && scheduledEvent) await ctx.recorder.fillScheduleTx(loaded.proposal.id, scheduledEvent.txHash);
  const head = await ctx.chain.head();
  return {
    kind: 'done',
    note: `queued in the timelock until ${etaDate(eta).toISOString()}`,
    next: { step: 'governor-execute', delayMs: untilChainTime(eta, head.timestamp) },
  };
}

export async function governorExecuteStep(ctx: StepContext, proposalId: string): Promise<StepResult> {
  const started = await startStep(ctx, proposalId, 'governor-execute');
  if (started.done) return started.done;
  const { loaded, governor, id, key } = started;
  const { plan, proposal } = loaded;
  if (loaded.execution.vetoedAt) return { kind: 'done', note: 'vetoed by the council; cancelling instead', next: { step: 'veto-cancel', delayMs: 0 } };

  const current = await ctx.chain.governorProposal(governor, id);
  if (!current) return { kind: 'done', note: 'not on the Governor; back to propose', next: { step: 'governor-propose', delayMs: 0 } };
  if (current.state === 'Executed') {
    await ctx.sender.forget(key);
    await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, await operationEvents(ctx, loaded));
    return { kind: 'done', note: 'already executed' };
  }
  if (current.state === 'Canceled') {
    await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, await operationEvents(ctx, loaded));
    await ctx.recorder.cancelled(proposalId, { operationId: plan.operationId, txHash: null, reason: 'cancelled on chain', source: 'chain' });
    return { kind: 'done', note: 'cancelled; not executing' };
  }
  if (current.state !== 'Queued')
    return { kind: 'done', note: `Governor state ${current.state}; following the vote again`, next: { step: 'governor-queue', delayMs: 0 } };

  const operation = await ctx.chain.operation(plan.timelock, plan.operationId);
  const head = await ctx.chain.head();
  if (operation.state === 'Waiting') {
    return { kind: 'later', note: `waiting for the ETA ${etaDate(current.eta).toISOString()}`, delayMs: untilChainTime(operation.timestamp, head.timestamp) };
  }
  const grace = proposal.rules.settings.executionGracePeriod;
  if (head.timestamp > Number(current.eta) + grace) {
    throw new PermanentError(
      `the proposal has been executable since ${etaDate(current.eta).toISOString()}, longer than the space's grace period of ${grace} s; the relayer does not execute it`,
      'expired',
    );
  }
  await assertPayloadPinned(proposal, ctx.chain);
  // Last, under the Veto handler's lock: a veto committed since the load stops the execute here.
  const vetoed = await vetoedBeforeSend(ctx, proposalId);
  if (vetoed) return vetoed;
  const args = [plan.batch.targets, plan.batch.values, plan.batch.calldatas, plan.descriptionHash!] as const;
  const intent = { key, to: governor, data: governorInterface.encodeFunctionData('execute', args), label: 'Governor.execute' };
  // send() simulates first (eth_call + estimateGas) and refuses with the decoded revert reason.
  const outcome = await ctx.sender.send(intent);
  const after = await ctx.chain.governorProposal(governor, id);
  if (after?.state === 'Executed') {
    if (outcome.status === 'confirmed') {
      await ctx.recorder.executed(proposalId, {
        operationId: plan.operationId,
        executeTx: outcome.hash,
        executeBlock: outcome.receipt.blockNumber,
        source: 'relayer',
      });
      ctx.logger.info({ proposalId, governorProposalId: id, txHash: outcome.hash, block: outcome.receipt.blockNumber }, 'Governor proposal executed');
    } else {
      await recordOperationEvents({ chain: ctx.chain, recorder: ctx.recorder }, proposalId, await operationEvents(ctx, loaded));
    }
    return { kind: 'done', note: 'executed' };
  }
  if (after?.state === 'Canceled') return { kind: 'later', note: 'cancelled before execution; looking again', delayMs: 0 };
  if (outcome.status === 'reverted') await ctx.sender.simulate(intent);
  return missing(outcome, 'execute');
}
