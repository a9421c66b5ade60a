/**
 * What every step needs, and the rules they share: load the proposal and its execution row, derive the
 * plan (core/executions/operation.ts), read the chain first and do only what is missing.
 */
import type pg from 'pg';
import type { Log } from '../../core/logger.js';
import { findProposal, type ProposalRecord } from '../../core/proposals/repository.js';
import type { ChainReader } from '../../core/executions/chain.js';
import { PermanentError } from '../../core/executions/errors.js';
import type { Step } from '../../core/executions/jobs.js';
import { executionPlan, type ExecutionPlan } from '../../core/executions/operation.js';
import { findExecution, type ExecutionRecorder, type ExecutionRow } from '../../core/executions/repository.js';
import type { TxSender } from '../tx-sender.js';

export interface StepContext {
  pool: pg.Pool;
  chain: ChainReader;
  sender: TxSender;
  recorder: ExecutionRecorder;
  logger: Log;
  /** How long to wait before looking at an on-chain vote again. */
  pollIntervalMs: number;
}

export type StepResult =
  /** The step is finished; optionally queue the next one. */
  | { kind: 'done'; note: string; next?: { step: Step; delayMs: number } }
  /** Nothing to do yet: run this same step again after delayMs. */
  | { kind: 'later'; note: string; delayMs: number };

export interface Loaded {
  proposal: ProposalRecord;
  execution: ExecutionRow;
  plan: ExecutionPlan;
}

export async function load(ctx: Pick<StepContext, 'pool'>, proposalId: string): Promise<Loaded> {
  const proposal = await findProposal(ctx.pool, proposalId);
  if (!proposal) throw new PermanentError(`proposal ${proposalId} does not exist`, 'not-found');
  const execution = await findExecution(ctx.pool, proposalId);
  if (!execution) throw new PermanentError(`proposal ${proposalId} has no execution record (it is ${proposal.state})`, 'not-found');
  let plan: ExecutionPlan;
  try {
    plan = executionPlan(proposal);
  } catch (error) {
    throw new PermanentError((error as Error).message, 'not-executable');
  }
  return { proposal, execution, plan };
}

/**
 * Finished on our side: executed or cancelled for good, or failed until an operator retries.
 * Executed or cancelled also drops the step's in-flight transaction record (`key`): a job that comes
 * back after its relayer died can find the execution already recorded from the chain by the reconciler,
 * and nothing else would ever clear the record (it would be reported in flight forever). A failed
 * execution keeps it: an operator retry resumes that transaction instead of sending another.
 */
export async function settled(ctx: Pick<StepContext, 'sender'>, execution: ExecutionRow, key: string): Promise<StepResult | null> {
  if (execution.status === 'executed' || execution.status === 'cancelled') {
    await ctx.sender.forget(key);
    return { kind: 'done', note: `already ${execution.status}` };
  }
  if (execution.status === 'failed') return { kind: 'done', note: `failed (${execution.reason ?? 'no reason'}); waiting for an operator retry` };
  return null;
}

export const etaDate = (seconds: bigint | number) => new Date(Number(seconds) * 1000);

/** Milliseconds until a chain timestamp, measured on the chain's clock (plus a second, so the next block is past it). */
export function untilChainTime(target: bigint | number, headTimestamp: number): number {
  return Math.max(0, (Number(target) - headTimestamp) * 1000 + 1000);
}

export function txKey(proposalId: string, step: Step): string {
  return `${proposalId}:${step}`;
}
