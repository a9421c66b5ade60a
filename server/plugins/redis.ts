/** The shared Redis command connection (rate limits, pub/sub publishing, small caches). */
import fp from 'fastify-plugin';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config.js';
import { watchRedis, type RedisLog } from '../http/redis-watch.js';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

/**
 * BullMQ workers need maxRetriesPerRequest: null so a Redis restart pauses them instead of failing jobs.
 * Every connection gets an error listener (server/http/redis-watch.ts): without one, ioredis prints
 * each failed reconnect to stderr; with it, an outage is logged once and the recovery once.
 */
export function createRedis(config: Pick<Config, 'REDIS_URL'>, options: RedisOptions = {}, log?: RedisLog): Redis {
  const redis = new Redis(config.REDIS_URL, { lazyConnect: false, ...options });
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

export default fp(
  async (app, opts: { config: Config }) => {
    // Auto-pipelining: commands issued in one event-loop turn go out as one write, and the next
    // group waits for the previous reply. The rate limiter runs a script per request; one socket
    // write each was a tenth of the event loop's time under load (loopback writes are syscalls).
    // While Redis is away, a command fails at once (no offline queue, one retry for a command caught
    // by a dropped connection) and the request answers 503 REDIS_UNAVAILABLE, or goes on without
    // Redis where it is not needed (the rate limit, votes): requests never wait for a reconnect.
    const redis = createRedis(opts.config, { maxRetriesPerRequest: 1, enableAutoPipelining: true }, app.log);
    await redis.ping();
    redis.options.enableOfflineQueue = false;
    app.decorate('redis', redis);
    app.addHook('onClose', async () => closeRedis(redis));
  },
  { name: 'redis' },
);
