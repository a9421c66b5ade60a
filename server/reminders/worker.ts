/**
 * The reminders worker. Everything that decides whether an email goes out is read when its job
 * runs, from committed rows: the subscription must be confirmed and still ask for the event, a
 * closing reminder's stage must still be open and the subscriber must have no vote in it. Then the
 * email's key is claimed in email_deliveries and the email handed to SMTP; a refused email
 * releases its claim so the retry can send it.
 *
 * Delivery is at most once per key: a process that dies between the claim and SMTP's answer loses
 * that email rather than risk sending it twice (the rule is that nothing is sent twice).
 */
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Log } from '../../core/logger.js';
import { GovrelayError } from '../../core/errors.js';
import { errorLoggedOncePer } from '../../core/redis-watch.js';
import { findProposal, type ProposalRecord } from '../../core/proposals/repository.js';
import { findStageResult } from '../../core/db/stage-results.js';
import { hasVoted } from '../../core/db/votes.js';
import { claimDelivery, releaseDelivery } from './deliveries.js';
import { closingEmail, confirmationEmail, newProposalEmail, proposalPageUrl, resultsEmail, type Email, type Links } from './emails.js';
import { MailRefusedError, type Mailer } from './mailer.js';
import { discordReminderHours, hasDiscordReminder } from './discord-reminders.js';
import type { DiscordRest } from '../ideation/discord/rest.js';
import { linkedAddress } from '../ideation/links/link-service.js';
import { DEFAULT_CLOSING_HOURS } from './subscribe-handler.js';
import { directMessageKey, reminderJobId, REMINDERS_QUEUE, type ReminderJobData, type ReminderScheduler } from './queue.js';
import { confirmedSubscriptions, findSubscription, type SubscriptionRecord } from './subscriptions.js';

export interface ReminderWorkerDeps {
  pool: pg.Pool;
  /** Null without SMTP_URL (no email job is ever queued then). */
  mailer: Mailer | null;
  /** Null without DISCORD_BOT_TOKEN (no direct-message job is ever queued then). */
  discord: DiscordRest | null;
  scheduler: ReminderScheduler;
  connection: Redis;
  prefix: string;
  links: Links;
  logger: Log;
  concurrency?: number;
}

/** What a job did, as its return value (visible in the queue, and to tests). */
export type Outcome = 'sent' | 'already-sent' | 'skipped' | `planned ${number}`;

function stageWindow(proposal: ProposalRecord, stage: number): { state: string; end: Date | null } {
  return stage === 1 ? { state: 'temperature', end: proposal.temperatureEnd } : { state: 'consensus', end: proposal.consensusEnd };
}

async function deliver(deps: ReminderWorkerDeps, key: string, sub: SubscriptionRecord, proposalId: string | null, email: Email): Promise<Outcome> {
  if (!(await claimDelivery(deps.pool, { key, subscriptionId: sub.id, kind: key.split('-')[0]!, proposalId }))) return 'already-sent';
  if (!deps.mailer) throw new MailRefusedError('SMTP_URL is not set: no emails', { retryable: false });
  try {
    await deps.mailer.send(sub.email, email);
  } catch (error) {
    await releaseDelivery(deps.pool, key);
    throw error;
  }
  return 'sent';
}

async function plan(deps: ReminderWorkerDeps, data: Extract<ReminderJobData, { kind: 'plan-closing' }>): Promise<Outcome> {
  const proposal = await findProposal(deps.pool, data.proposalId);
  if (!proposal) return 'skipped';
  const { state, end } = stageWindow(proposal, data.stage);
  if (proposal.state !== state || !end || end.getTime() <= Date.now()) return 'skipped';
  let subs: SubscriptionRecord[];
  if (data.subscriptionId) {
    const sub = await findSubscription(deps.pool, data.subscriptionId);
    subs = sub && sub.status === 'confirmed' && sub.spaceId === proposal.spaceId && sub.events.includes('closing') ? [sub] : [];
  } else {
    subs = await confirmedSubscriptions(deps.pool, proposal.spaceId, 'closing');
  }
  const now = Date.now();
  await deps.scheduler.addMany(
    subs.map((sub) => ({
      data: { kind: 'send', event: 'closing', proposalId: proposal.id, stage: data.stage, subscriptionId: sub.id },
      delayMs: Math.max(0, end.getTime() - sub.closingHours * 3_600_000 - now),
    })),
  );
  return `planned ${subs.length}`;
}

async function fanOut(deps: ReminderWorkerDeps, data: Extract<ReminderJobData, { kind: 'fan-out' }>): Promise<Outcome> {
  const proposal = await findProposal(deps.pool, data.proposalId);
  if (!proposal) return 'skipped';
  const subs = await confirmedSubscriptions(deps.pool, proposal.spaceId, data.event);
  await deps.scheduler.addMany(
    subs.map((sub) => ({ data: { kind: 'send', event: data.event, proposalId: proposal.id, stage: data.stage, subscriptionId: sub.id } })),
  );
  return `planned ${subs.length}`;
}

