/**
 * Subscribe and Unsubscribe messages (their entries in the message registry). A Subscribe stores
 * the subscription as pending and, after COMMIT, the confirmation email is queued: nothing else is
 * sent to the address until its owner follows the link (double opt-in). A newer Subscribe of the
 * same signer in the same space replaces the older one; an Unsubscribe ends it. Timestamps order
 * them as they order votes: an older message than the last one applied is STALE_MESSAGE.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { withTransaction } from '../../core/db/transaction.js';
import { lockSubscriber } from '../../core/db/locks.js';
import { loadSpaceState } from '../../core/db/spaces.js';
import { AppError, ConflictError, InvalidInputError, NotFoundError } from '../../core/errors.js';
import { recordMessage, type Submission } from '../messages/submission.js';
import type { MessageHandler } from '../messages/registry.js';
import { parsePrivateEmail } from './email-address.js';
import { endSubscription, findLiveSubscription, insertSubscription, latestSignedAt, otherPendingFor, type SubscriptionStatus } from './subscriptions.js';

export const REMINDER_EVENTS = ['proposal', 'closing', 'results'] as const;
export type ReminderEvent = (typeof REMINDER_EVENTS)[number];
export const DEFAULT_CLOSING_HOURS = 24;
/** Longest closing reminder: 30 days before the close. */
export const MAX_CLOSING_HOURS = 720;
/** Another signer cannot have a confirmation sent to an address that got one less than this long ago (confirmation spam). */
export const CONFIRMATION_COOLDOWN_MS = 3_600_000;

/** What the reminders feature attaches to these handlers once its plugin is registered (unset: the feature is off). */
export interface ReminderHooks {
  /** Queues the confirmation email of a pending subscription (after COMMIT). */
  confirmationCreated?: (subscriptionId: string) => Promise<void>;
  /** Plans a Discord direct-message reminder (set when DISCORD_BOT_TOKEN is configured); resolves to the member's N (hours before the close). */
  discordOptIn?: (input: { discordUserId: string; proposalId: string; stage: number }) => Promise<number>;
  /** Stores the member's N for direct messages and re-plans their reminders of open stages; resolves to how many. */
  discordHours?: (input: { discordUserId: string; hours: number }) => Promise<number>;
}

export interface SubscribeResult {
  subscriptionId: string;
  status: SubscriptionStatus;
}

function assertEnabled(hooks: ReminderHooks): void {
  if (!hooks.confirmationCreated) throw new AppError('REMINDERS_DISABLED', 503, 'email reminders are not configured on this server (SMTP_URL is not set)');
}

function parseSubscribe(submission: Submission<'Subscribe'>): void {
  const { events, closingHours } = submission.message;
  if (events.length === 0)
    throw new InvalidInputError('INVALID_EVENTS', '/message/events must name at least one event', { details: { path: '/message/events' } });
  for (const [index, event] of events.entries()) {
    if (!(REMINDER_EVENTS as readonly string[]).includes(event)) {
      throw new InvalidInputError('INVALID_EVENTS', `/message/events/${index}: ${JSON.stringify(event)} is not one of ${REMINDER_EVENTS.join(', ')}`, {
        details: { path: `/message/events/${index}` },
      });
    }
    if (events.indexOf(event) !== index) {
      throw new InvalidInputError('INVALID_EVENTS', `/message/events/${index}: ${event} is listed twice`, { details: { path: `/message/events/${index}` } });
    }
  }
  if (closingHours > MAX_CLOSING_HOURS) {
    throw new InvalidInputError('INVALID_CLOSING_HOURS', `/message/closingHours must be at most ${MAX_CLOSING_HOURS} (0 means ${DEFAULT_CLOSING_HOURS})`, {
      details: { path: '/message/closingHours' },
    });
  }
  parsePrivateEmail(submission.unsigned.email, submission.message.emailHash);
}

async function assertSpace(db: pg.PoolClient, spaceId: string): Promise<void> {
  if (!(await loadSpaceState(db, spaceId))) throw new NotFoundError('SPACE_NOT_FOUND', `space ${spaceId} does not exist`);
}

export function createSubscribeHandler(pool: pg.Pool, hooks: ReminderHooks): MessageHandler<'Subscribe', SubscribeResult> {
  return {
    type: 'Subscribe',
    parse(submission) {
      assertEnabled(hooks);
      parseSubscribe(submission);
    },
    handle: (submission) =>
      withTransaction(pool, async (client) => {
        const { message, from } = submission;
        const email = parsePrivateEmail(submission.unsigned.email, message.emailHash);
        await assertSpace(client, message.space);
        await lockSubscriber(client, message.space, from);
        if (BigInt(message.timestamp) <= (await latestSignedAt(client, message.space, from))) {
          throw new ConflictError(
            'STALE_MESSAGE',
            'a Subscribe or Unsubscribe message of this signer in this space with the same or a newer timestamp was already applied',
          );
        }
        if (await otherPendingFor(client, email.address, from, new Date(submission.receivedAt.getTime() - CONFIRMATION_COOLDOWN_MS))) {
          throw new ConflictError('CONFIRMATION_PENDING', 'a confirmation email was sent to this address for another signer less than an hour ago', {
            details: { path: '/email/address' },
          });
        }
        const previous = await findLiveSubscription(client, message.space, from);
        if (previous) await endSubscription(client, previous.id, 'replaced', submission.receivedAt);
        // The same signer changing the events of an address it already confirmed needs no second confirmation.
        const confirmed = previous?.status === 'confirmed' && previous.email === email.address;
        const status: SubscriptionStatus = confirmed ? 'confirmed' : 'pending';
        await insertSubscription(client, {
          id: submission.id,
          spaceId: message.space,
          subscriber: from,
          email: email.address,
          emailSalt: email.salt,
          events: message.events,
          closingHours: message.closingHours === 0 ? DEFAULT_CLOSING_HOURS : message.closingHours,
          signedAt: BigInt(message.timestamp),
          status,
          confirmToken: randomBytes(32).toString('hex'),
          unsubscribeToken: randomBytes(32).toString('hex'),
          createdAt: submission.receivedAt,
          confirmedAt: confirmed ? submission.receivedAt : null,
        });
        await recordMessage(client, submission, { spaceId: message.space });
        return { subscriptionId: submission.id, status };
      }),
  };
}

/** Works with SMTP off too: stopping must always be possible. */
export function createUnsubscribeHandler(pool: pg.Pool): MessageHandler<'Unsubscribe', { subscriptionId: string }> {
  return {
    type: 'Unsubscribe',
    handle: (submission) =>
      withTransaction(pool, async (client) => {
        const { message, from } = submission;
        await assertSpace(client, message.space);
        await lockSubscriber(client, message.space, from);
        const live = await findLiveSubscription(client, message.space, from);
        if (!live) throw new ConflictError('NOT_SUBSCRIBED', `${from} has no email subscription in ${message.space}`);
        if (BigInt(message.timestamp) <= (await latestSignedAt(client, message.space, from))) {
          throw new ConflictError(
            'STALE_MESSAGE',
            'a Subscribe or Unsubscribe message of this signer in this space with the same or a newer timestamp was already applied',
          );
        }
        await endSubscription(client, live.id, 'signed', submission.receivedAt, BigInt(message.timestamp));
        await recordMessage(client, submission, { spaceId: message.space });
        return { subscriptionId: live.id };
      }),
  };
}
