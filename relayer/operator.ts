/**
 * Operator functions: what a CLI or authenticated admin endpoints call (issue item 4 builds those on
 * top). Nothing here sends a transaction except by queueing the normal steps.
 *
 * - getStatus(proposalId): the record, the derived identifiers, the chain's view, pins, jobs, in-flight tx
 * - list({ statuses }): execution rows
 * - dryRun(proposalId): the next transaction the relayer would send, simulated with eth_call, not sent
 * - retry(proposalId): a failed execution goes back to what the chain says and its step is queued again
 * - cancelJob(proposalId): removes the proposal's waiting/delayed jobs (nothing on chain changes)
 */
import type pg from 'pg';
import { findProposal } from '../server/proposals/repository.js';
import { executionJobId } from '../server/queues.js';
import { governorInterface, timelockInterface, type ChainReader } from './chain.js';
import { recordOperationEvents } from './chain-facts.js';
import { classifyError, PermanentError } from './errors.js';
import { STEPS, stepFor, stepJobId, type Step, type StepQueue } from './jobs.js';
import { executionPlan, type ExecutionPlan } from './operation.js';
import { inspectPins, type PinCheck } from './pinning.js';
import { operationEvents } from './steps/context.js';
import { findExecution, listExecutions, type ExecutionRecorder, type ExecutionRow } from './status.js';
import type { PendingTx, TxSender } from './tx-sender.js';

export interface OperatorDeps {
  pool: pg.Pool;
  chain: ChainReader;
  steps: StepQueue;
  recorder: ExecutionRecorder;
  sender: TxSender;
}

export interface ExecutionStatusReport {
  proposalId: string;
  proposalState: string;
  executionMode: string;
  execution: ExecutionRow | null;
  plan: Omit<ExecutionPlan, 'batch'> | null;
  chain: {
    operationState: string | null;
    readyAt: string | null;
    governorState: string | null;
    governorEta: string | null;
    headBlock: number;
    headTime: string;
  };
  pins: PinCheck[];
  jobs: { id: string; name: string; state: string; attemptsMade: number; failedReason: string | null; delayUntil: string | null }[];
  pendingTx: (PendingTx & { step: Step })[];
}

async function planOf(deps: OperatorDeps, proposalId: string) {
  const proposal = await findProposal(deps.pool, proposalId);
  if (!proposal) throw new PermanentError(`proposal ${proposalId} does not exist`, 'not-found');
  let plan: ExecutionPlan | null = null;
  try {
    plan = executionPlan(proposal);
  } catch {
    plan = null;
  }
  return { proposal, plan };
}

export async function getStatus(deps: OperatorDeps, proposalId: string): Promise<ExecutionStatusReport> {
  const { proposal, plan } = await planOf(deps, proposalId);
  const execution = await findExecution(deps.pool, proposalId);
  const head = await deps.chain.head();
  const chain: ExecutionStatusReport['chain'] = {
    operationState: null, readyAt: null, governorState: null, governorEta: null, headBlock: head.number, headTime: new Date(head.timestamp * 1000).toISOString(),
  };
  if (plan) {
    const operation = await deps.chain.operation(plan.timelock, plan.operationId);
    chain.operationState = operation.state;
    chain.readyAt = operation.timestamp > 1n ? new Date(Number(operation.timestamp) * 1000).toISOString() : null;
    if (plan.governor && plan.governorProposalId) {
      const governor = await deps.chain.governorProposal(plan.governor, plan.governorProposalId);
      chain.governorState = governor?.state ?? 'NotProposed';
      chain.governorEta = governor && governor.eta > 0n ? new Date(Number(governor.eta) * 1000).toISOString() : null;
    }
  }
  const jobs: ExecutionStatusReport['jobs'] = [];
  for (const id of [executionJobId(proposalId), ...STEPS.map((s) => stepJobId(s, proposalId))]) {
    const job = await deps.steps.queue.getJob(id);
    if (!job) continue;
    const state = await job.getState();
    jobs.push({
      id, name: job.name, state, attemptsMade: job.attemptsMade, failedReason: job.failedReason ?? null,
      delayUntil: state === 'delayed' ? new Date(job.timestamp + (job.delay ?? 0)).toISOString() : null,
    });
  }
  const pendingTx: ExecutionStatusReport['pendingTx'] = [];
  for (const step of STEPS) {
    const record = await deps.sender.pending(`${proposalId}:${step}`);
    if (record) pendingTx.push({ ...record, step });
  }
  const { batch: _batch, ...planSummary } = plan ?? ({} as ExecutionPlan);
  return {
    proposalId, proposalState: proposal.state, executionMode: proposal.executionMode, execution,
    plan: plan ? planSummary : null, chain, pins: plan ? await inspectPins(proposal, deps.chain) : [], jobs, pendingTx,
  };
}

export function list(deps: Pick<OperatorDeps, 'pool'>, filter: { statuses?: string[]; limit?: number } = {}): Promise<ExecutionRow[]> {
  return listExecutions(deps.pool, filter);
}

export interface DryRunReport {
  proposalId: string;
  /** The step that would act now, or null when there is nothing to send. */
  step: Step | null;
  action: string;
  to: string | null;
  data: string | null;
  simulation: { ok: boolean; gasEstimate: string | null; error: string | null } | null;
  pins: PinCheck[];
}

