/**
 * Work that continues after an interaction was answered (deferred responses): Discord needs an
 * answer within 3 seconds, and the rest (reading voting power, posting the message, starting the
 * thread) follows through the interaction token, valid for 15 minutes. Tasks run in this process;
 * the plugin waits for them on close. A task that fails is logged, and its user is told when possible.
 */
import type { Log } from '../../../core/logger.js';

export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Log) {}

  run(name: string, work: () => Promise<void>): void {
    const task: Promise<void> = work()
      .catch((error: unknown) => this.logger.warn({ err: error, task: name }, 'Discord background task failed'))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves when every task started so far (and any they start) has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
