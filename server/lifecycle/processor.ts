/**
 * The lifecycle queue's BullMQ processor: a delayed job fires at a proposal's next deadline
 * (BullTransitionScheduler) and runs the engine. Consumed by the server (plugins/governance.ts).
 */
import type pg from 'pg';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Log } from '../../core/logger.js';
import { nextDeadline } from '../../core/lifecycle/state-machine.js';
import { findProposal } from '../../core/proposals/repository.js';
import { QUEUE_NAMES, type LifecycleJobData } from '../../core/queues.js';
import type { LifecycleEngine } from './engine.js';
import { errorLoggedOncePer } from '../../core/redis-watch.js';

/** A timer that fires a little early waits for its deadline instead of being lost. */
const EARLY_FIRE_TOLERANCE_MS = 60_000;

export function lifecycleProcessor(deps: { pool: pg.Pool; engine: Pick<LifecycleEngine, 'process'> }): (job: Job<LifecycleJobData>) => Promise<void> {
  return async (job) => {
    const proposal = await findProposal(deps.pool, job.data.proposalId);
    const due = proposal ? nextDeadline(proposal) : null;
    const wait = due ? due.getTime() - Date.now() : 0;
    if (wait > 0 && wait < EARLY_FIRE_TOLERANCE_MS) await new Promise((r) => setTimeout(r, wait + 5));
    await deps.engine.process(job.data.proposalId, 'schedule');
  };
}

/** The lifecycle worker: eight proposals at a time; a failed job is logged (the sweeper catches up). */
export function startLifecycleWorker(deps: {
  pool: pg.Pool;
  engine: Pick<LifecycleEngine, 'process'>;
  connection: ConnectionOptions;
  prefix: string;
  logger: Log;
}): Worker<LifecycleJobData> {
  const worker = new Worker<LifecycleJobData>(QUEUE_NAMES.lifecycle, lifecycleProcessor(deps), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: 8,
  });
  worker.on('failed', (job, error) => deps.logger.warn({ err: error, jobId: job?.id, proposalId: job?.data.proposalId }, 'lifecycle job failed'));
  worker.on('error', errorLoggedOncePer(deps.logger, 'lifecycle worker'));
  return worker;
}
