/**
 * Operator functions: what a CLI or authenticated admin endpoints call (issue item 4 builds those on
 * top). Nothing here sends a transaction except by queueing the normal steps.
 *
 * - getStatus(proposalId): the record, the derived identifiers, the chain's view, pins, jobs, in-flight tx
 * - list({ statuses }): execution rows
 * - dryRun(proposalId): every step still to come, the next one simulated with eth_call, and each payload
 *   call simulated from the timelock; nothing is sent (a vetoed execution: the veto-cancel step only)
 * - retry(proposalId): a failed execution goes back to what the chain says and its step is queued again
 * - cancelJob(proposalId): removes the proposal's waiting/delayed jobs and parks the execution as failed
 *   (reason `cancelled-by-operator`) so neither the worker nor the reconciler acts on it until a retry;
 *   nothing on chain changes (stopping the operation on chain is the guardian's `cancel`)
 */
import type pg from 'pg';
import type { ProposalState } from '../lifecycle/states.js';
import { findProposal } from '../proposals/repository.js';
import { executionJobId } from '../queues.js';
import { governorInterface, timelockInterface, type ChainReader } from './chain.js';
import { operationEvents, recordOperationEvents } from './chain-facts.js';
import { classifyError, PermanentError } from './errors.js';
import { STEPS, stepFor, stepJobId, type Step, type StepQueue } from './jobs.js';
import { executionPlan, type ExecutionPlan } from './operation.js';
import { inspectPins, type PinCheck } from './pinning.js';
import { findExecution, listExecutions, type ExecutionRecorder, type ExecutionRow } from './repository.js';
import type { PendingTx, PendingTxReader } from './pending-tx.js';

export interface OperatorDeps {
  pool: pg.Pool;
  chain: ChainReader;
  steps: StepQueue;
  recorder: ExecutionRecorder;
  /** Only reads: in-flight records and simulations from the relayer's address (the server and the CLI need no key). */
  sender: PendingTxReader;
}

export interface ExecutionStatusReport {
  proposalId: string;
  proposalState: ProposalState;
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
    operationState: null,
    readyAt: null,
    governorState: null,
    governorEta: null,
    headBlock: head.number,
    headTime: new Date(head.timestamp * 1000).toISOString(),
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
      id,
      name: job.name,
      state,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason ?? null,
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
    proposalId,
    proposalState: proposal.state,
    executionMode: proposal.executionMode,
    execution,
    plan: plan ? planSummary : null,
    chain,
    pins: plan ? await inspectPins(proposal, deps.chain) : [],
    jobs,
    pendingTx,
  };
}

export function list(deps: Pick<OperatorDeps, 'pool'>, filter: { statuses?: string[]; limit?: number } = {}): Promise<ExecutionRow[]> {
  return listExecutions(deps.pool, filter);
}

export interface Simulation {
  ok: boolean;
  gasEstimate: string | null;
  error: string | null;
}

export interface DryRunStep {
  step: Step;
  action: string;
  /** When the relayer would send it: "now", or what it waits for. */
  when: string;
  to: string;
  data: string;
  /** eth_call + estimateGas from the relayer's address at the current head; null when it cannot be simulated yet (an earlier step must land first). */
  simulation: Simulation | null;
}

export interface DryRunReport {
  proposalId: string;
  executionMode: string;
  /** The step that would act next, or null when there is nothing to send. */
  step: Step | null;
  action: string;
  to: string | null;
  data: string | null;
  simulation: Simulation | null;
  /** Every step still to come, in order; the first is the next one. */
  remaining: DryRunStep[];
  /** Each call of the payload, simulated now with eth_call from the timelock (the account that will make it), one by one. */
  calls: { index: number; target: string; value: string; data: string; simulation: Simulation }[];
  pins: PinCheck[];
  /** Why the relayer would refuse to go on (pin mismatch, expiry) or to execute (a council veto: it cancels), or null. */
  refusal: string | null;
}

const iso = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toISOString();

async function simulateWith(run: () => Promise<bigint>): Promise<Simulation> {
  try {
    return { ok: true, gasEstimate: (await run()).toString(), error: null };
  } catch (error) {
    return { ok: false, gasEstimate: null, error: classifyError(error).message };
  }
}

