/**
 * Shutdown steps that wait on Redis, bounded.
 *
 * A BullMQ worker or an ioredis connection caught mid-reconnect can wait forever for an `end` event
 * that never comes (bullmq#4656: a socketless client in `reconnecting`). One such wait once held a
 * whole app's close after a Redis restart (CI, test/server/hardening-outages.test.ts) with no word
 * of which step it was. A step that is late is logged by name, forced, and the shutdown goes on.
 * BullMQ workers and queues close through core/queue-close.ts, which also avoids that wait.
 */
/** What a late step is logged with; pino and Fastify's loggers fit. */
export interface ShutdownLog {
  warn(obj: object, msg: string): void;
}

/** Long enough for a worker to finish a short job; short enough that a stuck close is a log line, not a hang. */
export const CLOSE_STEP_MS = 5_000;

export interface CloseStepOptions {
  /** Called once when the step is late: cut what it waits on (disconnect a client). Its errors are ignored. */
  force?: () => unknown;
  log?: ShutdownLog | undefined;
  ms?: number;
}

/**
 * Runs `close` and waits for it at most `ms`. Returns true when it finished in time, false when it
 * was late (then `force` ran and the step was logged). An error from `close` is passed on.
 */
export async function closeWithin(step: string, close: () => Promise<unknown>, options: CloseStepOptions = {}): Promise<boolean> {
  const ms = options.ms ?? CLOSE_STEP_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    const closed = await Promise.race([close().then(() => true as const), late]);
    if (!closed) {
      options.log?.warn({ step, ms }, 'a shutdown step did not finish in time; it was forced');
      try {
        await options.force?.();
      } catch {
        // Forcing is the last resort of a step already given up on: nothing more to do with its error.
      }
    }
    return closed;
  } finally {
    clearTimeout(timer);
  }
}
