/**
 * The safety net under the timers: finds proposals whose transition is overdue (a timer lost with
 * Redis, or the server was down at the deadline) and passing proposals not yet handed to the
 * relayer, and catches them up. Runs at start and then periodically.
 */
import type pg from 'pg';
import type { Log } from '../../core/logger.js';
import { findDueProposals } from '../../core/lifecycle/state-machine.js';
import { findUnenqueued } from '../../core/executions/repository.js';
import { errorLoggedOncePer } from '../../core/redis-watch.js';
import { dependencyError } from '../http/dependency-errors.js';
import type { ExecutionEnqueuer, LifecycleEngine } from './engine.js';

export class LifecycleSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** A sweep that fails because PostgreSQL or Redis is away fails every interval until it is back: one warning a minute, not an error a second. */
  private readonly dependencyAway: (error: Error) => void;

  constructor(private readonly deps: { pool: pg.Pool; engine: LifecycleEngine; execution: ExecutionEnqueuer; intervalMs: number; logger: Log }) {
    this.dependencyAway = errorLoggedOncePer(deps.logger, 'lifecycle sweep (a dependency is away; retried every interval)');
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => {
          if (dependencyError(error)) this.dependencyAway(error as Error);
          else this.deps.logger.error({ err: error }, 'lifecycle sweep failed');
        })
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.deps.intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async sweep(): Promise<number> {
    const due = await findDueProposals(this.deps.pool, new Date());
    for (const id of due) await this.deps.engine.process(id, 'sweep');
    const unenqueued = await findUnenqueued(this.deps.pool, 100);
    for (const proposalId of unenqueued) await this.deps.execution.enqueue(proposalId);
    return due.length + unenqueued.length;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
