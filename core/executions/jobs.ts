/**
 * Execution jobs on the `execution` BullMQ queue. The server adds the intake job (EXECUTION_INTAKE_JOB in core/queues.ts, id
 * `execute-<proposalId>`) when a proposal passes; the relayer turns it into one job per
 * (proposal, step), id `<step>-<proposalId>`, so a step is never queued twice while its job exists:
 *
 *   timelock path: schedule ──▶ timelock-execute (delayed until the operation's ready time)
 *   governor path: governor-propose ──▶ governor-queue (follows the on-chain vote) ──▶ governor-execute (delayed until the ETA)
 *   vetoed by the council (executions.vetoed_at): veto-cancel (the operation is cancelled in the timelock instead)
 *
 * Transient failures retry with exponential backoff and jitter (RELAYER_BACKOFF_MS doubling up to
 * 10 minutes, RELAYER_MAX_ATTEMPTS attempts). Completed and failed jobs are kept, so a step that is
 * done is not re-added by accident; an operator retry removes the failed job first.
 */
import type { Job, Queue } from 'bullmq';
import type { ExecutionJobData } from '../queues.js';
import type { ExecutionStatus } from './repository.js';

export const STEPS = ['schedule', 'timelock-execute', 'governor-propose', 'governor-queue', 'governor-execute', 'veto-cancel'] as const;
export type Step = (typeof STEPS)[number];

export function isStep(name: string): name is Step {
  return (STEPS as readonly string[]).includes(name);
}

export function stepJobId(step: Step, proposalId: string): string {
  return `${step}-${proposalId}`;
}

/** Name of the custom backoff strategy registered by the worker. */
export const BACKOFF_TYPE = 'jittered-exponential';
export const MAX_BACKOFF_MS = 10 * 60_000;

/** Delay before retry `attemptsMade`: base × 2^(attempts-1), capped, then a random 50–100 % of it. */
export function jitteredBackoff(baseMs: number, attemptsMade: number, random = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** The step that moves an execution on, given its status, the proposal's execution mode and whether the council vetoed it. */
export function stepFor(mode: string, status: ExecutionStatus, vetoed = false): Step | null {
  if (vetoed && (status === 'queued' || status === 'voting' || status === 'scheduled')) return 'veto-cancel';
  if (mode === 'timelock') {
    if (status === 'queued') return 'schedule';
    if (status === 'scheduled') return 'timelock-execute';
    return null;
  }
  if (mode === 'governor') {
    if (status === 'queued') return 'governor-propose';
    if (status === 'voting') return 'governor-queue';
    if (status === 'scheduled') return 'governor-execute';
  }
  return null;
}

export class StepQueue {
  constructor(
    readonly queue: Queue<ExecutionJobData>,
    private readonly settings: { attempts: number; backoffMs: number },
  ) {}

  /**
   * Adds the step's job unless it exists. With rerun, a completed job of the step is removed first, so
   * the step runs again: safe, because every step re-reads the chain. A failed job stays: it is the
   * operator's record of the failure, and only an operator retry (operator.ts) removes it.
   */
  async enqueue(step: Step, proposalId: string, delayMs = 0, options: { rerun?: boolean } = {}): Promise<Job<ExecutionJobData>> {
    if (options.rerun) {
      const existing = await this.job(step, proposalId);
      if (existing && (await existing.getState()) === 'completed') await existing.remove();
    }
    return this.queue.add(
      step,
      { proposalId },
      {
        jobId: stepJobId(step, proposalId),
        delay: Math.max(0, Math.round(delayMs)),
        attempts: this.settings.attempts,
        backoff: { type: BACKOFF_TYPE, delay: this.settings.backoffMs },
        removeOnComplete: { age: 90 * 24 * 3600, count: 10_000 },
        removeOnFail: false,
      },
    );
  }

  async job(step: Step, proposalId: string): Promise<Job<ExecutionJobData> | undefined> {
    return this.queue.getJob(stepJobId(step, proposalId));
  }

  /** Runs a delayed step now (the chain's clock reached its time before the wall clock did). */
  async promote(step: Step, proposalId: string): Promise<boolean> {
    const job = await this.job(step, proposalId);
    if (!job || (await job.getState()) !== 'delayed') return false;
    await job.promote();
    return true;
  }

  /** Removes a step's job unless it is running. Returns the state it was in, or null if there was none. */
  async remove(step: Step, proposalId: string): Promise<string | null> {
    const job = await this.job(step, proposalId);
    if (!job) return null;
    const state = await job.getState();
    if (state === 'active') return state;
    await job.remove();
    return state;
  }
}
