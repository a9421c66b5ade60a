/**
 * The proposal state machine: which transitions exist and what may cause them, the deadlines that
 * make a proposal due, the query that finds due proposals, and the one implementation of moving a
 * proposal (applyTransition) and of opening a stage (openConsensus). The states themselves are in
 * states.ts. What decides a stage's outcome (the tally) is the server's lifecycle engine
 * (server/lifecycle/engine.ts); it and the message handlers move proposals only through here.
 *
 *   pending ─▶ temperature ─▶ awaiting-advance ─▶ consensus ─▶ accepted | queued
 *                   │  └───────────────────────────▲   │
 *                   └─▶ defeated ◀──────────────────────┘
 *   temperature ─▶ temperature, consensus ─▶ consensus: the stage's end moved by a late quorum (once per stage)
 *   any active state ─▶ cancelled (a CancelProposal message)
 *   queued ─▶ executed | cancelled | defeated | expired (what the chain did: chain-outcome.ts)
 */
import type { Queryable } from '../db/transaction.js';
import type { ProposalRecord } from '../proposals/repository.js';
import { ACTIVE_STATES, type ProposalState } from './states.js';

/**
 * schedule (a timer fired), sweep (caught up after downtime), message (a signed message), chain (what
 * the chain did: chain-outcome.ts), late-quorum (quorum first reached less than the space's
 * lateQuorumExtension before the stage's end: the end moved; server/lifecycle/late-quorum.ts).
 */
export type TransitionCause = 'schedule' | 'sweep' | 'message' | 'chain' | 'late-quorum';

export interface TransitionRecord {
  proposalId: string;
  /** '' only in the record of a creation handed to after-commit hooks (it is never applied here). */
  from: ProposalState | '';
  to: ProposalState;
  at: Date;
  cause: TransitionCause;
  messageId?: string | null;
  detail?: Record<string, unknown> | null;
}

const BY_TIME: readonly TransitionCause[] = ['schedule', 'sweep'];

/** Every allowed transition and its causes. A proposal is created in 'pending' or 'temperature' (initialState). */
export const TRANSITIONS: readonly { from: ProposalState; to: ProposalState; causes: readonly TransitionCause[] }[] = [
  { from: 'pending', to: 'temperature', causes: BY_TIME },
  { from: 'temperature', to: 'defeated', causes: BY_TIME },
  // A late quorum extends the open stage: the state stays, its end moves (once per stage).
  { from: 'temperature', to: 'temperature', causes: ['late-quorum'] },
  { from: 'consensus', to: 'consensus', causes: ['late-quorum'] },
  { from: 'temperature', to: 'consensus', causes: BY_TIME }, // advance = auto
  { from: 'temperature', to: 'awaiting-advance', causes: BY_TIME }, // advance = author
  { from: 'awaiting-advance', to: 'consensus', causes: ['message'] }, // AdvanceProposal
  { from: 'consensus', to: 'defeated', causes: BY_TIME },
  { from: 'consensus', to: 'accepted', causes: BY_TIME }, // passed, nothing to execute
  { from: 'consensus', to: 'queued', causes: BY_TIME }, // passed, handed to the relayer
  ...ACTIVE_STATES.map((from) => ({ from, to: 'cancelled' as const, causes: ['message'] as const })),
  // What the chain did with a queued proposal, recorded by the relayer (chain-outcome.ts).
  ...(['executed', 'cancelled', 'defeated', 'expired'] as const).map((to) => ({ from: 'queued' as const, to, causes: ['chain'] as const })),
];

export function isAllowedTransition(t: Pick<TransitionRecord, 'from' | 'to' | 'cause'>): boolean {
  return TRANSITIONS.some((allowed) => allowed.from === t.from && allowed.to === t.to && allowed.causes.includes(t.cause));
}

/** The state a new proposal starts in: pending while its voting delay runs, else temperature at once. */
export function initialState(votingDelaySeconds: number): ProposalState {
  return votingDelaySeconds > 0 ? 'pending' : 'temperature';
}

/** The time of the proposal's next timed transition, or null if none is due by time. */
export function nextDeadline(p: Pick<ProposalRecord, 'state' | 'temperatureStart' | 'temperatureEnd' | 'consensusEnd'>): Date | null {
  if (p.state === 'pending') return p.temperatureStart;
  if (p.state === 'temperature') return p.temperatureEnd;
  if (p.state === 'consensus') return p.consensusEnd;
  return null;
}

/** Proposals whose next timed transition (nextDeadline) is due at or before `now`. */
export async function findDueProposals(db: Queryable, now: Date, limit = 100): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM proposals
      WHERE (state = 'pending' AND temperature_start <= $1)
         OR (state = 'temperature' AND temperature_end <= $1)
         OR (state = 'consensus' AND consensus_end <= $1)
      ORDER BY updated_at LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => r.id);
}

/**
 * Moves a proposal to a new state and records the transition; returns false if the state had moved
 * on. `consensus` sets the consensus stage's window (openConsensus); `stageEnd` moves the open
 * stage's end (a late-quorum extension). An unlisted transition is a bug in the caller and throws.
 */
export async function applyTransition(
  db: Queryable,
  t: TransitionRecord,
  options: { consensus?: { start: Date; end: Date }; stageEnd?: Date } = {},
): Promise<boolean> {
  if (!isAllowedTransition(t)) throw new Error(`no transition ${t.from} → ${t.to} by ${t.cause}`);
  const window = options.consensus;
  let set = '';
  const extra: unknown[] = [];
  if (window) {
    set = ', consensus_start = $5, consensus_end = $6';
    extra.push(window.start, window.end);
  } else if (options.stageEnd) {
    if (t.from !== 'temperature' && t.from !== 'consensus') throw new Error(`no stage end to move in state ${t.from}`);
    set = `, ${t.from === 'temperature' ? 'temperature_end' : 'consensus_end'} = $5`;
    extra.push(options.stageEnd);
  }
  const updated = await db.query(`UPDATE proposals SET state = $2, updated_at = $3${set} WHERE id = $1 AND state = $4`, [
    t.proposalId,
    t.to,
    t.at,
    t.from,
    ...extra,
  ]);
  if (updated.rowCount === 0) return false;
  await db.query('INSERT INTO proposal_transitions (proposal_id, from_state, to_state, at, cause, message_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    t.proposalId,
    t.from,
    t.to,
    t.at,
    t.cause,
    t.messageId ?? null,
    t.detail ? JSON.stringify(t.detail) : null,
  ]);
  return true;
}

/**
 * Opens the consensus stage (from temperature when the space advances automatically, from
 * awaiting-advance on the author's AdvanceProposal): it runs from the transition's time for the
 * period the proposal's rules set.
 */
export function openConsensus(db: Queryable, proposal: Pick<ProposalRecord, 'rules'>, t: TransitionRecord & { to: 'consensus' }): Promise<boolean> {
  const end = new Date(t.at.getTime() + proposal.rules.settings.consensus.period * 1000);
  return applyTransition(db, t, { consensus: { start: t.at, end } });
}
