/**
 * Proposal lifecycle:
 *   pending → temperature → (passed) → [awaiting-advance →] consensus → (passed) → accepted | queued
 *   queued → executed | cancelled | defeated | expired, as the chain decides (lifecycle/chain-outcome.ts)
 * Any stage that fails ends in defeated; the author or a moderator may cancel before the final close.
 */
export const PROPOSAL_STATES = [
  'pending',
  'temperature',
  'awaiting-advance',
  'consensus',
  'accepted',
  'queued',
  'executed',
  'expired',
  'defeated',
  'cancelled',
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

/** States in which the proposal can still change by time or by message. */
export const ACTIVE_STATES: readonly ProposalState[] = ['pending', 'temperature', 'awaiting-advance', 'consensus'];

export function isActive(state: ProposalState): boolean {
  return (ACTIVE_STATES as readonly string[]).includes(state);
}

/** The proposal state in which votes for a stage are accepted. */
export function openStateOf(stage: number): ProposalState | null {
  if (stage === 1) return 'temperature';
  if (stage === 2) return 'consensus';
  return null;
}

export const STAGE_NAMES: Record<number, 'temperature' | 'consensus'> = { 1: 'temperature', 2: 'consensus' };
