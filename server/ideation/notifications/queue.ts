/**
 * The notification queue (BullMQ). Producers only enqueue one small "event" job; the worker fans
 * it out into one "deliver" job per destination (the space's Discord channel, each generic
 * webhook), so a destination that fails or is rate limited retries alone and never resends to the
 * others. Nothing here runs on the vote path: votes produce no notifications, and producers never
 * wait for a delivery.
 *
 * The relayer reports execution steps either by calling Notifier.execution() with its own Queue, or
 * by publishing an `execution` event on the events channel (the server bridges it here). Both give
 * the same job id, so the step is announced once.
 */
import type { JobsOptions, Queue } from 'bullmq';
import type { MessagePayload } from '../discord/api-types.js';
import type { LifecycleListener } from '../../lifecycle/engine.js';
import type { TransitionRecord } from '../../../core/lifecycle/state-machine.js';
import type { ProposalRecord } from '../../../core/proposals/repository.js';
import { executionNotice, transitionEvent, warningNotice, type NotificationEvent } from './events.js';

export const NOTIFICATIONS_QUEUE = 'notifications';

export type Destination =
  | { kind: 'discord'; spaceId: string; guildId: string; channelId: string; message: MessagePayload }
  | { kind: 'webhook'; spaceId: string; url: string; body: string };

export type NotificationJobData =
  { kind: 'event'; event: NotificationEvent } | { kind: 'deliver'; eventId: string; eventType: NotificationEvent['type']; destination: Destination };

/** Completed jobs are kept a day: while they exist, their ids deduplicate a second enqueue. */
export const KEEP_JOBS: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 7 * 86_400, count: 10_000 },
};

export class Notifier implements LifecycleListener {
  constructor(private readonly queue: Queue<NotificationJobData>) {}

  async onTransitions(proposal: ProposalRecord, transitions: TransitionRecord[]): Promise<void> {
    await this.queue.addBulk(
      transitions.map((t) => {
        const event = transitionEvent(proposal.spaceId, t);
        return {
          name: 'event',
          data: { kind: 'event' as const, event },
          opts: { jobId: event.id, attempts: 5, backoff: { type: 'exponential', delay: 1000 }, ...KEEP_JOBS },
        };
      }),
    );
  }

  async execution(input: { proposalId: string; spaceId: string; status: string; detail?: Record<string, unknown> }): Promise<void> {
    await this.add(executionNotice(input));
  }

  /** A warning about a closed stage's result (server/votes/power-spike.ts). */
  async warning(input: Parameters<typeof warningNotice>[0]): Promise<void> {
    await this.add(warningNotice(input));
  }

  private async add(event: NotificationEvent): Promise<void> {
    await this.queue.add('event', { kind: 'event', event }, { jobId: event.id, attempts: 5, backoff: { type: 'exponential', delay: 1000 }, ...KEEP_JOBS });
  }
}
