/**
 * CancelProposal and AdvanceProposal messages.
 * - Cancel: the author, a moderator or an admin of the space (as the space is now), before the final close.
 * - Advance: the author opens the consensus check of a proposal whose temperature check passed,
 *   in spaces whose settings say advance = "author".
 */
import type pg from 'pg';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../core/errors.js';
import { recordMessage, type Submission } from '../messages/submission.js';
import { openConsensus } from '../../core/lifecycle/state-machine.js';
import { findProposal } from '../../core/proposals/repository.js';
import { isActive } from '../../core/lifecycle/states.js';
import { withTransaction } from '../../core/db/transaction.js';
import { lockProposalExclusive } from '../../core/db/locks.js';
import { applyTransition, type TransitionRecord } from '../../core/lifecycle/state-machine.js';
import { findSpaceSettings } from '../../core/db/spaces.js';

async function loadForAction(client: pg.PoolClient, submission: Submission<'CancelProposal' | 'AdvanceProposal'>) {
  const proposalId = submission.message.proposal.toLowerCase();
  await lockProposalExclusive(client, proposalId);
  const proposal = await findProposal(client, proposalId);
  if (!proposal) throw new NotFoundError('PROPOSAL_NOT_FOUND', `proposal ${proposalId} does not exist`);
  if (proposal.spaceId !== submission.message.space) {
    throw new InvalidInputError('SPACE_MISMATCH', `proposal ${proposal.id} belongs to space ${proposal.spaceId}, not ${submission.message.space}`);
  }
  return proposal;
}

export async function handleCancelMessage(
  submission: Submission<'CancelProposal'>,
  pool: pg.Pool,
): Promise<{ proposalId: string; transition: TransitionRecord }> {
  return withTransaction(pool, async (client) => {
    const proposal = await loadForAction(client, submission);
    const settings = (await findSpaceSettings(client, proposal.spaceId))!;
    const allowed = submission.from === proposal.author || settings.moderators.includes(submission.from) || settings.admins.includes(submission.from);
    if (!allowed) throw new ForbiddenError('NOT_ALLOWED_TO_CANCEL', 'only the author, a moderator or an admin may cancel a proposal');
    if (!isActive(proposal.state)) throw new ConflictError('PROPOSAL_CLOSED', `proposal is already ${proposal.state}`);
    await recordMessage(client, submission, { spaceId: proposal.spaceId, proposalId: proposal.id });
    const transition: TransitionRecord = {
      proposalId: proposal.id,
      from: proposal.state,
      to: 'cancelled',
      at: submission.receivedAt,
      cause: 'message',
      messageId: submission.id,
      detail: { by: submission.from },
    };
    await applyTransition(client, transition);
    return { proposalId: proposal.id, transition };
  });
}

export async function handleAdvanceMessage(
  submission: Submission<'AdvanceProposal'>,
  pool: pg.Pool,
): Promise<{ proposalId: string; transition: TransitionRecord }> {
  return withTransaction(pool, async (client) => {
    const proposal = await loadForAction(client, submission);
    if (submission.from !== proposal.author) throw new ForbiddenError('NOT_AUTHOR', 'only the author may advance a proposal');
    if (proposal.rules.settings.advance !== 'author') throw new InvalidInputError('ADVANCE_NOT_ENABLED', 'this space opens the consensus check automatically');
    if (proposal.state !== 'awaiting-advance') throw new ConflictError('NOT_AWAITING_ADVANCE', `proposal is ${proposal.state}, not awaiting-advance`);
    await recordMessage(client, submission, { spaceId: proposal.spaceId, proposalId: proposal.id });
    const transition = {
      proposalId: proposal.id,
      from: 'awaiting-advance',
      to: 'consensus',
      at: submission.receivedAt,
      cause: 'message',
      messageId: submission.id,
    } as const;
    await openConsensus(client, proposal, transition);
    return { proposalId: proposal.id, transition };
  });
}
