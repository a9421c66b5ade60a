/** Redis connections, opened the same way by the server, the relayer and the operator CLI. */
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config.js';

/** BullMQ workers need maxRetriesPerRequest: null so a Redis restart pauses them instead of failing jobs. */
export function createRedis(config: Pick<Config, 'REDIS_URL'>, options: RedisOptions = {}): Redis {
  // The cast: ioredis' constructor overloads spell replyMapping without `| undefined`, which
  // exactOptionalPropertyTypes then refuses for RedisOptions, ioredis' own type.
  return new Redis(config.REDIS_URL, { lazyConnect: false, ...options } as RedisOptions & { replyMapping?: NonNullable<RedisOptions['replyMapping']> });
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
