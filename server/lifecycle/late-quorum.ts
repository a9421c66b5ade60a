/**
 * Late-quorum extension (as OpenZeppelin's GovernorPreventLateQuorum): when a stage first reaches
 * quorum less than `lateQuorumExtension` seconds before it ends, its end moves to that long after
 * the moment quorum was reached, once per stage, so a whale's last-minute vote leaves everyone time
 * to answer.
 *
 * Decided from committed votes only, so every instance (and a restarted one) reaches the same
 * answer: the moment quorum was reached is the arrival time (received_at, stored with the signed
 * message) of the vote that first took the stage's counted power to the quorum, each voter counted
 * from their FIRST vote in the stage (a re-vote changes the choice, never the power). It runs under
 * the proposal's exclusive lock (no vote commits meanwhile) from two places: the lifecycle engine
 * before it closes a stage (the authority: nothing closes without this check), and early, when an
 * instance's live tally sees the quorum (votes/late-quorum-hook.ts), so members see the new end at
 * once. The moved end is the proposal's stage end column, so the vote window, the timers and the
 * sweeper follow it, and a restart reads it back.
 */
import type { Queryable } from '../../core/db/transaction.js';
import type { ProposalRecord } from '../../core/proposals/repository.js';
import { STAGE_NAMES } from '../../core/lifecycle/states.js';
import { applyTransition, type TransitionRecord } from '../../core/lifecycle/state-machine.js';

export type LateQuorumVerdict =
  /** The stage's end moved now. */
  | 'extended'
  /** No extension: off, moved before, quorum reached in time, or the stage is not open. Final for the stage. */
  | 'final'
  /** Quorum not reached yet: a later vote may still extend the stage. */
  | 'not-reached';

/**
 * When the counted power of a stage first reached `quorum`: the first arrival of the voter whose
 * power took the running sum (voters in order of their first vote) to the quorum; null if it has not.
 */
export async function quorumReachedAt(db: Queryable, proposalId: string, stage: number, quorum: bigint): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date }>(
    `WITH firsts AS (
       SELECT s."from" AS voter, min(s.received_at) AS first_at
         FROM signed_messages s
        WHERE s.proposal_id = $1 AND s.type = 'Vote' AND (s.envelope #>> '{data,message,stage}')::int = $2
        GROUP BY s."from"
     ), running AS (
       SELECT f.first_at, sum(v.power) OVER (ORDER BY f.first_at, f.voter) AS counted
         FROM firsts f JOIN votes v ON v.proposal_id = $1 AND v.stage = $2 AND v.voter = f.voter
     )
     SELECT first_at AS at FROM running WHERE counted >= $3::numeric ORDER BY first_at LIMIT 1`,
    [proposalId, stage, quorum.toString()],
  );
  return rows[0]?.at ?? null;
}

/**
 * Checks the open stage of `proposal` (read under its exclusive lock) and moves its end if quorum
 * came late; returns the transition it applied, or the verdict why not.
 */
export async function extendForLateQuorum(
  db: Queryable,
  proposal: ProposalRecord,
  now: Date,
): Promise<{ verdict: 'extended'; transition: TransitionRecord } | { verdict: Exclude<LateQuorumVerdict, 'extended'> }> {
  const extension = proposal.rules.settings.lateQuorumExtension ?? 0;
  const stage = proposal.state === 'temperature' ? 1 : proposal.state === 'consensus' ? 2 : null;
  if (extension <= 0 || stage === null) return { verdict: 'final' };
  const stageName = STAGE_NAMES[stage]!;
  const end = stage === 1 ? proposal.temperatureEnd : proposal.consensusEnd;
  if (!end) return { verdict: 'final' };
  const { rows } = await db.query(`SELECT 1 FROM proposal_transitions WHERE proposal_id = $1 AND cause = 'late-quorum' AND to_state = $2 LIMIT 1`, [
    proposal.id,
    stageName,
  ]);
  if (rows.length > 0) return { verdict: 'final' };

  const quorum = BigInt(proposal.rules.quorum[stageName]);
  const reachedAt = await quorumReachedAt(db, proposal.id, stage, quorum);
  if (!reachedAt) return { verdict: 'not-reached' };
  const newEnd = new Date(reachedAt.getTime() + extension * 1000);
  // "Less than the extension before the end": reached at end − extension or earlier leaves enough time.
  if (newEnd <= end) return { verdict: 'final' };

  const transition: TransitionRecord = {
    proposalId: proposal.id,
    from: proposal.state,
    to: proposal.state,
    at: now,
    cause: 'late-quorum',
    detail: {
      stage,
      previousEnd: end.toISOString(),
      end: newEnd.toISOString(),
      quorumReachedAt: reachedAt.toISOString(),
      extension,
      quorum: quorum.toString(),
    },
  };
  if (!(await applyTransition(db, transition, { stageEnd: newEnd }))) return { verdict: 'final' };
  return { verdict: 'extended', transition };
}