/** The transaction the relayer would send next for the proposal, simulated with eth_call from the relayer's address. */
export async function dryRun(deps: OperatorDeps, proposalId: string): Promise<DryRunReport> {
  const { proposal, plan } = await planOf(deps, proposalId);
  if (!plan) return { proposalId, step: null, action: 'not executable', to: null, data: null, simulation: null, pins: [] };
  const pins = await inspectPins(proposal, deps.chain);
  const { batch } = plan;
  let step: Step | null = null;
  let action = '';
  let to: string | null = null;
  let data: string | null = null;
  const operation = await deps.chain.operation(plan.timelock, plan.operationId);
  const cancelled = operation.state === 'Unset' && (await operationEvents(deps, { proposal, plan })).some((e) => e.kind === 'cancelled');
  if (cancelled) {
    action = 'nothing: the operation was cancelled on chain';
  } else if (plan.mode === 'timelock') {
    if (operation.state === 'Unset') {
      const delay = (await deps.chain.timelock(plan.timelock).getFunction('getMinDelay')()) as bigint;
      step = 'schedule';
      action = 'scheduleBatch';
      to = plan.timelock;
      data = timelockInterface.encodeFunctionData('scheduleBatch', [batch.targets, batch.values, batch.calldatas, plan.predecessor, plan.salt, delay]);
    } else if (operation.state === 'Waiting' || operation.state === 'Ready') {
      step = 'timelock-execute';
      action = operation.state === 'Waiting' ? `executeBatch (not ready until ${new Date(Number(operation.timestamp) * 1000).toISOString()})` : 'executeBatch';
      to = plan.timelock;
      data = timelockInterface.encodeFunctionData('executeBatch', [batch.targets, batch.values, batch.calldatas, plan.predecessor, plan.salt]);
    } else {
      action = 'nothing: already executed';
    }
  } else {
    const governor = await deps.chain.governorProposal(plan.governor!, plan.governorProposalId!);
    to = plan.governor;
    if (!governor) {
      step = 'governor-propose';
      action = 'Governor.propose';
      data = governorInterface.encodeFunctionData('propose', [batch.targets, batch.values, batch.calldatas, plan.description!]);
    } else if (governor.state === 'Succeeded') {
      step = 'governor-queue';
      action = 'Governor.queue';
      data = governorInterface.encodeFunctionData('queue', [batch.targets, batch.values, batch.calldatas, plan.descriptionHash!]);
    } else if (governor.state === 'Queued') {
      step = 'governor-execute';
      action = 'Governor.execute';
      data = governorInterface.encodeFunctionData('execute', [batch.targets, batch.values, batch.calldatas, plan.descriptionHash!]);
    } else {
      to = null;
      action = `nothing: Governor state ${governor.state}`;
    }
  }
  let simulation: DryRunReport['simulation'] = null;
  if (to && data) {
    try {
      const gas = await deps.sender.simulate({ to, data });
      simulation = { ok: true, gasEstimate: gas.toString(), error: null };
    } catch (error) {
      simulation = { ok: false, gasEstimate: null, error: classifyError(error).message };
    }
  }
  return { proposalId, step, action, to, data, simulation, pins };
}

/**
 * Puts a failed execution back on track: its status becomes what the chain says (queued, voting or
 * scheduled; executed or cancelled are recorded as such), and the step that status calls for is queued
 * again (a failed job of that step is removed first).
 */
export async function retry(deps: OperatorDeps, proposalId: string): Promise<{ status: string; step: Step | null }> {
  const { proposal, plan } = await planOf(deps, proposalId);
  if (!plan) throw new PermanentError(`proposal ${proposalId} is not executable`, 'not-executable');
  await recordOperationEvents({ chain: deps.chain, recorder: deps.recorder }, proposalId, await operationEvents(deps, { proposal, plan }));
  let execution = await findExecution(deps.pool, proposalId);
  if (!execution) throw new PermanentError(`proposal ${proposalId} has no execution record`, 'not-found');
  if (execution.status === 'failed') {
    const operation = await deps.chain.operation(plan.timelock, plan.operationId);
    let to: 'queued' | 'voting' | 'scheduled' = operation.state === 'Waiting' || operation.state === 'Ready' ? 'scheduled' : 'queued';
    if (to === 'queued' && plan.governor && plan.governorProposalId && (await deps.chain.governorProposal(plan.governor, plan.governorProposalId))) to = 'voting';
    await deps.recorder.reopen(proposalId, to);
    execution = (await findExecution(deps.pool, proposalId))!;
  }
  const step = stepFor(proposal.executionMode, execution.status);
  if (step) {
    const job = await deps.steps.job(step, proposalId);
    if (job && (await job.getState()) === 'failed') await job.remove();
    await deps.steps.enqueue(step, proposalId, 0, { rerun: true });
  }
  return { status: execution.status, step };
}

/** Removes the proposal's waiting and delayed jobs (a running job is left to finish). */
export async function cancelJob(deps: Pick<OperatorDeps, 'steps'>, proposalId: string): Promise<{ removed: string[]; running: string[] }> {
  const removed: string[] = [];
  const running: string[] = [];
  for (const id of [executionJobId(proposalId), ...STEPS.map((s) => stepJobId(s, proposalId))]) {
    const job = await deps.steps.queue.getJob(id);
    if (!job) continue;
    const state = await job.getState();
    if (state === 'active') {
      running.push(id);
      continue;
    }
    if (state === 'waiting' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') {
      await job.remove();
      removed.push(id);
    }
  }
  return { removed, running };
}
