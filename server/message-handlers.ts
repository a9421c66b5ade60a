/**
 * The composition root of the message registry: every governance message type with its handler and
 * its after-commit hooks, in the order they run. A new message type (e.g. a delegation) is a handler
 * file in its own folder and one register() here; messages/ itself never imports a handler.
 *
 *   Space            spaces/space-handler.ts
 *   Proposal         proposals/create-proposal.ts → preload the voters' power, lifecycle timers
 *   Vote             votes/vote-handler.ts        → (inside the commit callback) the live tally
 *   CancelProposal   proposals/action-handlers.ts → drop the vote handler's cached proposal, lifecycle
 *   AdvanceProposal  proposals/action-handlers.ts → drop the vote handler's cached proposal, lifecycle
 */
import type pg from 'pg';
import type { Log } from '../core/logger.js';
import type { LifecycleEngine } from './lifecycle/engine.js';
import { MessageRegistry } from './messages/registry.js';
import { createSpaceHandler } from './spaces/space-handler.js';
import { createProposalHandler, type CreateProposalDeps } from './proposals/create-proposal.js';
import { createAdvanceHandler, createCancelHandler, type ProposalActionResult } from './proposals/action-handlers.js';
import { createVoteHandler } from './votes/vote-handler.js';
import { liveTallyHook, type LiveTally } from './votes/live-tally.js';
import { powerSubjectOf, type VotingPowerService } from './votes/voting-power.js';
import type { PowerPreloader } from './votes/power-preload.js';

export interface MessageHandlerDeps {
  pool: pg.Pool;
  chainId: number;
  power: VotingPowerService;
  preloader: PowerPreloader;
  lifecycle: LifecycleEngine;
  liveTally: LiveTally;
  /** Proposal creation's chain access and optional hooks (the idea promotion of the Discord feature). */
  proposals: Omit<CreateProposalDeps, 'pool' | 'power'>;
  logger: Log;
}

export function buildMessageRegistry(deps: MessageHandlerDeps): MessageRegistry {
  const registry = new MessageRegistry();

  registry.register(createSpaceHandler({ pool: deps.pool, chainId: deps.chainId }));

  const proposals = createProposalHandler({ ...deps.proposals, pool: deps.pool, power: deps.power });
  registry.register(proposals);
  registry.afterCommit(proposals, (proposal) => deps.preloader.ensure(powerSubjectOf(proposal)));
  registry.afterCommit(proposals, (proposal) =>
    deps.lifecycle.afterMessage(proposal.id, [
      { proposalId: proposal.id, from: '', to: proposal.state, at: proposal.createdAt, cause: 'message', messageId: proposal.id },
    ]),
  );

  const votes = createVoteHandler({
    pool: deps.pool,
    power: deps.power,
    preloader: deps.preloader,
    onHookError: (error) => deps.logger.error({ err: error }, 'after-commit hook of a vote failed'),
  });
  votes.onCommit(liveTallyHook(deps.liveTally));
  registry.register(votes);

  const actionHooks = (handler: ReturnType<typeof createCancelHandler> | ReturnType<typeof createAdvanceHandler>) => {
    registry.register(handler);
    const forget = ({ proposalId }: ProposalActionResult) => votes.forget(proposalId);
    const lifecycle = ({ proposalId, transition }: ProposalActionResult) => deps.lifecycle.afterMessage(proposalId, [transition]);
    registry.afterCommit(handler, forget).afterCommit(handler, lifecycle);
  };
  actionHooks(createCancelHandler(deps.pool));
  actionHooks(createAdvanceHandler(deps.pool));

  return registry;
}
