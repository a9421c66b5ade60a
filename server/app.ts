/**
 * The govrelay HTTP application. Tests build it directly with buildApp(config); server/main.ts adds
 * listening and graceful shutdown. Plugins are registered in dependency order, and Fastify closes
 * them in reverse: HTTP and WebSockets first, then timers and queues, then Redis and the database.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../core/config.js';
import { AppError } from '../core/errors.js';
import { errorHandler } from './error-handler.js';
import { loggerOptions } from '../core/logger.js';
import inputGuard from './http/input-guard.js';
import { capConnectionsPerIp, httpTimeoutOptions } from './http/timeouts.js';
import database from './plugins/database.js';
import redis from './plugins/redis.js';
import chain from './plugins/chain.js';
import governance from './plugins/governance.js';
import realtime from './plugins/realtime.js';
import notifications from './ideation/plugins/notifications.js';
import discord from './ideation/plugins/discord.js';
import reminders from './reminders/plugin.js';
import metrics from './plugins/metrics.js';
import messageRoutes from './routes/messages.js';
import logRoutes from './routes/log.js';
import spaceRoutes from './routes/spaces.js';
import proposalRoutes from './routes/proposals.js';
import systemRoutes from './routes/system.js';
import reputationRoutes from './routes/reputation.js';
import operatorRoutes from './routes/operator.js';
import webApiRoutes from './routes/web-api.js';
import proposalRulesRoutes from './routes/proposal-rules.js';
import spaceExecutorRoutes from './routes/space-executor.js';
import delegationRoutes from './routes/delegations.js';
import web from './plugins/web.js';

/** logStream: where pino writes (default stdout); tests pass a stream to read the log lines. */
export async function buildApp(config: Config, options: { logStream?: DestinationStream } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { ...loggerOptions(config, 'govrelay-server'), ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: false,
    ...httpTimeoutOptions(config),
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  capConnectionsPerIp(app, config);
  app.setErrorHandler(errorHandler);
  // The API speaks JSON only; anything else gets 415 UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` }));

  await app.register(swagger, {
    openapi: {
      info: { title: 'govrelay', version: '0.1.0', description: 'Signed off-chain votes with on-chain execution. Message formats: docs/messages.md.' },
      tags: [
        { name: 'messages' },
        { name: 'log' },
        { name: 'spaces' },
        { name: 'proposals' },
        { name: 'ideas' },
        { name: 'discord' },
        { name: 'reminders' },
        { name: 'system' },
        { name: 'admin' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(inputGuard);
  await app.register(database, { config });
  await app.register(redis, { config });
  await app.register(chain, { config });
  await app.register(rateLimit, {
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // Counters live in Redis, so the limit holds across every server instance.
    redis: app.redis,
    nameSpace: `${config.REDIS_PREFIX}:ratelimit:`,
    allowList: (request) => request.url === '/health',
    // Redis away: requests go through unlimited rather than fail; votes do not depend on Redis.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', 429, `rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`),
  });
  await app.register(governance, { config });
  await app.register(realtime, { config });
  await app.register(notifications, { config });
  await app.register(discord, { config });
  await app.register(reminders, { config });
  // Before the routes: its hooks time and count every request.
  await app.register(metrics, { config });

  await app.register(messageRoutes);
  await app.register(logRoutes);
  await app.register(spaceRoutes);
  await app.register(proposalRoutes);
  await app.register(systemRoutes, { config });
  await app.register(reputationRoutes, { adminToken: config.ADMIN_TOKEN });
  await app.register(operatorRoutes, { adminToken: config.ADMIN_TOKEN, config });
  await app.register(webApiRoutes);
  await app.register(proposalRulesRoutes);
  await app.register(spaceExecutorRoutes);
  await app.register(delegationRoutes);
  await app.register(web);
  return app;
}
