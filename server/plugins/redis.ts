/** The shared Redis command connection (rate limits, pub/sub publishing, small caches). */
import fp from 'fastify-plugin';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../../core/config.js';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

/** BullMQ workers need maxRetriesPerRequest: null so a Redis restart pauses them instead of failing jobs. */
export function createRedis(config: Pick<Config, 'REDIS_URL'>, options: RedisOptions = {}): Redis {
  return new Redis(config.REDIS_URL, { lazyConnect: false, ...options });
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
    const redis = createRedis(opts.config, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
    await redis.ping();
    app.decorate('redis', redis);
    app.addHook('onClose', async () => closeRedis(redis));
  },
  { name: 'redis' },
);
