/**
 * Veto messages: a council member vetoes a passed proposal while its operation waits in the timelock.
 *
 * Checks, in order: the proposal exists and belongs to the space; the proposal's rules (the space
 * settings fixed at its creation, so a council named after the vote cannot be packed to stop it) name a
 * council and the signer is one of its members; the proposal is `queued` and its operation is
 * scheduled in the timelock, and the chain's clock is before the veto deadline (VETO_GUARD_SECONDS
 * before the ETA: core/executions/veto-window.ts); the member has not vetoed it before.
 *
 * The chain's clock is read under the proposal's exclusive lock, which the relayer's execute step also
 * takes to re-read the veto state right before it sends executeBatch (after it saw the operation Ready,
 * i.e. the chain's clock at or past the ETA). So a veto either commits before that re-check (and the
 * execute is not sent), or reads the clock after it (past the deadline: refused, VETO_WINDOW_CLOSED).
 *
 * The veto is stored with its signed message (published like a vote), and the veto that reaches
 * the council's threshold marks the execution vetoed in the same transaction: from then on the relayer's
 * only step for it is veto-cancel (relayer/steps/veto.ts), which the after-commit hook queues and the
 * relayer's reconciler re-creates if that job is lost.
 */
import type pg from 'pg';
import type { JsonRpcProvider } from 'ethers';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UpstreamError } from '../../core/errors.js';
import { withTransaction } from '../../core/db/transaction.js';
import { lockProposalExclusive } from '../../core/db/locks.js';
import { findProposal } from '../../core/proposals/repository.js';
import { findExecution, markVetoed } from '../../core/executions/repository.js';
import { countVetoes, insertVeto } from '../../core/db/vetoes.js';
import { VETO_GUARD_SECONDS, vetoDeadline } from '../../core/executions/veto-window.js';
import { codePointCount } from '../http/text-length.js';
import { recordMessage, type Submission } from '../messages/submission.js';
import type { MessageHandler } from '../messages/registry.js';

export interface VetoResult {
  proposalId: string;
  /** Vetoes by current council members, this one included. */
  vetoes: number;
  threshold: number;
  /** This veto reached the threshold: the operation is to be cancelled. */
  reachedThreshold: boolean;
}

export interface VetoDeps {
  pool: pg.Pool;
  provider: Pick<JsonRpcProvider, 'send'>;
}

/** As a vote's reason. */
const REASON_MAX_CHARS = 5000;

async function chainTime(provider: VetoDeps['provider']): Promise<number> {
  try {
    // Asked of the node directly: ethers answers getBlock('latest') from the block number it polled last,
    // which can be a block older than one just mined (a veto would then pass after the ready time).
    const number = (await provider.send('eth_blockNumber', [])) as string;
    const block = (await provider.send('eth_getBlockByNumber', [number, false])) as { timestamp?: string } | null;
    if (!block?.timestamp) throw new Error('the node returned no latest block');
    return Number(BigInt(block.timestamp));
  } catch (error) {
    throw new UpstreamError('RPC_ERROR', 'could not read the chain time', { cause: error });
  }
}

export async function handleVetoMessage(submission: Submission<'Veto'>, deps: VetoDeps): Promise<VetoResult> {
  const { message, from } = submission;
  if (codePointCount(message.reason, REASON_MAX_CHARS + 1) > REASON_MAX_CHARS) {
    throw new InvalidInputError('REASON_TOO_LONG', `reason must be at most ${REASON_MAX_CHARS} characters`, {
      details: { path: '/data/message/reason' },
    });
  }
  return withTransaction(deps.pool, async (client) => {
    const proposalId = message.proposal.toLowerCase();
    await lockProposalExclusive(client, proposalId);
    const proposal = await findProposal(client, proposalId);
    if (!proposal) throw new NotFoundError('PROPOSAL_NOT_FOUND', `proposal ${proposalId} does not exist`);
    if (proposal.spaceId !== message.space) {
      throw new InvalidInputError('SPACE_MISMATCH', `proposal ${proposal.id} belongs to space ${proposal.spaceId}, not ${message.space}`);
    }
    const council = proposal.rules.settings.council;
    if (!council) throw new InvalidInputError('NO_COUNCIL', `space ${proposal.spaceId} had no veto council when proposal ${proposal.id} was created`);
    if (!council.members.includes(from)) throw new ForbiddenError('NOT_COUNCIL_MEMBER', `${from} is not a member of the veto council of this proposal`);

    const execution = proposal.state === 'queued' ? await findExecution(client, proposal.id) : null;
    if (!execution || execution.status !== 'scheduled' || !execution.eta) {
      throw new ConflictError(
        'NOT_IN_TIMELOCK',
        `a veto is accepted while the operation waits in the timelock; the proposal is ${proposal.state}${execution ? `, its execution ${execution.status}` : ''}`,
      );
    }
    // The chain's clock decides (a test chain's clock may run ahead of ours), read under the lock: see above.
    const now = await chainTime(deps.provider);
    const deadline = vetoDeadline(execution.eta);
    if (deadline.getTime() <= now * 1000) {
      throw new ConflictError(
        'VETO_WINDOW_CLOSED',
        `vetoes were accepted until ${deadline.toISOString()}, ${VETO_GUARD_SECONDS} s before the operation's ready time ${execution.eta.toISOString()}: too late to veto`,
        { details: { deadline: deadline.toISOString(), eta: execution.eta.toISOString() } },
      );
    }

    await recordMessage(client, submission, { spaceId: proposal.spaceId, proposalId: proposal.id });
    const stored = await insertVeto(client, {
      proposalId: proposal.id,
      member: from,
      messageId: submission.id,
      reason: message.reason,
      receivedAt: submission.receivedAt,
    });
    if (!stored) throw new ConflictError('ALREADY_VETOED', `${from} already vetoed proposal ${proposal.id}`);
    const vetoes = await countVetoes(client, proposal.id, council.members);
    const reachedThreshold = vetoes >= council.threshold && (await markVetoed(client, proposal.id, submission.receivedAt));
    return { proposalId: proposal.id, vetoes, threshold: council.threshold, reachedThreshold };
  });
}

/** The Veto entry of the message registry (server/messages/registry.ts). */
export function createVetoHandler(deps: VetoDeps): MessageHandler<'Veto', VetoResult> {
  return { type: 'Veto', handle: (submission) => handleVetoMessage(submission, deps) };
}
