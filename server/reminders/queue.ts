/**
 * The reminders queue (BullMQ) and what puts jobs on it. Every job id is derived from what the job
 * is about, so the same event enqueued twice (two server instances, a sweep after a restart) is one
 * job while the first is kept (a day, as notifications), and the delivery ledger
 * (deliveries.ts) stops a second email after that.
 *
 *   confirm        one confirmation email                       confirm-<subscription>
 *   fan-out        a new proposal or a closed stage → one send per confirmed subscriber   fan-<event>-<proposal>-<stage>
 *   plan-closing   a stage opened (or a subscription confirmed while it is open) → one delayed
 *                  send per subscriber, due N hours before the close                       plan-<proposal>-<stage>[-<subscription>]
 *   send           one email to one subscription                send-<event>-<proposal>-<stage>-<subscription>
 *   dm             one Discord direct message ("Remind me by DM"), due the member's N hours (default 24) before the close
 *                                                                   dm-<proposal>-<stage>-<discord user>-<N>h
 *                  (a member who chooses another N gets a job for the new N; the old one finds N changed and sends
 *                  nothing; the delivery key leaves out N, so one message per stage whatever they chose)
 *
 * Votes never touch this queue: whether a member voted is read when their reminder is due.
 */
import type { JobsOptions, Queue } from 'bullmq';
import type { LifecycleListener } from '../lifecycle/engine.js';
import type { TransitionRecord } from '../../core/lifecycle/state-machine.js';
import type { ProposalRecord } from '../../core/proposals/repository.js';
import type { ReminderEvent } from './subscribe-handler.js';

export const REMINDERS_QUEUE = 'reminders';

export type ReminderJobData =
  | { kind: 'confirm'; subscriptionId: string }
  | { kind: 'fan-out'; event: 'proposal' | 'results'; proposalId: string; stage: number }
  | { kind: 'plan-closing'; proposalId: string; stage: number; subscriptionId: string | null }
  | { kind: 'send'; event: ReminderEvent; proposalId: string; stage: number; subscriptionId: string }
  /** hours: the member's N when the job was planned (absent in jobs queued before N could be chosen: 24). */
  | { kind: 'dm'; proposalId: string; stage: number; discordUserId: string; hours?: number };

export const KEEP_JOBS: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 7 * 86_400, count: 10_000 },
};

/** The job id of a job, and the delivery key of the email a confirm or send job sends. */
export function reminderJobId(data: ReminderJobData): string {
  switch (data.kind) {
    case 'confirm':
      return `confirm-${data.subscriptionId}`;
    case 'fan-out':
      return `fan-${data.event}-${data.proposalId}-${data.stage}`;
    case 'plan-closing':
      return `plan-${data.proposalId}-${data.stage}${data.subscriptionId ? `-${data.subscriptionId}` : ''}`;
    case 'send':
      return `send-${data.event}-${data.proposalId}-${data.stage}-${data.subscriptionId}`;
    case 'dm':
      return `dm-${data.proposalId}-${data.stage}-${data.discordUserId}${data.hours === undefined ? '' : `-${data.hours}h`}`;
  }
}

/** The key of a direct message in the delivery ledger: one per member and stage, whatever N they chose. */
export function directMessageKey(data: { proposalId: string; stage: number; discordUserId: string }): string {
  return `dm-${data.proposalId}-${data.stage}-${data.discordUserId}`;
}

const STAGE_OF: Record<string, number> = { temperature: 1, consensus: 2 };

export class ReminderScheduler implements LifecycleListener {
  constructor(
    private readonly queue: Queue<ReminderJobData>,
    private readonly attempts: number,
  ) {}

  private job(data: ReminderJobData, delayMs = 0) {
    return {
      name: data.kind,
      data,
      opts: { jobId: reminderJobId(data), attempts: this.attempts, backoff: { type: 'exponential', delay: 1000 }, delay: delayMs, ...KEEP_JOBS },
    };
  }

  async add(data: ReminderJobData, delayMs = 0): Promise<void> {
    await this.addMany([{ data, delayMs }]);
  }

  /**
   * Adds a job even when one with its id already ran (BullMQ keeps finished jobs a day and would
   * ignore the add): a member going back to an N whose job was skipped gets it planned again. A job
   * that sent its message finds its delivery claimed and sends nothing.
   */
  async replace(data: ReminderJobData, delayMs = 0): Promise<void> {
    const existing = await this.queue.getJob(reminderJobId(data));
    if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) await existing.remove();
    await this.add(data, delayMs);
  }

  async addMany(items: { data: ReminderJobData; delayMs?: number }[]): Promise<void> {
    if (items.length > 0) await this.queue.addBulk(items.map(({ data, delayMs }) => this.job(data, delayMs)));
  }

  /** New proposal, a stage opened (its closing reminders), a stage closed (its results). Cancellations send nothing. */
  async onTransitions(proposal: ProposalRecord, transitions: TransitionRecord[]): Promise<void> {
    const jobs: ReminderJobData[] = [];
    for (const t of transitions) {
      if (t.from === '') jobs.push({ kind: 'fan-out', event: 'proposal', proposalId: proposal.id, stage: 0 });
      const opened = STAGE_OF[t.to];
      if (opened) jobs.push({ kind: 'plan-closing', proposalId: proposal.id, stage: opened, subscriptionId: null });
      const closed = t.from === '' ? undefined : STAGE_OF[t.from];
      if (closed && t.to !== 'cancelled') jobs.push({ kind: 'fan-out', event: 'results', proposalId: proposal.id, stage: closed });
    }
    await this.addMany(jobs.map((data) => ({ data })));
  }
}
