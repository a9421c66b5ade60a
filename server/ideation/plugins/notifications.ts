/**
 * Notifications: lifecycle transitions (through a listener on the lifecycle engine) and execution
 * steps (through the events channel, where the relayer publishes them) become jobs on the
 * `notifications` BullMQ queue; the worker posts them to the space's Discord channel and to its
 * generic webhooks. Producers only enqueue, so a slow or failing receiver never slows anything else.
 */
import { errorLoggedOncePer } from '../../../core/redis-watch.js';
import fp from 'fastify-plugin';
import { Queue, type Worker } from 'bullmq';
import type { Config } from '../../../core/config.js';
import { DiscordRest } from '../discord/rest.js';
import { bullPrefix } from '../../../core/queues.js';
import { eventsChannel, type ServerEvent } from '../../../core/realtime/events.js';
import { NOTIFICATIONS_QUEUE, Notifier, type NotificationJobData } from '../notifications/queue.js';
import { createNotificationWorker } from '../notifications/worker.js';
import { closeRedis, closeSubscriber, createRedis } from '../../../core/redis.js';
import { closeQueueComponent } from '../../../core/queue-close.js';
import { publicUrlOf } from './discord.js';
import { powerSpikeListener } from '../../votes/power-spike.js';

export interface Notifications {
  queue: Queue<NotificationJobData>;
  notifier: Notifier;
  worker: Worker<NotificationJobData>;
}

declare module 'fastify' {
  interface FastifyInstance {
    notifications: Notifications;
  }
}

export default fp(
  async (app, opts: { config: Config }) => {
    const { config } = opts;
    const queueConnection = createRedis(config, { maxRetriesPerRequest: null }, app.log);
    const workerConnection = createRedis(config, { maxRetriesPerRequest: null }, app.log);
    const subscriber = createRedis(config, { maxRetriesPerRequest: null }, app.log);
    const prefix = bullPrefix(config.REDIS_PREFIX);
    const queue = new Queue<NotificationJobData>(NOTIFICATIONS_QUEUE, { connection: queueConnection, prefix });
    queue.on('error', errorLoggedOncePer(app.log, 'notification queue'));
    const notifier = new Notifier(queue);
    app.gov.engine.addListener(notifier);
    // After the transition notices: a closed stage's power spikes are listed in its result, then announced.
    app.gov.engine.addListener(
      powerSpikeListener({
        pool: app.db.pool,
        power: app.gov.power,
        provider: app.chain.provider,
        logger: app.log,
        notify: (proposal, stage, report) =>
          notifier.warning({ proposalId: proposal.id, spaceId: proposal.spaceId, kind: 'power-spike', stage, detail: { ...report } }),
      }),
    );

    if (!config.WEBHOOK_SIGNING_SECRET) app.log.info('WEBHOOK_SIGNING_SECRET not set: generic webhooks in space settings are not sent');
    const worker = createNotificationWorker({
      pool: app.db.pool,
      rest: new DiscordRest({ apiBase: config.DISCORD_API_BASE, botToken: config.DISCORD_BOT_TOKEN }),
      queue,
      connection: workerConnection,
      prefix,
      publicUrl: publicUrlOf(config),
      webhookSecret: config.WEBHOOK_SIGNING_SECRET,
      allowPrivateUrls: config.WEBHOOK_ALLOW_PRIVATE_URLS === 'true',
      maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
      backoffMs: config.NOTIFY_BACKOFF_MS,
      logger: app.log,
    });

    // Execution steps published by the relayer on the events channel. Every instance hears them;
    // the job id (one per proposal and status) makes it one notification.
    const channel = eventsChannel(config.REDIS_PREFIX);
    await subscriber.subscribe(channel);
    subscriber.on('message', (_channel: string, raw: string) => {
      let event: ServerEvent;
      try {
        event = JSON.parse(raw) as ServerEvent;
      } catch {
        return;
      }
      if (event.kind !== 'execution' || typeof event.proposalId !== 'string' || typeof event.status !== 'string') return;
      notifier
        .execution({ proposalId: event.proposalId, spaceId: event.spaceId, status: event.status, detail: event.detail })
        .catch((error: unknown) => app.log.warn({ err: error, proposalId: event.proposalId }, 'could not enqueue an execution notification'));
    });

    app.decorate('notifications', { queue, notifier, worker });
    app.addHook('onClose', async () => {
      await closeSubscriber(subscriber, channel, app.log);
      await closeQueueComponent(worker, app.log);
      await closeQueueComponent(queue, app.log);
      await closeRedis(workerConnection, app.log);
      await closeRedis(queueConnection, app.log);
    });
  },
  { name: 'notifications', dependencies: ['database', 'redis', 'governance'] },
);
