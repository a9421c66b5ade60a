/**
 * The path of every signed message: envelope and domain checks → timestamp window → replay check →
 * signature (EOA, EIP-1271, EIP-6492) → the handler for its type, which writes the message and its
 * effects in one transaction → the receipt. Nothing is acknowledged before it is committed.
 *
 * Each step works on one message today; the steps are separate so that the performance work can
 * run them over batches (verification in worker threads, multi-row writes) without a rewrite.
 */
import type pg from 'pg';
import type { Log } from '../logger.js';
import type { Config } from '../config.js';
import { InvalidInputError } from '../errors.js';
import { buildDomain, isGovernanceType, type GovernanceType } from '../eip712/types.js';
import { parseEnvelope, type ParsedEnvelope, type ParsedEnvelopeOf } from '../eip712/envelope.js';
import type { SignatureVerifier } from '../eip712/signature.js';
import type { LifecycleEngine } from '../lifecycle/engine.js';
import type { LiveTally } from '../votes/live-tally.js';
import { handleVoteMessage } from '../votes/vote-handler.js';
import type { VotingPowerService } from '../votes/voting-power.js';
import type { ProposalRecord } from '../proposals/repository.js';
import { handleProposalMessage, type CreateProposalDeps } from '../proposals/create-proposal.js';
import { handleAdvanceMessage, handleCancelMessage } from '../proposals/proposal-actions.js';
import { handleSpaceMessage } from '../spaces/space-handler.js';
import type { ReceiptSigner } from './receipt.js';
import { duplicateError, type Receipt, type Submission } from './submission.js';

type GovernanceEnvelope = Exclude<ParsedEnvelope, ParsedEnvelopeOf<'LinkDiscord'>>;

function isGovernanceEnvelope(envelope: ParsedEnvelope): envelope is GovernanceEnvelope {
  return isGovernanceType(envelope.primaryType);
}

export interface MessageServiceDeps {
  config: Pick<Config, 'CHAIN_ID' | 'DEPLOYMENT_SALT' | 'MESSAGE_MAX_AGE_S' | 'MESSAGE_MAX_FUTURE_S'>;
  pool: pg.Pool;
  verifier: SignatureVerifier;
  receipts: ReceiptSigner;
  power: VotingPowerService;
  lifecycle: LifecycleEngine;
  liveTally: LiveTally;
  proposals: Omit<CreateProposalDeps, 'pool' | 'power'>;
  logger: Log;
}

export class MessageService {
  readonly domain;
  private readonly proposalCache = new Map<string, ProposalRecord>();

  constructor(private readonly deps: MessageServiceDeps) {
    this.domain = buildDomain(deps.config.CHAIN_ID, deps.config.DEPLOYMENT_SALT);
  }

  async submit(body: unknown): Promise<Receipt> {
    const receivedAt = new Date();
    const envelope = parseEnvelope(body, { domain: this.domain, extraFields: ['payload'] });
    if (!isGovernanceEnvelope(envelope)) {
      throw new InvalidInputError('UNKNOWN_TYPE', `${envelope.primaryType} messages are not posted here (LinkDiscord: POST /api/discord/link)`, {
        details: { path: '/data/primaryType' },
      });
    }
    const parsed = envelope;
    this.checkTimestamp(Number(parsed.message.timestamp), receivedAt);

    // Cheap replay check before the (possibly RPC-bound) signature check; the primary key on
    // signed_messages is what actually guarantees it.
    const seen = await this.deps.pool.query('SELECT 1 FROM signed_messages WHERE id = $1', [parsed.digest]);
    if (seen.rowCount) throw duplicateError(parsed.digest);

    const sig = await this.deps.verifier.verify(parsed.from, parsed.digest, parsed.signature);
    const submission: Submission = {
      primaryType: parsed.primaryType,
      message: parsed.message,
      from: parsed.from,
      id: parsed.digest,
      signature: parsed.signature,
      envelope: body,
      receivedAt,
      sigKind: sig.kind,
      sigBlock: sig.block,
      receipt: this.deps.receipts.sign(parsed.digest, receivedAt.getTime()),
    } as Submission;

    await this.dispatch(submission);
    return { id: submission.id, type: submission.primaryType, receipt: submission.receipt, receivedAt: receivedAt.toISOString() };
  }

  private checkTimestamp(timestamp: number, receivedAt: Date): void {
    const now = Math.floor(receivedAt.getTime() / 1000);
    const { MESSAGE_MAX_AGE_S: maxAge, MESSAGE_MAX_FUTURE_S: maxFuture } = this.deps.config;
    if (timestamp < now - maxAge || timestamp > now + maxFuture) {
      throw new InvalidInputError(
        'TIMESTAMP_OUT_OF_WINDOW',
        `timestamp ${timestamp} is outside the accepted window [now - ${maxAge} s, now + ${maxFuture} s] (now is ${now})`,
        { details: { timestamp, now, maxAge, maxFuture } },
      );
    }
  }

  private async dispatch(submission: Submission): Promise<void> {
    const { deps } = this;
    const type: GovernanceType = submission.primaryType;
    switch (type) {
      case 'Vote': {
        const { proposal, stage } = await handleVoteMessage(submission as Submission<'Vote'>, {
          pool: deps.pool,
          power: deps.power,
          proposalCache: this.proposalCache,
        });
        deps.liveTally.markDirty(proposal, stage);
        return;
      }
      case 'Space':
        await handleSpaceMessage(submission as Submission<'Space'>, { pool: deps.pool, chainId: deps.config.CHAIN_ID });
        return;
      case 'Proposal': {
        const proposal = await handleProposalMessage(submission as Submission<'Proposal'>, { ...deps.proposals, pool: deps.pool, power: deps.power });
        await deps.lifecycle.afterMessage(proposal.id, [
          { proposalId: proposal.id, from: '', to: proposal.state, at: proposal.createdAt, cause: 'message', messageId: proposal.id },
        ]);
        return;
      }
      case 'CancelProposal':
      case 'AdvanceProposal': {
        const { proposalId, transition } =
          type === 'CancelProposal'
            ? await handleCancelMessage(submission as Submission<'CancelProposal'>, deps.pool)
            : await handleAdvanceMessage(submission as Submission<'AdvanceProposal'>, deps.pool);
        this.proposalCache.delete(proposalId);
        await deps.lifecycle.afterMessage(proposalId, [transition]);
        return;
      }
    }
  }
}
