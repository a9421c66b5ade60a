/**
 * The buttons on an idea's message.
 *
 *   Support         deferred update: reads the wallet's power (chain), records the support, then
 *                   edits the idea message and tells the supporter privately with what weight
 *   Remove support  immediate update of the idea message
 *   Withdraw        author only; immediate update (the idea closes, its buttons go)
 *
 * and the "Remind me by DM" button of stage announcements with its menu of hours (remind-button.ts).
 *
 * Supporting needs a linked wallet; anything refused is answered privately and changes nothing.
 */
import { MessageFlags, type InteractionResponse } from './api-types.js';
import { followUpTask, type DiscordServices, type InteractionContext } from './context.js';
import { formatPower } from './format.js';
import { renderIdea, spaceSettings } from './ideas-view.js';
import { deferredUpdate, ephemeral, IDEA_ACTIONS, updateMessage, type IdeaAction } from './responses.js';
import { withDiscordRetries } from './rest.js';
import { findIdea, removeSupport, upsertSupport, withdrawIdea } from '../ideas/repository.js';
import { latestPower } from '../ideas/support-power.js';
import { handleRemindButton, handleRemindHours, isRemindButton, isRemindHoursMenu } from './remind-button.js';

function parseCustomId(customId: string | undefined): { action: IdeaAction; ideaId: string } | null {
  const match = /^idea:([a-z]+):([0-9a-f]{12})$/.exec(customId ?? '');
  if (!match || !(IDEA_ACTIONS as readonly string[]).includes(match[1]!)) return null;
  return { action: match[1] as IdeaAction, ideaId: match[2]! };
}

export async function handleComponent(ctx: InteractionContext, services: DiscordServices): Promise<InteractionResponse> {
  if (isRemindButton(ctx.interaction.data?.custom_id)) return handleRemindButton(ctx, services);
  if (isRemindHoursMenu(ctx.interaction.data?.custom_id)) return handleRemindHours(ctx, services);
  const parsed = parseCustomId(ctx.interaction.data?.custom_id);
  if (!parsed) return ephemeral('This button is not one of ours any more.');
  const idea = await findIdea(services.pool, parsed.ideaId);
  if (!idea) return ephemeral('This idea does not exist.');
  if (idea.state !== 'open') return ephemeral(`This idea is ${idea.state}${idea.proposalId ? ` (proposal \`${idea.proposalId}\`)` : ''}.`);

  if (parsed.action === 'withdraw') {
    if (ctx.userId !== idea.authorDiscordId) return ephemeral('Only the author can withdraw an idea.');
    if (!(await withdrawIdea(services.pool, idea.id))) return ephemeral('This idea is no longer open.');
    return updateMessage(await renderIdea(services.pool, { ...idea, state: 'withdrawn' }, services.publicUrl));
  }

  if (parsed.action === 'unsupport') {
    if (!(await removeSupport(services.pool, idea.id, ctx.userId))) return ephemeral('You do not support this idea.');
    return updateMessage(await renderIdea(services.pool, idea, services.publicUrl));
  }

  // support
  if (ctx.userId === idea.authorDiscordId) return ephemeral('Authors cannot support their own idea; other members do.');
  const address = await services.links.addressOf(ctx.userId);
  if (!address) return ephemeral("Link your wallet first: run `/link` and sign the message with your wallet. Support counts with your wallet's voting power.");

  const { application_id: applicationId, token } = ctx.interaction;
  followUpTask(
    services,
    ctx,
    'support idea',
    async () => {
      const settings = await spaceSettings(services.pool, idea.spaceId);
      if (!settings) throw new Error(`space ${idea.spaceId} is gone`);
      const { block, powers } = await latestPower(services, idea.spaceId, settings, [address]);
      const power = powers[0]!;
      const recorded = await upsertSupport(services.pool, idea.id, { discordUserId: ctx.userId, address, power, block });
      const decimals = settings.discord?.powerDecimals ?? 18;
      const note = !recorded
        ? 'This idea closed before your support was recorded.'
        : power === 0n
          ? `Your support is recorded, but \`${address}\` has no voting power in ${idea.spaceId} (block ${block}), so it does not count.`
          : `You support “${idea.title}” with ${formatPower(power, decimals)} voting power (block ${block}).`;
      const fresh = (await findIdea(services.pool, idea.id)) ?? idea;
      await withDiscordRetries(async () =>
        services.rest.editOriginal(applicationId, token, await renderIdea(services.pool, fresh, services.publicUrl, settings)),
      );
      await withDiscordRetries(() =>
        services.rest.followUp(applicationId, token, { content: note, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } }),
      );
    },
    'followup',
  );
  return deferredUpdate();
}
