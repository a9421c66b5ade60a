/**
 * The BullMQ worker on the execution queue. It turns the server's intake job into the proposal's
 * first step, runs steps (relayer/steps/*), queues the next step (delayed until the operation's ready
 * time where there is one), re-runs a step later when the chain is not there yet (the job moves itself
 * to delayed, keeping its id), and maps errors:
 * - PermanentError: the execution is marked failed with the reason; UnrecoverableError, no retry;
 * - TransientError: retried with jittered exponential backoff; after the last attempt the execution is
 *   marked failed ("gave up after N attempts: …"), and an operator can retry it.
 */
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { EXECUTION_INTAKE_JOB, QUEUE_NAMES, type ExecutionJobData } from '../core/queues.js';
import { classifyError, PermanentError, toJobError } from '../core/executions/errors.js';
import { isStep, jitteredBackoff, stepFor, type Step, type StepQueue } from '../core/executions/jobs.js';
import { closeQueueComponent } from '../core/queue-close.js';
import { load, type StepContext, type StepResult } from './steps/context.js';
import { governorExecuteStep, governorProposeStep, governorQueueStep } from './steps/governor.js';
import { scheduleStep, timelockExecuteStep } from './steps/timelock.js';
import { vetoCancelStep } from './steps/veto.js';

/**
 * How long a close waits for running steps. Their chain waits end early on shutdown, so this is only
 * reached when BullMQ's close itself is stuck (core/queue-close.ts); a step cut here is taken over
 * as stalled and re-reads the chain, so nothing is sent twice.
 */
const EXECUTION_CLOSE_MS = 30_000;

const STEP_HANDLERS: Record<Step, (ctx: StepContext, proposalId: string) => Promise<StepResult>> = {
  schedule: scheduleStep,
  'timelock-execute': timelockExecuteStep,
  'governor-propose': governorProposeStep,
  'governor-queue': governorQueueStep,
  'governor-execute': governorExecuteStep,
  'veto-cancel': vetoCancelStep,
};

export interface WorkerSettings {
  concurrency: number;
  backoffMs: number;
  attempts: number;
  prefix: string;
  /** BullMQ lockDuration and stalledInterval (RELAYER_JOB_LOCK_MS; BullMQ's default is 30 s). */
  lockMs?: number;
}

export class ExecutionWorker {
  private worker: Worker<ExecutionJobData> | undefined;
  private closing: Promise<void> | undefined;
  /** Failed job attempts since this process started, by job name (transient and permanent alike): the metrics' failure counter. */
  readonly failures = new Map<string, number>();

  constructor(
    private readonly deps: { connection: Redis; steps: StepQueue; ctx: StepContext; logger: Logger; settings: WorkerSettings; shuttingDown?: () => boolean },
  ) {}

  start(): void {
    if (this.worker) return;
    const { settings } = this.deps;
    this.worker = new Worker<ExecutionJobData>(QUEUE_NAMES.execution, (job, token) => this.process(job, token), {
      connection: this.deps.connection,
      prefix: settings.prefix,
      concurrency: settings.concurrency,
      // A relayer killed mid-step leaves its job stalled; another relayer (or this one, restarted) takes
      // it over. Steps re-read the chain, so a taken-over job never sends twice.
      maxStalledCount: 10,
      // How soon that happens: the lock must expire, then a stalled check must see the job twice.
      ...(settings.lockMs ? { lockDuration: settings.lockMs, stalledInterval: settings.lockMs } : {}),
      settings: { backoffStrategy: (attemptsMade: number) => jitteredBackoff(settings.backoffMs, attemptsMade) },
    });
    this.worker.on('error', (error) => this.deps.logger.warn({ err: error }, 'execution worker error'));
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      this.failures.set(job.name, (this.failures.get(job.name) ?? 0) + 1);
      this.deps.logger.warn(
        { proposalId: job.data.proposalId, jobId: job.id, step: job.name, attemptsMade: job.attemptsMade, err: error.message },
        'execution job failed',
      );
    });
  }

  /** True while the BullMQ worker is started and not closed (health). */
  isRunning(): boolean {
    return this.worker?.isRunning() ?? false;
  }

  /** Exposed for tests: one job through the same path the worker uses. */
  async process(job: Job<ExecutionJobData>, token?: string): Promise<string> {
    const proposalId = job.data.proposalId;
    const logger = this.deps.logger.child({ proposalId, jobId: job.id, step: job.name });
    const ctx: StepContext = { ...this.deps.ctx, logger };
    if (job.name === EXECUTION_INTAKE_JOB) return this.intake(ctx, proposalId);
    if (!isStep(job.name)) throw toJobError(new PermanentError(`unknown job ${job.name}`, 'unknown-job'));

    let result: StepResult;
    try {
      result = await STEP_HANDLERS[job.name](ctx, proposalId);
    } catch (error) {
      const classified = classifyError(error);
      const attempts = job.opts.attempts ?? 1;
      if (this.deps.shuttingDown?.()) {
        // Interrupted by shutdown: the job is retried later and resumes its transaction; nothing failed.
        logger.info({ reason: classified.message }, 'step interrupted by shutdown');
      } else if (classified instanceof PermanentError) {
        logger.warn({ reason: classified.message, code: classified.code }, 'step failed permanently');
        await this.deps.ctx.recorder.failed(proposalId, `${classified.code}: ${classified.message}`);
      } else if (job.attemptsMade + 1 >= attempts) {
        logger.warn({ reason: classified.message }, 'step gave up after its last attempt');
        await this.deps.ctx.recorder.failed(proposalId, `gave up after ${attempts} attempts: ${classified.message}`);
      } else {
        logger.info({ reason: classified.message, attempt: job.attemptsMade + 1, of: attempts }, 'step failed; will retry');
      }
      throw toJobError(classified);
    }

    if (result.kind === 'later') {
      logger.debug({ note: result.note, delayMs: result.delayMs }, 'step not due yet');
      await job.moveToDelayed(Date.now() + result.delayMs, token);
      throw new DelayedError(result.note);
    }
    if (result.next) await this.deps.steps.enqueue(result.next.step, proposalId, result.next.delayMs, { rerun: true });
    logger.info({ note: result.note, next: result.next?.step, nextInMs: result.next?.delayMs }, 'step done');
    return result.note;
  }

  /** The server's job: start the proposal's pipeline at the step its status calls for. */
  private async intake(ctx: StepContext, proposalId: string): Promise<string> {
    let loaded;
    try {
      loaded = await load(ctx, proposalId);
    } catch (error) {
      const classified = classifyError(error);
      if (classified instanceof PermanentError) await this.deps.ctx.recorder.failed(proposalId, `${classified.code}: ${classified.message}`);
      throw toJobError(classified);
    }
    const step = stepFor(loaded.plan.mode, loaded.execution.status, loaded.execution.vetoedAt !== null);
    if (!step) return `nothing to start (execution ${loaded.execution.status})`;
    await this.deps.steps.enqueue(step, proposalId);
    ctx.logger.info({ next: step }, 'execution started');
    return `started ${step}`;
  }

  /** Stops taking jobs and waits for running ones (their chain waits end early on shutdown). Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.worker) await closeQueueComponent(this.worker, this.deps.logger, EXECUTION_CLOSE_MS);
    })();
    return this.closing;
  }
}