async function send(deps: ReminderWorkerDeps, data: Extract<ReminderJobData, { kind: 'send' }>): Promise<Outcome> {
  const sub = await findSubscription(deps.pool, data.subscriptionId);
  if (!sub || sub.status !== 'confirmed' || !sub.events.includes(data.event)) return 'skipped';
  const proposal = await findProposal(deps.pool, data.proposalId);
  if (!proposal || proposal.spaceId !== sub.spaceId) return 'skipped';
  const key = reminderJobId(data);
  if (data.event === 'proposal') return deliver(deps, key, sub, proposal.id, newProposalEmail(sub, deps.links, key, proposal));
  if (data.event === 'results') {
    const result = await findStageResult(deps.pool, proposal.id, data.stage);
    if (!result) return 'skipped';
    return deliver(deps, key, sub, proposal.id, resultsEmail(sub, deps.links, key, proposal, result));
  }
  const { state, end } = stageWindow(proposal, data.stage);
  if (proposal.state !== state || !end || end.getTime() <= Date.now()) return 'skipped';
  if (await hasVoted(deps.pool, proposal.id, data.stage, sub.subscriber)) return 'skipped';
  return deliver(deps, key, sub, proposal.id, closingEmail(sub, deps.links, key, proposal, data.stage, end));
}

async function confirm(deps: ReminderWorkerDeps, data: Extract<ReminderJobData, { kind: 'confirm' }>): Promise<Outcome> {
  const sub = await findSubscription(deps.pool, data.subscriptionId);
  if (!sub || sub.status !== 'pending') return 'skipped';
  const key = reminderJobId(data);
  return deliver(deps, key, sub, null, confirmationEmail(sub, deps.links, key));
}

/**
 * "Remind me by DM": the same rule as the closing email, for the wallet linked to the Discord user when
 * it is due. A job planned for an N the member has changed since sends nothing (the job for the new N does).
 */
async function directMessage(deps: ReminderWorkerDeps, data: Extract<ReminderJobData, { kind: 'dm' }>): Promise<Outcome> {
  if (!(await hasDiscordReminder(deps.pool, data))) return 'skipped';
  if ((data.hours ?? DEFAULT_CLOSING_HOURS) !== ((await discordReminderHours(deps.pool, data.discordUserId)) ?? DEFAULT_CLOSING_HOURS)) return 'skipped';
  const proposal = await findProposal(deps.pool, data.proposalId);
  if (!proposal) return 'skipped';
  const { state, end } = stageWindow(proposal, data.stage);
  if (proposal.state !== state || !end || end.getTime() <= Date.now()) return 'skipped';
  const address = await linkedAddress(deps.pool, data.discordUserId);
  if (!address || (await hasVoted(deps.pool, proposal.id, data.stage, address))) return 'skipped';
  const key = directMessageKey(data);
  if (!(await claimDelivery(deps.pool, { key, subscriptionId: data.discordUserId, kind: 'dm', proposalId: proposal.id }))) return 'already-sent';
  try {
    if (!deps.discord) throw new MailRefusedError('DISCORD_BOT_TOKEN is not set: no direct messages', { retryable: false });
    const channel = await deps.discord.openDm(data.discordUserId);
    const hours = Math.max(1, Math.round((end.getTime() - Date.now()) / 3_600_000));
    await deps.discord.sendMessage(channel.id, {
      content: `The ${data.stage === 1 ? 'temperature' : 'consensus'} check of “${proposal.title}” in ${proposal.spaceId} closes in about ${hours} h and \`${address}\` has not voted yet.`,
      components: [{ type: 1, components: [{ type: 2, style: 5, label: 'Vote', url: proposalPageUrl(deps.links, proposal.id) }] }],
      allowed_mentions: { parse: [] },
    });
  } catch (error) {
    await releaseDelivery(deps.pool, key);
    throw error;
  }
  return 'sent';
}

export function createReminderWorker(deps: ReminderWorkerDeps): Worker<ReminderJobData, Outcome> {
  const worker = new Worker<ReminderJobData, Outcome>(
    REMINDERS_QUEUE,
    async (job: Job<ReminderJobData>) => {
      try {
        switch (job.data.kind) {
          case 'confirm':
            return await confirm(deps, job.data);
          case 'fan-out':
            return await fanOut(deps, job.data);
          case 'plan-closing':
            return await plan(deps, job.data);
          case 'send':
            return await send(deps, job.data);
          case 'dm':
            return await directMessage(deps, job.data);
        }
      } catch (error) {
        if (error instanceof GovrelayError && !error.retryable) throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    { connection: deps.connection, prefix: deps.prefix, concurrency: deps.concurrency ?? 4 },
  );
  worker.on('failed', (job, error) => {
    deps.logger.warn({ jobId: job?.id, attemptsMade: job?.attemptsMade, err: { message: error.message, name: error.name } }, 'reminder job failed');
  });
  worker.on('error', errorLoggedOncePer(deps.logger, 'reminder worker'));
  return worker;
}
