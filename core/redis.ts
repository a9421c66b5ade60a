/** Redis connections, opened the same way by the server, the relayer and the operator CLI. */
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config.js';
import { watchRedis, type RedisLog } from './redis-watch.js';
import { closeWithin, type ShutdownLog } from './shutdown.js';

/**
 * Reconnect attempts back off from 50 ms, doubling, to at most this, plus up to 100 ms of jitter.
 * ioredis' own cap is 5 s: after an outage a connection could wait that long to notice Redis is back,
 * and a BullMQ worker closed in that wait never finishes closing (core/queue-close.ts).
 */
export const RECONNECT_MAX_DELAY_MS = 1_000;

export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt - 1, 10), RECONNECT_MAX_DELAY_MS) + Math.floor(Math.random() * 100);
}

/** QUIT is answered at once by a live Redis; longer means the connection is not coming back. */
const QUIT_WAIT_MS = 2_000;

/** UNSUBSCRIBE waits for a socket like any command; the subscriber is disconnected right after anyway. */
const UNSUBSCRIBE_WAIT_MS = 2_000;

/**
 * BullMQ workers need maxRetriesPerRequest: null so a Redis restart pauses them instead of failing jobs.
 * Every connection gets an error listener (core/redis-watch.ts): without one, ioredis prints each
 * failed reconnect to stderr; with it, an outage is logged once and the recovery once.
 */
export function createRedis(config: Pick<Config, 'REDIS_URL'>, options: RedisOptions = {}, log?: RedisLog): Redis {
  // The cast: ioredis' constructor overloads spell replyMapping without `| undefined`, which
  // exactOptionalPropertyTypes then refuses for RedisOptions, ioredis' own type.
  const redis = new Redis(config.REDIS_URL, { lazyConnect: false, retryStrategy: reconnectDelay, ...options } as RedisOptions & {
    replyMapping?: NonNullable<RedisOptions['replyMapping']>;
  });
  watchRedis(redis, log, options.connectionName);
  return redis;
}

/**
 * Closes an ioredis connection; safe to call twice and on a connection that never connected.
 * QUIT lets Redis answer what was sent before it; a connection stuck reconnecting would hold it
 * forever (the command waits for a socket), so after QUIT_WAIT_MS it is disconnected instead.
 */
export async function closeRedis(redis: Redis, log?: ShutdownLog): Promise<void> {
  if (redis.status === 'end') return;
  await closeWithin(`quit Redis${redis.options.connectionName ? ` ${redis.options.connectionName}` : ''}`, () => redis.quit().catch(() => redis.disconnect()), {
    ms: QUIT_WAIT_MS,
    log,
    force: () => redis.disconnect(),
  });
}

/** Closes a pub/sub subscriber: UNSUBSCRIBE from its channel (bounded like QUIT), then closeRedis. */
export async function closeSubscriber(subscriber: Redis, channel: string, log?: ShutdownLog): Promise<void> {
  await closeWithin(`unsubscribe ${channel}`, () => subscriber.unsubscribe(channel).catch(() => undefined), { log, ms: UNSUBSCRIBE_WAIT_MS });
  await closeRedis(subscriber, log);
}
