/**
 * Server events (tally updates, lifecycle transitions) travel through one Redis pub/sub channel,
 * so a WebSocket client connected to any instance sees events caused on every instance.
 */
import type { TransitionCause } from '../lifecycle/state-machine.js';
import type { ProposalState } from '../lifecycle/states.js';
import type { Redis } from 'ioredis';

export interface TallyEvent {
  kind: 'tally';
  proposalId: string;
  spaceId: string;
  stage: number;
  tally: unknown;
  /** When the tally was taken (ms since the epoch): it contains every vote acknowledged before. */
  at: number;
  /** The publishing instance's live-tally id (server-internal: not sent to WebSocket clients). */
  instance: string;
  /**
   * Whether the publisher counted votes of its own since its previous tally of the stage (false: it
   * only re-read the database). Other instances holding the stage re-seed on true (server-internal).
   */
  ownVotes: boolean;
}

export interface LifecycleEvent {
  kind: 'lifecycle';
  proposalId: string;
  spaceId: string;
  /** '' for a proposal's creation. */
  from: ProposalState | '' | null;
  to: ProposalState;
  at: string;
  cause: TransitionCause;
  /** Only for cause "late-quorum": { stage, previousEnd, end, quorumReachedAt, extension, quorum }. */
  detail?: Record<string, unknown>;
}

export interface ExecutionEvent {
  kind: 'execution';
  proposalId: string;
  spaceId: string;
  status: string;
  detail: Record<string, unknown>;
}

export type ServerEvent = TallyEvent | LifecycleEvent | ExecutionEvent;

export function eventsChannel(redisPrefix: string): string {
  return `${redisPrefix}:events`;
}

export class EventPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
  ) {}

  async publish(event: ServerEvent): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(event));
  }
}
