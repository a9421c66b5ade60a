/**
 * Slash commands. Quick answers go back in the HTTP response; anything that talks to the chain or
 * to Discord's API is deferred ("thinking…") and finished through the interaction token.
 *
 *   /idea title description   deferred, public: the idea message with its buttons, then a thread on it
 *   /ideas                    immediate, ephemeral: the open ideas of the server's space
 *   /proposal id              deferred, public: stage, live tally, time left
 *   /link [link|status|unlink] immediate, ephemeral: a one-time link page, the current link, or unlink
 *   /setup space              immediate, ephemeral: binds the server to a space (Manage Server)
 */
import { isGuildBoundTo, bindGuild, spaceForGuild } from './guilds.js';
import { Permission, type InteractionResponse } from './api-types.js';
import { channelUrl, shortAddress, truncate } from './format.js';
import { followUpTask, stringOption, type DiscordServices, type InteractionContext, type InteractionHandler } from './context.js';
import { deferred, ephemeral, ideasListMessage, linkMessage, proposalStatusMessage, reply } from './responses.js';
import { renderIdea, spaceSettings } from './ideas-view.js';
import { withDiscordRetries } from './rest.js';
import {
  countOpenIdeas,
  createIdea,
  findIdea,
  IDEA_ID_PATTERN,
  IDEA_LIMITS,
  listIdeas,
  setIdeaMessage,
  supportSummaries,
  withdrawIdea,
} from '../ideas/repository.js';
import { findProposal } from '../../../core/proposals/repository.js';
import { STAGE_NAMES } from '../../../core/lifecycle/states.js';
import { stageVoting } from '../../../core/proposals/rules.js';
import { tallyStage, tallyToJson } from '../../votes/stage-tally.js';
import { SPACE_ID_PATTERN } from '../../spaces/settings.js';
import { latestStageResult } from '../../../core/db/stage-results.js';

const NOT_BOUND =
  'This server is not connected to a govrelay space yet. Someone with Manage Server runs `/setup space:<id>` (the space settings must name this server).';
const LINK_FIRST = 'Link your wallet first: run `/link` and sign the message with your wallet.';

async function idea(ctx: InteractionContext, services: DiscordServices): Promise<InteractionResponse> {
  if (!ctx.guildId || !ctx.channelId) return ephemeral('Use /idea in a server channel.');
  const bound = await spaceForGuild(services.pool, ctx.guildId);
  if (!bound) return ephemeral(NOT_BOUND);
  const address = await services.links.addressOf(ctx.userId);
  if (!address) return ephemeral(LINK_FIRST);
  const title = (stringOption(ctx, 'title') ?? '').trim();
  const description = (stringOption(ctx, 'description') ?? '').trim();
  if (title.length === 0 || title.length > IDEA_LIMITS.titleMaxChars) return ephemeral(`The title must be 1 to ${IDEA_LIMITS.titleMaxChars} characters.`);
  if (description.length > IDEA_LIMITS.descriptionMaxChars) return ephemeral(`The description must be at most ${IDEA_LIMITS.descriptionMaxChars} characters.`);
  if ((await countOpenIdeas(services.pool, bound.spaceId, ctx.userId)) >= IDEA_LIMITS.maxOpenPerAuthor) {
    return ephemeral(`You already have ${IDEA_LIMITS.maxOpenPerAuthor} open ideas in ${bound.spaceId}. Promote or withdraw one first.`);
  }
  const created = await createIdea(services.pool, {
    spaceId: bound.spaceId,
    authorDiscordId: ctx.userId,
    authorName: ctx.username,
    authorAddress: address,
    guildId: ctx.guildId,
    channelId: ctx.channelId,
    title,
    description,
  });

  const { application_id: applicationId, token } = ctx.interaction;
  followUpTask(services, ctx, 'post idea', async () => {
    let message;
    try {
      message = await withDiscordRetries(() =>
        renderIdea(services.pool, created, services.publicUrl, bound.settings).then((payload) => services.rest.editOriginal(applicationId, token, payload)),
      );
    } catch (error) {
      // No message, no discussion: an idea nobody can see is withdrawn rather than left open.
      await withdrawIdea(services.pool, created.id);
      throw error;
    }
    // The discussion lives in a thread on the idea's message (same id as the message); without a
    // bot token, or where threads cannot start (inside a thread), the message itself is the link.
    let threadId: string | null = null;
    if (services.rest.hasBotToken) {
      try {
        threadId = (await withDiscordRetries(() => services.rest.startThread(message.channel_id, message.id, truncate(title, 100)))).id;
      } catch (error) {
        services.logger.warn({ err: error, ideaId: created.id }, 'could not start a thread on the idea');
      }
    }
    await setIdeaMessage(services.pool, created.id, {
      channelId: message.channel_id,
      messageId: message.id,
      threadId,
      discussionUrl: threadId ? channelUrl(ctx.guildId!, threadId) : channelUrl(ctx.guildId!, message.channel_id, message.id),
    });
  });
  return deferred();
}

async function ideas(ctx: InteractionContext, services: DiscordServices): Promise<InteractionResponse> {
  if (!ctx.guildId) return ephemeral('Use /ideas in a server channel.');
  const bound = await spaceForGuild(services.pool, ctx.guildId);
  if (!bound) return ephemeral(NOT_BOUND);
  const open = await listIdeas(services.pool, { spaceId: bound.spaceId, state: 'open', limit: 15 });
  const summaries = await supportSummaries(
    services.pool,
    open.map((i) => i.id),
  );
  const items = open
    .map((i) => ({ idea: i, summary: summaries.get(i.id)! }))
    .sort((a, b) => (b.summary.power > a.summary.power ? 1 : b.summary.power < a.summary.power ? -1 : 0));
  return reply(ideasListMessage(bound.spaceId, items, bound.settings.discord?.powerDecimals ?? 18), { ephemeral: true });
}

