/** The shared Redis command connection (rate limits, pub/sub publishing, small caches), opened by core/redis.ts. */
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Config } from '../../core/config.js';
import { closeRedis, createRedis } from '../../core/redis.js';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

/** Every command on this connection is answered within a few milliseconds when Redis is up. */
const REDIS_COMMAND_TIMEOUT_MS = 5000;

export default fp(
  async (app, opts: { config: Config }) => {
    // Auto-pipelining: commands issued in one event-loop turn go out as one write, and the next
    // group waits for the previous reply. The rate limiter runs a script per request; one socket
    // write each was a tenth of the event loop's time under load (loopback writes are syscalls).
    // While Redis is away, a command fails at once (no offline queue, one retry for a command caught
    // by a dropped connection) and the request answers 503 REDIS_UNAVAILABLE, or goes on without
    // Redis where it is not needed (the rate limit, votes): requests never wait for a reconnect.
    // commandTimeout bounds the rest: a command whose reply never comes (its connection dropped
    // mid-flight) fails after it instead of holding its request.
    const redis = createRedis(opts.config, { maxRetriesPerRequest: 1, enableAutoPipelining: true, commandTimeout: REDIS_COMMAND_TIMEOUT_MS }, app.log);
    await redis.ping();
    redis.options.enableOfflineQueue = false;
    app.decorate('redis', redis);
    app.addHook('onClose', async () => closeRedis(redis, app.log));
  },
  { name: 'redis' },
);
