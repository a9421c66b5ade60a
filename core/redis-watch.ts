/**
 * Error listeners for ioredis connections. ioredis emits 'error' on every failed (re)connect; with no
 * listener it prints each one to stderr ("[ioredis] Unhandled error event"), many per second during
 * an outage. Here an outage is logged once when it starts and once when the connection is ready again.
 */
import type { Redis } from 'ioredis';

export interface RedisLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** Without a logger (scripts, the relayer's own connections): one line on stderr per outage and recovery. */
const STDERR_LOG: RedisLog = {
  warn: (obj, msg) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`),
  info: (obj, msg) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`),
};

export function watchRedis(redis: Redis, log: RedisLog = STDERR_LOG, name?: string): void {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: error.message, code: (error as { code?: string }).code }, connection: name }, 'Redis connection lost; reconnecting');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ connection: name }, 'Redis connection restored');
  });
}

/**
 * An 'error' listener for a BullMQ queue or worker: without one BullMQ prints every connection error
 * to stderr. Logs the first error and then at most one per `intervalMs` (each failed reconnect
 * during an outage is an error event).
 */
export function errorLoggedOncePer(log: Pick<RedisLog, 'warn'>, what: string, intervalMs = 60_000): (error: Error) => void {
  let lastAt = -Infinity;
  let suppressed = 0;
  return (error: Error) => {
    const now = Date.now();
    if (now - lastAt < intervalMs) {
      suppressed++;
      return;
    }
    log.warn({ err: { message: error.message, code: (error as { code?: string }).code }, suppressedSinceLast: suppressed }, `${what} error`);
    lastAt = now;
    suppressed = 0;
  };
}
