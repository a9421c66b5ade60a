/**
 * Reminders: the `reminders` queue and its worker, a listener on the lifecycle engine (new
 * proposals, stages opening and closing), the hook that queues a Subscribe's confirmation, the hook
 * of Discord's "Remind me by DM" button, and the email links' routes. Emails are off while SMTP_URL
 * is unset (Subscribe answers 503 REMINDERS_DISABLED; the link routes still work: an unsubscribe
 * must always be possible); direct messages are off without DISCORD_BOT_TOKEN; with neither, nothing
 * is queued.
 */
import fp from 'fastify-plugin';
import { Queue, type Worker } from 'bullmq';
import type { Config } from '../../core/config.js';
import { bullPrefix } from '../../core/queues.js';
import { closeRedis, createRedis } from '../../core/redis.js';
import { closeQueueComponent } from '../../core/queue-close.js';
import { errorLoggedOncePer } from '../../core/redis-watch.js';
import { publicUrlOf } from '../ideation/plugins/discord.js';
import { createMailer } from './mailer.js';
import { addDiscordReminder, discordReminderHours, openDiscordReminders, setDiscordReminderHours } from './discord-reminders.js';
import { DEFAULT_CLOSING_HOURS } from './subscribe-handler.js';
import { DiscordRest } from '../ideation/discord/rest.js';
import { findProposal } from '../../core/proposals/repository.js';
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
    if (!config.SMTP_URL) app.log.info('SMTP_URL not set: email reminders are off (Subscribe answers 503 REMINDERS_DISABLED)');
    if (!config.SMTP_URL && !config.DISCORD_BOT_TOKEN) return;
    const queueConnection = createRedis(config, { maxRetriesPerRequest: null }, app.log);
    const workerConnection = createRedis(config, { maxRetriesPerRequest: null }, app.log);
    const prefix = bullPrefix(config.REDIS_PREFIX);
    const queue = new Queue<ReminderJobData>(REMINDERS_QUEUE, { connection: queueConnection, prefix });
    queue.on('error', errorLoggedOncePer(app.log, 'reminders queue'));
    const scheduler = new ReminderScheduler(queue, config.NOTIFY_MAX_ATTEMPTS);
    const mailer = config.SMTP_URL ? createMailer(config.SMTP_URL, config.MAIL_FROM) : null;
    const discord = config.DISCORD_BOT_TOKEN ? new DiscordRest({ apiBase: config.DISCORD_API_BASE, botToken: config.DISCORD_BOT_TOKEN }) : null;
    const worker = createReminderWorker({
      pool: app.db.pool,
      mailer,
      discord,
      scheduler,
      connection: workerConnection,
      prefix,
      links: { publicUrl: publicUrlOf(config) },
      logger: app.log,
    });
    // Email events only: a direct message is planned when its member presses the button.
    if (mailer) app.gov.engine.addListener(scheduler);
    if (mailer) app.gov.reminderHooks.confirmationCreated = (subscriptionId) => scheduler.add({ kind: 'confirm', subscriptionId });
    if (discord) {
      // The job for the member's N, due N hours before the close (now, when that is already past).
      const planDm = async (input: { discordUserId: string; proposalId: string; stage: number }, hours: number, replace: boolean) => {
        const proposal = await findProposal(app.db.pool, input.proposalId);
        const end = input.stage === 1 ? proposal?.temperatureEnd : proposal?.consensusEnd;
        if (!end) return;
        const data = { kind: 'dm' as const, ...input, hours };
        const delay = Math.max(0, end.getTime() - hours * 3_600_000 - Date.now());
        await (replace ? scheduler.replace(data, delay) : scheduler.add(data, delay));
      };
      app.gov.reminderHooks.discordOptIn = async (input) => {
        await addDiscordReminder(app.db.pool, input);
        const hours = (await discordReminderHours(app.db.pool, input.discordUserId)) ?? DEFAULT_CLOSING_HOURS;
        await planDm(input, hours, false);
        return hours;
      };
      app.gov.reminderHooks.discordHours = async ({ discordUserId, hours }) => {
        await setDiscordReminderHours(app.db.pool, discordUserId, hours);
        const open = await openDiscordReminders(app.db.pool, discordUserId);
        for (const reminder of open) await planDm({ discordUserId, ...reminder }, hours, true);
        return open.length;
      };
    }
    reminders = { queue, scheduler, worker };
    app.reminders = reminders;

    app.addHook('onClose', async () => {
      delete app.gov.reminderHooks.confirmationCreated;
      delete app.gov.reminderHooks.discordOptIn;
      delete app.gov.reminderHooks.discordHours;
      await closeQueueComponent(worker, app.log);
      await closeQueueComponent(queue, app.log);
      mailer?.close();
      await closeRedis(workerConnection, app.log);
      await closeRedis(queueConnection, app.log);
    });
  },
  { name: 'reminders', dependencies: ['database', 'redis', 'governance'] },
);
