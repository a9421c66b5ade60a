/**
 * The composition root of the message registry: every governance message type with its handler and
 * its after-commit hooks, in the order they run. A new message type (e.g. a delegation) is a handler
 * file in its own folder and one register() here; messages/ itself never imports a handler.
 *
 *   Space            spaces/space-handler.ts
 *   Proposal         proposals/create-proposal.ts → simulate the payload (proposals/payload-simulations.ts),
 *                                                   preload the voters' power, lifecycle timers
 *   Vote             votes/vote-handler.ts        → (inside the commit callback) the live tally, then the late-quorum trigger
 *   CancelProposal   proposals/action-handlers.ts → drop the vote handler's cached proposal, lifecycle
 *   AdvanceProposal  proposals/action-handlers.ts → drop the vote handler's cached proposal, lifecycle
 *   Delegate, Undelegate  delegations/delegation-handler.ts
 *   DelegateStatement     delegations/statement-handler.ts
 *   Subscribe        reminders/subscribe-handler.ts → queue the confirmation email (reminders plugin)
 *   Unsubscribe      reminders/subscribe-handler.ts
 *   Veto             vetoes/veto-handler.ts       → at the council's threshold, queue the relayer's veto-cancel step
 */
import type pg from 'pg';
import type { Log } from '../core/logger.js';
import type { DigestSigner } from '../core/log/digests.js';
import type { LifecycleEngine } from './lifecycle/engine.js';
import { MessageRegistry } from './messages/registry.js';
import { createSpaceHandler } from './spaces/space-handler.js';
import { createProposalHandler, type CreateProposalDeps } from './proposals/create-proposal.js';
import { createAdvanceHandler, createCancelHandler, type ProposalActionResult } from './proposals/action-handlers.js';
import { createVoteHandler } from './votes/vote-handler.js';
import { liveTallyHook, type LiveTally } from './votes/live-tally.js';
import { lateQuorumHook } from './votes/late-quorum-hook.js';
import { powerSubjectOf, type VotingPowerService } from './votes/voting-power.js';
import type { PowerPreloader } from './votes/power-preload.js';
import { createDelegateHandler, createUndelegateHandler } from './delegations/delegation-handler.js';
import { createStatementHandler } from './delegations/statement-handler.js';
import type { DelegationService } from './delegations/delegated-power.js';
import { delegationEnabled } from '../core/spaces/settings.js';
import { assertSavableWebhooks } from './ideation/notifications/webhook-settings-guard.js';
import { createSubscribeHandler, createUnsubscribeHandler, type ReminderHooks } from './reminders/subscribe-handler.js';
import { createVetoHandler } from './vetoes/veto-handler.js';
import { payloadSimulations } from './proposals/payload-simulations.js';

export interface MessageHandlerDeps {
  pool: pg.Pool;
  chainId: number;
  power: VotingPowerService;
  preloader: PowerPreloader;
  lifecycle: LifecycleEngine;
  liveTally: LiveTally;
  /** Proposals' delegation snapshots (spaces with delegation: "offchain"). */
  delegation: DelegationService;
  /** Proposal creation's chain access and optional hooks (the idea promotion of the Discord feature). */
  proposals: Omit<CreateProposalDeps, 'pool' | 'power'>;
  logger: Log;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: webhook URLs in settings may point at private addresses (development and tests). */
  allowPrivateWebhookUrls: boolean;
  /** Set by the reminders plugin when SMTP_URL is configured (until then Subscribe answers 503 REMINDERS_DISABLED). */
  reminders: ReminderHooks;
  /** The receipt key's signer of the log's tree heads (the vote writer signs one per group commit). */
  signDigest: DigestSigner;
  /** Queues the relayer's veto-cancel step of a vetoed proposal (its reconciler re-creates a lost one from the row). */
  queueVetoCancel(proposalId: string): Promise<void>;
}

/** Longest a committed message's answer waits for its lifecycle follow-up (see followUp). */
const AFTER_COMMIT_WAIT_MS = 2000;

