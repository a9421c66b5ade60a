/**
 * BullMQ-backed scheduling: delayed jobs fire transitions on time and survive restarts (they live in
 * Redis); passing executable proposals are handed to the relayer through the execution queue.
 */
import type pg from 'pg';
import type { Queue } from 'bullmq';
import { EXECUTION_INTAKE_JOB, executionJobId, type ExecutionJobData, type LifecycleJobData } from '../../core/queues.js';
import { markEnqueued } from '../../core/executions/repository.js';
import type { ExecutionEnqueuer, TransitionScheduler } from './engine.js';

export class BullTransitionScheduler implements TransitionScheduler {
  constructor(private readonly queue: Queue<LifecycleJobData>) {}

  async schedule(proposalId: string, at: Date): Promise<void> {
    await this.queue.add(
      'transition',
      { proposalId },
      {
        // One job per (proposal, deadline): re-scheduling the same deadline is a no-op.
        jobId: `transition-${proposalId}-${at.getTime()}`,
        delay: Math.max(0, at.getTime() - Date.now()),
        attempts: 10,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: true,
        removeOnFail: { count: 1000 },
      },
    );
  }
}

export class BullExecutionEnqueuer implements ExecutionEnqueuer {
  constructor(
    private readonly queue: Queue<ExecutionJobData>,
    private readonly pool: pg.Pool,
  ) {}

  async enqueue(proposalId: string): Promise<void> {
    await this.queue.add(EXECUTION_INTAKE_JOB, { proposalId }, { jobId: executionJobId(proposalId), removeOnComplete: { count: 10_000 }, removeOnFail: false });
    await markEnqueued(this.pool, proposalId);
  }
}
