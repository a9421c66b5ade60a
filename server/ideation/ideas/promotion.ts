/**
 * Promotion: an idea becomes a proposal when its author signs a Proposal message whose `idea`
 * field names it. Proposal creation (server/proposals/create-proposal.ts) calls the hook
 * ideaPromotionHook() returns, which the ideation plugin installs: checkIdeaPromotion before the
 * proposal is stored, markIdeaPromoted inside the same transaction.
 *
 * Threshold semantics (space settings discord.promotion): every criterion that is set must be met.
 *   - minSupporters: supporters counted = distinct wallets currently linked to the idea's
 *     supporters, other than the author's wallet, with voting power above zero;
 *   - minSupportPower: the sum of those wallets' power.
 * Power is read at the proposal's snapshot block (not the weights shown in Discord, which were
 * read at the latest block when each member pressed Support): a fixed, past block that anyone can
 * re-check, and that a flash loan taken when pressing Support cannot inflate.
 */
import type pg from 'pg';
import type { Queryable } from '../../../core/db/transaction.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../../core/errors.js';
import type { SpaceSettings } from '../../spaces/settings.js';
import type { VotingPowerService } from '../../votes/voting-power.js';
import type { IdeaPromotionHook } from '../../proposals/create-proposal.js';
import { findIdea, linkedSupporters, promoteIdea, type IdeaRecord, type SupportSummary } from './repository.js';
import { linkedAddress } from '../links/link-service.js';

export interface PromotionThreshold {
  minSupporters: number;
  minSupportPower: bigint;
}

export function thresholdOf(settings: Pick<SpaceSettings, 'discord'>): PromotionThreshold {
  const promotion = settings.discord?.promotion;
  return { minSupporters: promotion?.minSupporters ?? 0, minSupportPower: BigInt(promotion?.minSupportPower ?? '0') };
}

export function meetsThreshold(summary: SupportSummary, threshold: PromotionThreshold): boolean {
  return summary.supporters >= threshold.minSupporters && summary.power >= threshold.minSupportPower;
}

export interface PromotionRecord {
  /** The block the supporters' power was read at (the proposal's snapshot). */
  block: string;
  supporters: { discordUserId: string; address: string; power: string }[];
  counted: number;
  totalPower: string;
}

export interface PromotionInput {
  ideaId: string;
  spaceId: string;
  /** The proposal's signer, lowercase. */
  from: string;
  discussion: string;
  settings: SpaceSettings;
  snapshotBlock: bigint;
  snapshotTime: bigint;
}

/** Throws the reason a proposal may not promote this idea; otherwise answers the idea and the support that met the threshold. */
export async function checkIdeaPromotion(
  deps: { pool: pg.Pool; power: VotingPowerService },
  input: PromotionInput,
): Promise<{ idea: IdeaRecord; promotion: PromotionRecord }> {
  const idea = await findIdea(deps.pool, input.ideaId);
  if (!idea || idea.spaceId !== input.spaceId) throw new NotFoundError('IDEA_NOT_FOUND', `idea ${input.ideaId} does not exist in ${input.spaceId}`);
  if (idea.state !== 'open')
    throw new ConflictError('IDEA_NOT_OPEN', `idea ${idea.id} is ${idea.state}`, { details: { state: idea.state, proposalId: idea.proposalId } });

  if ((await linkedAddress(deps.pool, idea.authorDiscordId)) !== input.from) {
    // Which wallet is linked is not said: the Discord ↔ wallet mapping stays private.
    throw new ForbiddenError('NOT_IDEA_AUTHOR', 'an idea is promoted by the wallet linked to its Discord author');
  }
  if (!idea.discussionUrl) throw new ConflictError('IDEA_NOT_READY', `idea ${idea.id} has no Discord message yet`);
  if (input.discussion !== idea.discussionUrl) {
    throw new InvalidInputError('INVALID_DISCUSSION', `a proposal promoting idea ${idea.id} links its Discord thread as discussion`, {
      details: { expected: idea.discussionUrl },
    });
  }

  // Current links: a supporter who unlinked no longer counts, and a wallet counts once.
  const supporters = await linkedSupporters(deps.pool, idea.id);
  const byAddress = new Map<string, string>();
  for (const row of supporters) if (row.address !== input.from && !byAddress.has(row.address)) byAddress.set(row.address, row.discord_user_id);
  const addresses = [...byAddress.keys()];
  const powers = addresses.length
    ? await deps.power.compute(
        { spaceId: input.spaceId, snapshotBlock: input.snapshotBlock, snapshotTime: input.snapshotTime, strategies: input.settings.strategies },
        addresses,
      )
    : [];
  const counted = addresses.map((address, i) => ({ discordUserId: byAddress.get(address)!, address, power: powers[i]!.total })).filter((s) => s.power > 0n);
  const summary = { supporters: counted.length, power: counted.reduce((sum, s) => sum + s.power, 0n) };
  const threshold = thresholdOf(input.settings);
  if (!meetsThreshold(summary, threshold)) {
    throw new ForbiddenError(
      'IDEA_BELOW_THRESHOLD',
      `idea ${idea.id} has ${summary.supporters} supporters with ${summary.power} power at block ${input.snapshotBlock}; promotion needs ${threshold.minSupporters} and ${threshold.minSupportPower}`,
      {
        details: {
          supporters: summary.supporters,
          power: summary.power.toString(),
          minSupporters: threshold.minSupporters,
          minSupportPower: threshold.minSupportPower.toString(),
          block: input.snapshotBlock.toString(),
        },
      },
    );
  }
  return {
    idea,
    promotion: {
      block: input.snapshotBlock.toString(),
      supporters: counted.map((s) => ({ ...s, power: s.power.toString() })),
      counted: summary.supporters,
      totalPower: summary.power.toString(),
    },
  };
}

/** Inside the proposal's transaction: the idea becomes promoted and records the proposal, or the whole creation fails. */
export async function markIdeaPromoted(client: Queryable, ideaId: string, proposalId: string, promotion: PromotionRecord): Promise<void> {
  if (!(await promoteIdea(client, ideaId, proposalId, promotion)))
    throw new ConflictError('IDEA_NOT_OPEN', `idea ${ideaId} was promoted or withdrawn meanwhile`);
}

/** The unsigned Proposal message that promotes an idea, for the promote page (the author adds from and signs). */
export function proposalDraft(idea: IdeaRecord, snapshot: number, kind: string) {
  const footer = `\n\n---\nIdea ${idea.id} by ${idea.authorName}, discussed on Discord: ${idea.discussionUrl ?? ''}`;
  return {
    space: idea.spaceId,
    timestamp: Math.floor(Date.now() / 1000),
    title: idea.title,
    body: `${idea.description}${footer}`,
    discussion: idea.discussionUrl ?? '',
    choices: ['For', 'Against', 'Abstain'],
    votingType: 'basic',
    snapshot,
    execution: '',
    payloadHash: `0x${'00'.repeat(32)}`,
    idea: idea.id,
    kind,
  };
}

/** Proposal creation's promotion hook (CreateProposalDeps.hooks.promotion), installed by the ideation plugin. */
export function ideaPromotionHook(deps: { pool: pg.Pool; power: VotingPowerService }): IdeaPromotionHook {
  return {
    async check(input) {
      const { idea, promotion } = await checkIdeaPromotion(deps, input);
      return { ideaId: idea.id, record: (client, proposalId) => markIdeaPromoted(client, idea.id, proposalId, promotion) };
    },
  };
}