export function buildMessageRegistry(deps: MessageHandlerDeps): MessageRegistry {
  const registry = new MessageRegistry();

  /**
   * The message is committed: its lifecycle follow-up (events, the next transition's timer in
   * Redis) must not turn its acknowledgement into an error, nor hold it while Redis is away. It gets
   * AFTER_COMMIT_WAIT_MS; what has not happened by then goes on in the background, and the lifecycle
   * sweeper (LIFECYCLE_SWEEP_INTERVAL_MS) schedules whatever timer was lost.
   */
  async function followUp(proposalId: string, transitions: Parameters<LifecycleEngine['afterMessage']>[1]): Promise<void> {
    const work = deps.lifecycle.afterMessage(proposalId, transitions).catch((error: unknown) => {
      deps.logger.warn({ err: error, proposalId }, 'after-commit work of a message failed; the lifecycle sweeper will catch up');
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, AFTER_COMMIT_WAIT_MS)))]);
    clearTimeout(timer);
  }

  const spaces = createSpaceHandler({ pool: deps.pool, chainId: deps.chainId });
  registry.register({
    ...spaces,
    // Webhook URLs are refused when the settings are saved, by the guard delivery uses.
    handle: async (submission) => {
      await assertSavableWebhooks(submission.message.settings, deps.allowPrivateWebhookUrls);
      return spaces.handle(submission);
    },
  });

  const proposals = createProposalHandler({ ...deps.proposals, pool: deps.pool, power: deps.power });
  registry.register(proposals);
  const simulations = payloadSimulations({ pool: deps.pool, provider: deps.proposals.provider, logger: deps.logger });
  registry.afterCommit(proposals, (proposal) => simulations.atCreation(proposal));
  deps.lifecycle.addListener(simulations.listener);
  registry.afterCommit(proposals, (proposal) => deps.preloader.ensure(powerSubjectOf(proposal)));
  registry.afterCommit(proposals, (proposal) => {
    if (delegationEnabled(proposal.rules.settings)) deps.delegation.ensure(proposal);
  });
  registry.afterCommit(proposals, (proposal) =>
    followUp(proposal.id, [{ proposalId: proposal.id, from: '', to: proposal.state, at: proposal.createdAt, cause: 'message', messageId: proposal.id }]),
  );

  const votes = createVoteHandler({
    pool: deps.pool,
    power: deps.power,
    preloader: deps.preloader,
    delegation: deps.delegation,
    signDigest: deps.signDigest,
    onHookError: (error) => deps.logger.error({ err: error }, 'after-commit hook of a vote failed'),
  });
  votes.onCommit(liveTallyHook(deps.liveTally));
  // After the live tally counted the vote: it reads that count.
  votes.onCommit(
    lateQuorumHook({ liveTally: deps.liveTally, check: (proposalId, stage) => deps.lifecycle.checkLateQuorum(proposalId, stage), logger: deps.logger }),
  );
  registry.register(votes);

  const actionHooks = (handler: ReturnType<typeof createCancelHandler> | ReturnType<typeof createAdvanceHandler>) => {
    registry.register(handler);
    const forget = ({ proposalId }: ProposalActionResult) => votes.forget(proposalId);
    const lifecycle = ({ proposalId, transition }: ProposalActionResult) => followUp(proposalId, [transition]);
    registry.afterCommit(handler, forget).afterCommit(handler, lifecycle);
  };
  actionHooks(createCancelHandler(deps.pool));
  actionHooks(createAdvanceHandler(deps.pool));

  registry.register(createDelegateHandler(deps.pool));
  registry.register(createUndelegateHandler(deps.pool));
  registry.register(createStatementHandler(deps.pool));
  const subscribe = createSubscribeHandler(deps.pool, deps.reminders);
  registry.register(subscribe);
  registry.afterCommit(subscribe, async ({ subscriptionId, status }) => {
    if (status !== 'pending') return;
    // Committed: a Redis outage must not turn the receipt into an error. The confirmation is then
    // not queued, and the signer subscribes again (a newer timestamp) to get one.
    await deps.reminders.confirmationCreated?.(subscriptionId).catch((error: unknown) => {
      deps.logger.warn({ err: error, subscriptionId }, 'could not queue a confirmation email');
    });
  });
  registry.register(createUnsubscribeHandler(deps.pool));
  const vetoes = createVetoHandler({ pool: deps.pool, provider: deps.proposals.provider });
  registry.register(vetoes);
  registry.afterCommit(vetoes, async ({ proposalId, reachedThreshold }) => {
    if (!reachedThreshold) return;
    // The veto is committed: a Redis outage must not turn its receipt into an error (the reconciler re-creates the job).
    await deps
      .queueVetoCancel(proposalId)
      .catch((error: unknown) => deps.logger.warn({ err: error, proposalId }, 'could not queue the veto cancel; the relayer reconciler will'));
  });

  return registry;
}