/**
 * What the relayer would do for the proposal from here, without sending anything: the remaining steps
 * (the next one simulated from the relayer's address; later ones cannot be simulated before the earlier
 * ones are on chain), and every payload call simulated from the timelock, which is what tells whether the
 * execution itself would succeed today (a treasury short of funds, a target that reverts).
 */
export async function dryRun(deps: OperatorDeps, proposalId: string): Promise<DryRunReport> {
  const { proposal, plan } = await planOf(deps, proposalId);
  const base = { proposalId, executionMode: proposal.executionMode };
  if (!plan) {
    return { ...base, step: null, action: 'not executable', to: null, data: null, simulation: null, remaining: [], calls: [], pins: [], refusal: null };
  }
  const pins = await inspectPins(proposal, deps.chain);
  const { batch } = plan;
  const head = await deps.chain.head();
  const remaining: (Omit<DryRunStep, 'simulation'> & { simulate: boolean })[] = [];
  let action = '';
  let refusal: string | null = null;
  const operation = await deps.chain.operation(plan.timelock, plan.operationId);
  const cancelled = operation.state === 'Unset' && (await operationEvents(deps, { proposal, plan })).some((e) => e.kind === 'cancelled');
  const grace = proposal.rules.settings.executionGracePeriod;
  const executeArgs = [batch.targets, batch.values, batch.calldatas, plan.predecessor, plan.salt] as const;
  const expiredAt = (ready: bigint) =>
    head.timestamp > Number(ready) + grace ? `expired: ready since ${iso(ready)}, longer than the grace period of ${grace} s` : null;
  // The council's veto reached its threshold: the relayer's only step is veto-cancel (relayer/steps/veto.ts),
  // never an execute, whatever the path.
  const vetoedAt = cancelled ? null : ((await findExecution(deps.pool, proposalId))?.vetoedAt ?? null);
  if (cancelled) {
    action = 'nothing: the operation was cancelled on chain';
  } else if (vetoedAt && operation.state === 'Done') {
    action = 'nothing: vetoed by the council, but executed on chain before it could be cancelled';
  } else if (vetoedAt) {
    const pending = operation.state === 'Waiting' || operation.state === 'Ready';
    remaining.push({
      step: 'veto-cancel',
      action: 'cancel',
      when: pending ? 'now' : 'once the operation is in the timelock',
      to: plan.timelock,
      data: timelockInterface.encodeFunctionData('cancel', [plan.operationId]),
      simulate: pending,
    });
    // Said in the report's own words: the operator must not read the payload simulations below as "it will run".
    refusal = `vetoed by the council at ${vetoedAt.toISOString()}: the relayer cancels the operation instead of executing it`;
  } else if (plan.mode === 'timelock') {
    const delay = (await deps.chain.timelock(plan.timelock).getFunction('getMinDelay')()) as bigint;
    const executeStep = (when: string, simulate: boolean) => ({
      step: 'timelock-execute' as const,
      action: 'executeBatch',
      when,
      to: plan.timelock,
      data: timelockInterface.encodeFunctionData('executeBatch', executeArgs),
      simulate,
    });
    if (operation.state === 'Unset') {
      remaining.push({
        step: 'schedule',
        action: 'scheduleBatch',
        when: 'now',
        to: plan.timelock,
        simulate: true,
        data: timelockInterface.encodeFunctionData('scheduleBatch', [...executeArgs, delay]),
      });
      remaining.push(executeStep(`after the timelock delay of ${delay} s (at the earliest ${iso(BigInt(head.timestamp) + delay)})`, false));
    } else if (operation.state === 'Waiting') {
      remaining.push(executeStep(`at the ready time ${iso(operation.timestamp)}`, true));
    } else if (operation.state === 'Ready') {
      remaining.push(executeStep('now', true));
      refusal = expiredAt(operation.timestamp);
    } else {
      action = 'nothing: already executed';
    }
  } else {
    const governor = await deps.chain.governorProposal(plan.governor!, plan.governorProposalId!);
    const g = (step: Step, method: 'propose' | 'queue' | 'execute', when: string, simulate: boolean) => ({
      step,
      action: `Governor.${method}`,
      when,
      to: plan.governor!,
      simulate,
      data: governorInterface.encodeFunctionData(method, [
        batch.targets,
        batch.values,
        batch.calldatas,
        method === 'propose' ? plan.description! : plan.descriptionHash!,
      ]),
    });
    const state = governor?.state ?? 'NotProposed';
    if (state === 'NotProposed') remaining.push(g('governor-propose', 'propose', 'now', true));
    if (state === 'NotProposed' || state === 'Pending' || state === 'Active')
      remaining.push(g('governor-queue', 'queue', 'when the on-chain vote has ended and succeeded', false));
    if (state === 'Succeeded') remaining.push(g('governor-queue', 'queue', 'now', true));
    if (state === 'NotProposed' || state === 'Pending' || state === 'Active' || state === 'Succeeded')
      remaining.push(g('governor-execute', 'execute', 'after the timelock delay once queued', false));
    if (state === 'Queued') {
      const eta = governor!.eta;
      remaining.push(g('governor-execute', 'execute', eta > BigInt(head.timestamp) ? `at the ETA ${iso(eta)}` : 'now', true));
      if (eta <= BigInt(head.timestamp)) refusal = expiredAt(eta);
    }
    if (remaining.length === 0) action = `nothing: Governor state ${state}`;
  }
  const pinProblem = pins.find((p) => !p.ok);
  if (!refusal && pinProblem && remaining.length > 0) {
    refusal = `code-hash-changed: the code of target ${pinProblem.target} is ${pinProblem.current}, recorded ${pinProblem.recorded ?? 'nothing'}`;
  }

  const steps: DryRunStep[] = [];
  for (const { simulate, ...step } of remaining) {
    steps.push({ ...step, simulation: simulate ? await simulateWith(() => deps.sender.simulate({ to: step.to, data: step.data })) : null });
  }
  const calls: DryRunReport['calls'] = [];
  if (remaining.length > 0) {
    for (let index = 0; index < batch.targets.length; index++) {
      const request = { from: plan.timelock, to: batch.targets[index]!, data: batch.calldatas[index]!, value: BigInt(batch.values[index]!) };
      calls.push({
        index,
        target: request.to,
        value: request.value.toString(),
        data: request.data,
        simulation: await simulateWith(async () => {
          await deps.chain.provider.call(request);
          return deps.chain.provider.estimateGas(request);
        }),
      });
    }
  }
  const next = steps[0] ?? null;
  if (next) action = next.when === 'now' ? next.action : `${next.action} (${next.when})`;
  return {
    ...base,
    step: next?.step ?? null,
    action,
    to: next?.to ?? null,
    data: next?.data ?? null,
    simulation: next?.simulation ?? null,
    remaining: steps,
    calls,
    pins,
    refusal,
  };
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
    if (to === 'queued' && plan.governor && plan.governorProposalId && (await deps.chain.governorProposal(plan.governor, plan.governorProposalId)))
      to = 'voting';
    await deps.recorder.reopen(proposalId, to);
    execution = (await findExecution(deps.pool, proposalId))!;
  }
  const step = stepFor(proposal.executionMode, execution.status, execution.vetoedAt !== null);
  if (step) {
    const job = await deps.steps.job(step, proposalId);
    if (job && (await job.getState()) === 'failed') await job.remove();
    await deps.steps.enqueue(step, proposalId, 0, { rerun: true });
  }
  return { status: execution.status, step };
}

const OPERATOR_CANCEL_REASON = 'cancelled-by-operator';

/**
 * Stops the relayer from acting on the proposal, off chain only: its waiting and delayed jobs are removed
 * (a running job is left to finish its step), and an unfinished execution is parked as failed with reason
 * `cancelled-by-operator: …`, so the reconciler does not re-create the jobs. `retry` resumes it. The
 * timelock operation itself is untouched: stopping it on chain is the guardian's `cancel`, which the
 * relayer then records.
 */
export async function cancelJob(
  deps: Pick<OperatorDeps, 'steps' | 'recorder' | 'pool'>,
  proposalId: string,
  note = 'jobs removed by an operator',
): Promise<{ removed: string[]; running: string[]; status: string | null }> {
  if (!(await findExecution(deps.pool, proposalId))) throw new PermanentError(`proposal ${proposalId} has no execution record`, 'not-found');
  const removed: string[] = [];
  const running: string[] = [];
  // Parked first: a reconciler pass between the removal and the update would otherwise re-create the jobs.
  await deps.recorder.failed(proposalId, `${OPERATOR_CANCEL_REASON}: ${note}`);
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
  const execution = await findExecution(deps.pool, proposalId);
  return { removed, running, status: execution?.status ?? null };
}
