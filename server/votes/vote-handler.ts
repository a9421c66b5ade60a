/**
 * Vote messages. A vote names its proposal and stage; it is accepted only while that stage is open,
 * with a valid choice and non-zero power. A newer signed vote replaces the voter's older one in the
 * same stage; an older or equally old one is rejected. The signed message and the current vote are
 * written in one transaction, so an acknowledged vote is always both recorded and counted.
 */
import type pg from 'pg';
import { lockProposalShared, withTransaction } from '../db/transaction.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { recordMessage, type Submission } from '../messages/submission.js';
import { parseChoice } from '../tally/choice.js';
import { stageVoting } from '../proposals/rules.js';
import { findProposal, type ProposalRecord } from '../proposals/repository.js';
import { openStateOf, STAGE_NAMES } from '../proposals/states.js';
import { powerSubjectOf, type VotingPowerService } from './voting-power.js';

export interface VoteDeps {
  pool: pg.Pool;
  power: VotingPowerService;
  /** Immutable proposal fields rarely change; state and stage times are re-read under the lock. */
  proposalCache: Map<string, ProposalRecord>;
}

export interface AcceptedVote {
  proposal: ProposalRecord;
  stage: number;
}

async function loadProposal(deps: VoteDeps, id: string): Promise<ProposalRecord> {
  let proposal = deps.proposalCache.get(id);
  if (!proposal) {
    const found = await findProposal(deps.pool, id);
    if (!found) throw new NotFoundError('PROPOSAL_NOT_FOUND', `proposal ${id} does not exist`);
    proposal = found;
    if (deps.proposalCache.size > 10_000) deps.proposalCache.clear();
    deps.proposalCache.set(id, proposal);
  }
  return proposal;
}

function stageClosed(stage: number, detail: string): ConflictError {
  return new ConflictError('STAGE_CLOSED', `the ${STAGE_NAMES[stage] ?? `stage ${stage}`} check is not open for votes: ${detail}`);
}

export async function handleVoteMessage(submission: Submission<'Vote'>, deps: VoteDeps): Promise<AcceptedVote> {
  const { message, from } = submission;
  const proposal = await loadProposal(deps, message.proposal.toLowerCase());
  if (proposal.spaceId !== message.space) throw new InvalidInputError('SPACE_MISMATCH', `proposal ${proposal.id} belongs to space ${proposal.spaceId}, not ${message.space}`);
  const openState = openStateOf(message.stage);
  if (!openState) throw new InvalidInputError('INVALID_STAGE', 'stage must be 1 (temperature check) or 2 (consensus check)');

  const { votingType, choices } = stageVoting(proposal, message.stage);
  const choice = parseChoice(votingType, message.choice, choices.length);
  if (message.reason.length > 5000) throw new InvalidInputError('REASON_TOO_LONG', 'reason must be at most 5000 characters');

  const power = await deps.power.get(powerSubjectOf(proposal), from);
  if (power.total === 0n) throw new InvalidInputError('ZERO_POWER', `${from} has no voting power at snapshot block ${proposal.snapshotBlock}`);

  await withTransaction(deps.pool, async (client) => {
    await lockProposalShared(client, proposal.id);
    const { rows } = await client.query<{ state: string; start: Date | null; end: Date | null }>(
      `SELECT state,
              CASE WHEN $2 = 1 THEN temperature_start ELSE consensus_start END AS start,
              CASE WHEN $2 = 1 THEN temperature_end ELSE consensus_end END AS "end"
         FROM proposals WHERE id = $1`,
      [proposal.id, message.stage],
    );
    const current = rows[0]!;
    const now = submission.receivedAt;
    if (current.state !== openState) throw stageClosed(message.stage, `the proposal is ${current.state}`);
    if (!current.start || now < current.start) throw stageClosed(message.stage, 'it has not started');
    if (!current.end || now >= current.end) throw stageClosed(message.stage, 'it has ended');

    await recordMessage(client, submission, { spaceId: proposal.spaceId, proposalId: proposal.id });
    const upsert = await client.query(
      `INSERT INTO votes (proposal_id, stage, voter, message_id, choice, reason, timestamp, power, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (proposal_id, stage, voter) DO UPDATE
         SET message_id = EXCLUDED.message_id, choice = EXCLUDED.choice, reason = EXCLUDED.reason,
             timestamp = EXCLUDED.timestamp, power = EXCLUDED.power, received_at = EXCLUDED.received_at
         WHERE votes.timestamp < EXCLUDED.timestamp`,
      [proposal.id, message.stage, from, submission.id, JSON.stringify(choice), message.reason, String(message.timestamp), power.total.toString(), now],
    );
    if (upsert.rowCount === 0) {
      throw new ConflictError('STALE_VOTE', 'a vote with the same or a newer timestamp from this voter is already counted in this stage');
    }
  });
  return { proposal, stage: message.stage };
}
