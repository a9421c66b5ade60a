/**
 * Vote messages. A vote names its proposal and stage; it is accepted only while that stage is open,
 * with a valid choice and non-zero power. A newer signed vote replaces the voter's older one in the
 * same stage; an older or equally old one is rejected. The signed message and the current vote are
 * written in one transaction (server/votes/vote-writer.ts, group commit), so an acknowledged vote is
 * always both recorded and counted.
 */
import type pg from 'pg';
import { codePointCount } from '../http/text-length.js';
import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import type { Submission } from '../messages/submission.js';
import type { MessageHandler } from '../messages/registry.js';
import { parseChoice } from '../tally/choice.js';
import { stageVoting } from '../../core/proposals/rules.js';
import { findProposal, type ProposalRecord } from '../../core/proposals/repository.js';
import { openStateOf } from '../../core/lifecycle/states.js';
import type { TallyVote } from '../../core/tally/types.js';
import { powerSubjectOf, type VotingPowerService } from './voting-power.js';
import type { PowerPreloader } from './power-preload.js';
import { VoteWriter, type PreviousVote, type VoteWriteResult } from './vote-writer.js';
import { delegationEnabled } from '../../core/spaces/settings.js';
import type { DelegationService } from '../delegations/delegated-power.js';
import type { DigestSigner } from '../../core/log/digests.js';

/**
 * Runs synchronously right after the vote's COMMIT, before its acknowledgement (see VoteWriter's
 * AfterCommit): the live tally counts the vote there (votes/live-tally.ts, liveTallyHook), so the
 * tally and the database agree on which votes it holds.
 */
export type VoteCommitHook = (proposal: ProposalRecord, stage: number, vote: TallyVote, result: VoteWriteResult) => void;

export interface VoteDeps {
  pool: pg.Pool;
  power: VotingPowerService;
  /** Computes likely voters' power ahead of them; started here at the first vote this instance sees for a proposal. */
  preloader?: PowerPreloader | undefined;
  /** Immutable proposal fields rarely change; state and stage times are re-read under the lock. */
  proposalCache: Map<string, ProposalRecord>;
  /** Group-commit writer: the vote and its signed message in one transaction, acknowledged after COMMIT. */
  writer: VoteWriter;
  /** Runs synchronously right after the vote's COMMIT (the live tally counts it there; see VoteWriter's AfterCommit). */
  afterCommit?: VoteCommitHook | undefined;
  /** The proposal's delegation snapshot, in spaces with delegation: "offchain" (resolved before its first vote is written). */
  delegation?: DelegationService | undefined;
}

export interface AcceptedVote {
  proposal: ProposalRecord;
  stage: number;
  /** The vote as counted (power from the snapshot). */
  vote: TallyVote;
  /** The same voter's vote it replaced in this stage, if any. */
  previous: PreviousVote | null;
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

export async function handleVoteMessage(submission: Submission<'Vote'>, deps: VoteDeps): Promise<AcceptedVote> {
  const { message, from } = submission;
  const proposal = await loadProposal(deps, message.proposal.toLowerCase());
  if (proposal.spaceId !== message.space)
    throw new InvalidInputError('SPACE_MISMATCH', `proposal ${proposal.id} belongs to space ${proposal.spaceId}, not ${message.space}`);
  const openState = openStateOf(message.stage);
  if (!openState) throw new InvalidInputError('INVALID_STAGE', 'stage must be 1 (temperature check) or 2 (consensus check)');

  const { votingType, choices } = stageVoting(proposal, message.stage);
  const choice = parseChoice(votingType, message.choice, choices.length);
  // Characters are Unicode code points (an emoji is one), as docs/api.md says, not UTF-16 units.
  if (message.reason.length > 5000 && codePointCount(message.reason, 5001) > 5000) {
    throw new InvalidInputError('REASON_TOO_LONG', 'reason must be at most 5000 characters');
  }

  const subject = powerSubjectOf(proposal);
  deps.preloader?.ensure(subject);
  // The vote stores the voter's own power; the tally adds what delegators who do not vote lent them
  // (server/delegations/delegated-accumulator.ts). The snapshot is stored before the vote is written.
  const withDelegation = deps.delegation && delegationEnabled(proposal.rules.settings) ? deps.delegation.forProposal(proposal) : undefined;
  const [power, delegation] = await Promise.all([deps.power.get(subject, from), withDelegation]);
  const received = delegation?.received(from).total ?? 0n;
  if (power.total === 0n && received === 0n) {
    throw new InvalidInputError(
      'ZERO_POWER',
      `${from} has no voting power at snapshot block ${proposal.snapshotBlock}${delegation ? ', own or delegated' : ''}`,
    );
  }

  const vote: TallyVote = { voter: from, choice, power: power.total, powerByStrategy: power.byStrategy };
  const afterCommit = deps.afterCommit;
  const { previous, log } = await deps.writer.write(
    {
      proposalId: proposal.id,
      spaceId: proposal.spaceId,
      stage: message.stage,
      openState,
      voter: from,
      messageId: submission.id,
      choice,
      reason: message.reason,
      timestamp: String(message.timestamp),
      power: power.total,
      powerByStrategy: power.byStrategy,
      receivedAt: submission.receivedAt,
      envelope: JSON.stringify(submission.envelope),
      signature: submission.signature,
      sigKind: submission.sigKind,
      sigBlock: submission.sigBlock,
    },
    afterCommit && ((result) => afterCommit(proposal, message.stage, vote, result)),
  );
  submission.logReceipt = log;
  return { proposal, stage: message.stage, vote, previous };
}

/** The Vote entry of the message registry, with the hooks that run inside each vote's commit callback. */
export interface VoteMessageHandler extends MessageHandler<'Vote', AcceptedVote> {
  /** Adds a hook run synchronously inside the commit callback of every accepted vote. */
  onCommit(hook: VoteCommitHook): void;
  /** Drops a proposal's cached fields (after a cancellation or an advance changed it). */
  forget(proposalId: string): void;
}

export function createVoteHandler(deps: {
  pool: pg.Pool;
  power: VotingPowerService;
  preloader?: PowerPreloader | undefined;
  delegation?: DelegationService | undefined;
  /** Signs the log's tree head of each group commit (the receipt key). */
  signDigest: DigestSigner;
  /** A committed vote whose commit hook threw: logged, the vote stays acknowledged. */
  onHookError: (error: unknown) => void;
}): VoteMessageHandler {
  const proposalCache = new Map<string, ProposalRecord>();
  const writer = new VoteWriter(deps.pool, deps.signDigest, deps.onHookError);
  const hooks: VoteCommitHook[] = [];
  // One hook (the live tally) is passed as it is: no per-vote work beyond what it does itself.
  let afterCommit: VoteCommitHook | undefined;
  const voteDeps = (): VoteDeps => ({
    pool: deps.pool,
    power: deps.power,
    preloader: deps.preloader,
    proposalCache,
    writer,
    afterCommit,
    delegation: deps.delegation,
  });
  let current = voteDeps();
  return {
    type: 'Vote',
    handle: (submission) => handleVoteMessage(submission, current),
    onCommit(hook) {
      hooks.push(hook);
      const all = [...hooks];
      afterCommit =
        all.length === 1
          ? all[0]
          : (proposal, stage, vote, result) => {
              for (const h of all) h(proposal, stage, vote, result);
            };
      current = voteDeps();
    },
    forget(proposalId) {
      proposalCache.delete(proposalId);
    },
  };
}
