/** Redis connections, opened the same way by the server, the relayer and the operator CLI. */
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config.js';
import { watchRedis, type RedisLog } from './redis-watch.js';

/**
 * BullMQ workers need maxRetriesPerRequest: null so a Redis restart pauses them instead of failing jobs.
 * Every connection gets an error listener (core/redis-watch.ts): without one, ioredis prints each
 * failed reconnect to stderr; with it, an outage is logged once and the recovery once.
 */
export function createRedis(config: Pick<Config, 'REDIS_URL'>, options: RedisOptions = {}, log?: RedisLog): Redis {
  // The cast: ioredis' constructor overloads spell replyMapping without `| undefined`, which
  // exactOptionalPropertyTypes then refuses for RedisOptions, ioredis' own type.
  const redis = new Redis(config.REDIS_URL, { lazyConnect: false, ...options } as RedisOptions & { replyMapping?: NonNullable<RedisOptions['replyMapping']> });
  watchRedis(redis, log, options.connectionName);
  return redis;
}

/** Closes an ioredis connection; safe to call twice and on a connection that never connected. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
