/**
 * Email reminders: the `reminders` queue and its worker, a listener on the lifecycle engine (new
 * proposals, stages opening and closing), the hook that queues a Subscribe's confirmation, and the
 * email links' routes. Off while SMTP_URL is unset: Subscribe answers 503 REMINDERS_DISABLED, the
 * link routes still work (an unsubscribe must always be possible), and nothing is queued.
 */
import fp from 'fastify-plugin';
import { Queue, type Worker } from 'bullmq';
import type { Config } from '../../core/config.js';
import { bullPrefix } from '../../core/queues.js';
import { closeRedis, createRedis } from '../../core/redis.js';
import { errorLoggedOncePer } from '../../core/redis-watch.js';
import { publicUrlOf } from '../ideation/plugins/discord.js';
import { createMailer } from './mailer.js';
import { REMINDERS_QUEUE, ReminderScheduler, type ReminderJobData } from './queue.js';
import reminderRoutes from './routes.js';
import { createReminderWorker, type Outcome } from './worker.js';

export interface Reminders {
  queue: Queue<ReminderJobData>;
  scheduler: ReminderScheduler;
  worker: Worker<ReminderJobData, Outcome>;
}

declare module 'fastify' {
  interface FastifyInstance {
    reminders: Reminders | null;
  }
}

export default fp(
  async (app, opts: { config: Config }) => {
    const { config } = opts;
    let reminders: Reminders | null = null;
    await app.register(reminderRoutes, { scheduler: () => reminders?.scheduler ?? null });
    app.decorate('reminders', null);
    if (!config.SMTP_URL) {
      app.log.info('SMTP_URL not set: email reminders are off (Subscribe answers 503 REMINDERS_DISABLED)');
      return;
    }
    const queueConnection = createRedis(config, { maxRetriesPerRequest: null }, app.log);
    const workerConnection = createRedis(config, { maxRetriesPerRequest: null }, app.log);
    const prefix = bullPrefix(config.REDIS_PREFIX);
    const queue = new Queue<ReminderJobData>(REMINDERS_QUEUE, { connection: queueConnection, prefix });
    queue.on('error', errorLoggedOncePer(app.log, 'reminders queue'));
    const scheduler = new ReminderScheduler(queue, config.NOTIFY_MAX_ATTEMPTS);
    const mailer = createMailer(config.SMTP_URL, config.MAIL_FROM);
    const worker = createReminderWorker({
      pool: app.db.pool,
      mailer,
      scheduler,
      connection: workerConnection,
      prefix,
      links: { publicUrl: publicUrlOf(config) },
      logger: app.log,
    });
    app.gov.engine.addListener(scheduler);
    app.gov.reminderHooks.confirmationCreated = (subscriptionId) => scheduler.add({ kind: 'confirm', subscriptionId });
    reminders = { queue, scheduler, worker };
    app.reminders = reminders;

    app.addHook('onClose', async () => {
      delete app.gov.reminderHooks.confirmationCreated;
      await worker.close();
      await queue.close();
      mailer.close();
      await closeRedis(workerConnection);
      await closeRedis(queueConnection);
    });
  },
  { name: 'reminders', dependencies: ['database', 'redis', 'governance'] },
);
