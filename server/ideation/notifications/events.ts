/**
 * What notifications are about: a proposal's lifecycle transition (stage opened, stage closed
 * with its tally, queued, cancelled), an execution step reported by the relayer (scheduled,
 * executed, failed), or a warning about a stage result (voters whose power spiked before the snapshot). Each event has a deterministic id, so the same event enqueued twice (two
 * server instances, or the relayer and the events-channel bridge) is delivered once.
 */
import type { TransitionRecord } from '../../../core/lifecycle/state-machine.js';

export const EVENT_TYPES = ['proposal.transition', 'proposal.execution', 'proposal.warning'] as const;
export type NotificationEventType = (typeof EVENT_TYPES)[number];

export interface TransitionEvent {
  type: 'proposal.transition';
  id: string;
  proposalId: string;
  spaceId: string;
  from: string | null;
  to: string;
  at: string;
  cause: string;
  detail: Record<string, unknown> | null;
}

export interface ExecutionNotice {
  type: 'proposal.execution';
  id: string;
  proposalId: string;
  spaceId: string;
  /** The relayer's execution status: scheduled, executed, failed, cancelled… */
  status: string;
  at: string;
  detail: Record<string, unknown>;
}

/** A warning about a closed stage's result (a power spike): listed in the result, announced here. */
export interface WarningNotice {
  type: 'proposal.warning';
  id: string;
  proposalId: string;
  spaceId: string;
  /** What the warning is about: power-spike. */
  kind: 'power-spike';
  stage: number;
  at: string;
  detail: Record<string, unknown>;
}

export type NotificationEvent = TransitionEvent | ExecutionNotice | WarningNotice;

export function transitionEvent(spaceId: string, t: TransitionRecord): TransitionEvent {
  return {
    type: 'proposal.transition',
    id: `t-${t.proposalId}-${t.to}-${t.at.getTime()}`,
    proposalId: t.proposalId,
    spaceId,
    from: t.from === '' ? null : t.from,
    to: t.to,
    at: t.at.toISOString(),
    cause: t.cause,
    detail: t.detail ?? null,
  };
}

export function executionNotice(
  input: { proposalId: string; spaceId: string; status: string; detail?: Record<string, unknown> },
  at = new Date(),
): ExecutionNotice {
  return {
    type: 'proposal.execution',
    id: `x-${input.proposalId}-${input.status}`,
    proposalId: input.proposalId,
    spaceId: input.spaceId,
    status: input.status,
    at: at.toISOString(),
    detail: input.detail ?? {},
  };
}

export function warningNotice(
  input: { proposalId: string; spaceId: string; kind: 'power-spike'; stage: number; detail: Record<string, unknown> },
  at = new Date(),
): WarningNotice {
  return { type: 'proposal.warning', id: `w-${input.proposalId}-${input.stage}-${input.kind}`, ...input, at: at.toISOString() };
}