async function proposalStatus(ctx: InteractionContext, services: DiscordServices): Promise<InteractionResponse> {
  let id = (stringOption(ctx, 'id') ?? '').trim().toLowerCase();
  if (IDEA_ID_PATTERN.test(id)) {
    const fromIdea = await findIdea(services.pool, id);
    if (!fromIdea?.proposalId) return ephemeral(`Idea \`${id}\` has not become a proposal.`);
    id = fromIdea.proposalId;
  }
  if (!/^0x[0-9a-f]{64}$/.test(id)) return ephemeral('Give a proposal id (0x followed by 64 hex digits) or an idea id.');

  const { application_id: applicationId, token } = ctx.interaction;
  followUpTask(services, ctx, 'proposal status', async () => {
    const proposal = await findProposal(services.pool, id);
    if (!proposal) {
      await services.rest.editOriginal(applicationId, token, { content: `No proposal \`${id}\`.`, allowed_mentions: { parse: [] } });
      return;
    }
    const live = proposal.state === 'temperature' ? 1 : proposal.state === 'consensus' ? 2 : null;
    const last = await latestStageResult(services.pool, proposal.id);
    const settings = await spaceSettings(services.pool, proposal.spaceId);
    const base = { proposal, url: `${services.publicUrl}/proposals/${proposal.id}`, decimals: settings?.discord?.powerDecimals ?? 18 };
    let view;
    if (live) {
      const tally = services.liveTally.current(proposal.id, live) ?? tallyToJson(await tallyStage(services.pool, proposal, live));
      view = {
        ...base,
        stage: live as 1 | 2,
        live: true,
        choices: tally.choices,
        scores: tally.scores,
        totalPower: tally.totalPower,
        voterCount: tally.voterCount,
        quorum: proposal.rules.quorum[STAGE_NAMES[live]!],
        closesAt: live === 1 ? proposal.temperatureEnd : proposal.consensusEnd,
      };
    } else if (last) {
      view = {
        ...base,
        stage: last.stage as 1 | 2,
        live: false,
        choices: stageVoting(proposal, last.stage).choices,
        scores: last.scores as string[],
        totalPower: last.totalPower,
        voterCount: last.voterCount,
        quorum: last.quorum,
        closesAt: null,
      };
    } else {
      view = {
        ...base,
        stage: null,
        live: false,
        choices: [],
        scores: [],
        totalPower: '0',
        voterCount: 0,
        quorum: null,
        closesAt: proposal.state === 'pending' ? proposal.temperatureStart : null,
      };
    }
    await withDiscordRetries(() => services.rest.editOriginal(applicationId, token, proposalStatusMessage(view)));
  });
  return deferred();
}

async function link(ctx: InteractionContext, services: DiscordServices): Promise<InteractionResponse> {
  const action = stringOption(ctx, 'action') ?? 'link';
  const current = await services.links.addressOf(ctx.userId);
  if (action === 'status') {
    return ephemeral(
      current
        ? `Your Discord account is linked to \`${current}\` (for every space).`
        : 'Your Discord account is not linked to a wallet. Run `/link` to link one.',
    );
  }
  if (action === 'unlink') {
    const removed = await services.links.unlink(ctx.userId);
    return ephemeral(
      removed ? `Unlinked \`${shortAddress(removed)}\`. Your support of open ideas no longer counts toward promotion.` : 'There was no link to remove.',
    );
  }
  const { url, request } = await services.links.createRequest({
    discordUserId: ctx.userId,
    username: ctx.username,
    applicationId: ctx.interaction.application_id,
    interactionToken: ctx.interaction.token,
  });
  return reply(linkMessage(url, request.expiry, current), { ephemeral: true });
}

async function setup(ctx: InteractionContext, services: DiscordServices): Promise<InteractionResponse> {
  if (!ctx.guildId) return ephemeral('Run /setup in the server you want to connect.');
  if ((ctx.permissions & (Permission.ManageGuild | Permission.Administrator)) === 0n)
    return ephemeral('Connecting this server needs the Manage Server permission.');
  const spaceId = (stringOption(ctx, 'space') ?? '').trim();
  if (!new RegExp(SPACE_ID_PATTERN).test(spaceId)) return ephemeral('That is not a space id.');
  const settings = await spaceSettings(services.pool, spaceId);
  if (!settings) return ephemeral(`There is no space \`${spaceId}\`.`);
  if (settings.discord?.guildId !== ctx.guildId) {
    return ephemeral(`The settings of \`${spaceId}\` must name this server first: an admin of the space sets \`discord.guildId\` to \`${ctx.guildId}\`.`);
  }
  const already = await isGuildBoundTo(services.pool, ctx.guildId, spaceId);
  await bindGuild(services.pool, ctx.guildId, spaceId, ctx.userId);
  const channel = settings.discord.channelId
    ? `Results are announced in <#${settings.discord.channelId}> (the bot needs Manage Webhooks there).`
    : 'No notification channel is set (discord.channelId in the space settings).';
  return ephemeral(
    `${already ? 'Still connected' : 'Connected'} to space \`${spaceId}\`. Members post ideas with /idea and link wallets with /link. ${channel}`,
  );
}

export const COMMAND_HANDLERS: Record<string, InteractionHandler> = {
  idea,
  ideas,
  proposal: proposalStatus,
  link,
  setup,
};
