/**
 * The notification worker: fans each event out into one delivery job per destination, then
 * delivers them. Retry policy, per delivery:
 *   - Discord 429: wait exactly its retry_after (the job's next attempt is delayed by it);
 *   - a generic webhook's 429: wait its Retry-After;
 *   - 5xx, timeouts, network errors: exponential backoff with jitter (NOTIFY_BACKOFF_MS doubling,
 *     at most 10 minutes), up to NOTIFY_MAX_ATTEMPTS;
 *   - other 4xx, refused URLs, missing configuration: fail at once (UnrecoverableError).
 * Delivery is at least once (BullMQ); receivers deduplicate on the event id.
 */
import { errorLoggedOncePer } from '../../../core/redis-watch.js';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import type { Log } from '../../../core/logger.js';
import { DiscordApiError, DiscordRateLimitError, type DiscordRest } from '../discord/rest.js';
import { findIdea } from '../ideas/repository.js';
import { findProposal } from '../../../core/proposals/repository.js';
import { postToDiscordChannel } from './discord-sender.js';
import { PermanentDeliveryError, RetryAfterError } from './errors.js';
import { KEEP_JOBS, NOTIFICATIONS_QUEUE, type Destination, type NotificationJobData } from './queue.js';
import { discordNotification, webhookPayload } from './render.js';
import { postWebhook, spaceWebhookSecret } from './webhook-sender.js';
import { findSpaceSettings } from '../../../core/db/spaces.js';

export const BACKOFF_TYPE = 'govrelay-notify';
const MAX_BACKOFF_MS = 10 * 60_000;

export interface NotificationWorkerDeps {
  pool: pg.Pool;
  rest: DiscordRest;
  queue: Queue<NotificationJobData>;
  connection: Redis;
  prefix: string;
  publicUrl: string;
  webhookSecret: string | undefined;
  allowPrivateUrls: boolean;
  maxAttempts: number;
  backoffMs: number;
  logger: Log;
  concurrency?: number;
}

/** Milliseconds before the next attempt of a failed delivery. */
export function retryDelay(attemptsMade: number, error: unknown, backoffMs: number): number {
  if (error instanceof DiscordRateLimitError || error instanceof RetryAfterError) return error.retryAfterMs;
  const exponential = Math.min(backoffMs * 2 ** Math.max(0, attemptsMade - 1), MAX_BACKOFF_MS);
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

async function fanOut(deps: NotificationWorkerDeps, data: Extract<NotificationJobData, { kind: 'event' }>): Promise<number> {
  const { event } = data;
  const proposal = await findProposal(deps.pool, event.proposalId);
  if (!proposal) return 0;
  const settings = await findSpaceSettings(deps.pool, proposal.spaceId);
  if (!settings) return 0;
  const idea = proposal.ideaId ? await findIdea(deps.pool, proposal.ideaId) : null;
  const ctx = { proposal, settings, idea, publicUrl: deps.publicUrl };

  const deliveries: { key: string; destination: Destination }[] = [];
  const discord = settings.discord;
  if (discord?.channelId) {
    deliveries.push({
      key: 'discord',
      destination: {
        kind: 'discord',
        spaceId: proposal.spaceId,
        guildId: discord.guildId,
        channelId: discord.channelId,
        message: discordNotification(event, ctx),
      },
    });
  }
  const webhooks = (settings.webhooks ?? []).filter((hook) => !hook.events || (hook.events as string[]).includes(event.type));
  if (webhooks.length > 0) {
    const body = JSON.stringify(webhookPayload(event, ctx));
    for (const hook of webhooks) {
      deliveries.push({
        key: `w${createHash('sha256').update(hook.url).digest('hex').slice(0, 16)}`,
        destination: { kind: 'webhook', spaceId: proposal.spaceId, url: hook.url, body },
      });
    }
  }
  await deps.queue.addBulk(
    deliveries.map(({ key, destination }) => ({
      name: 'deliver',
      data: { kind: 'deliver' as const, eventId: event.id, eventType: event.type, destination },
      opts: { jobId: `d-${event.id}-${key}`, attempts: deps.maxAttempts, backoff: { type: BACKOFF_TYPE }, ...KEEP_JOBS },
    })),
  );
  return deliveries.length;
}

async function deliver(deps: NotificationWorkerDeps, data: Extract<NotificationJobData, { kind: 'deliver' }>): Promise<void> {
  const { destination } = data;
  if (destination.kind === 'discord') {
    await postToDiscordChannel(deps, destination, destination.message);
    return;
  }
  if (!deps.webhookSecret) throw new PermanentDeliveryError('WEBHOOK_SIGNING_SECRET is not set: generic webhooks are not sent');
  await postWebhook({
    url: destination.url,
    body: destination.body,
    eventId: data.eventId,
    eventType: data.eventType,
    secret: spaceWebhookSecret(deps.webhookSecret, destination.spaceId),
    allowPrivate: deps.allowPrivateUrls,
  });
}

export function createNotificationWorker(deps: NotificationWorkerDeps): Worker<NotificationJobData> {
  const worker = new Worker<NotificationJobData>(
    NOTIFICATIONS_QUEUE,
    async (job: Job<NotificationJobData>) => {
      try {
        if (job.data.kind === 'event') return await fanOut(deps, job.data);
        await deliver(deps, job.data);
        return undefined;
      } catch (error) {
        const permanent = (error instanceof PermanentDeliveryError || error instanceof DiscordApiError) && !error.retryable;
        if (permanent) throw new UnrecoverableError((error as Error).message);
        throw error;
      }
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency ?? 4,
      settings: { backoffStrategy: (attemptsMade, _type, error) => retryDelay(attemptsMade, error, deps.backoffMs) },
    },
  );
  worker.on('failed', (job, error) => {
    const where = job?.data.kind === 'deliver' ? job.data.destination.kind : 'fan-out';
    deps.logger.warn(
      { jobId: job?.id, attemptsMade: job?.attemptsMade, destination: where, err: { message: error.message, name: error.name } },
      'notification attempt failed',
    );
  });
  worker.on('error', errorLoggedOncePer(deps.logger, 'notification worker'));
  return worker;
}
