/**
 * The "Remind me" button of a stage announcement: a member whose Discord account is linked to a
 * wallet asks for a direct message before the stage closes, sent only if that wallet has not voted
 * by then (the email reminders' rule, decided when the message is due: server/reminders/).
 */
import { ButtonStyle, ComponentType, type Button, type InteractionResponse } from './api-types.js';
import type { DiscordServices, InteractionContext } from './context.js';
import { ephemeral } from './responses.js';
import { findProposal } from '../../../core/proposals/repository.js';
import { hasVoted } from '../../../core/db/votes.js';
import { DEFAULT_CLOSING_HOURS } from '../../reminders/subscribe-handler.js';

const PATTERN = /^remind:(0x[0-9a-f]{64}):([12])$/;

export function remindButton(proposalId: string, stage: number): Button {
  return { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Remind me by DM', custom_id: `remind:${proposalId}:${stage}` };
}

export function isRemindButton(customId: string | undefined): boolean {
  return PATTERN.test(customId ?? '');
}

export async function handleRemindButton(ctx: InteractionContext, services: DiscordServices): Promise<InteractionResponse> {
  const [, proposalId, stageText] = PATTERN.exec(ctx.interaction.data?.custom_id ?? '')!;
  const stage = Number(stageText);
  if (!services.reminders.discordOptIn) return ephemeral('Direct-message reminders are not available on this server.');
  const address = await services.links.addressOf(ctx.userId);
  if (!address) return ephemeral('Link your wallet first: run `/link` and sign the message with your wallet. The reminder checks whether that wallet voted.');
  const proposal = await findProposal(services.pool, proposalId!);
  const open = proposal && proposal.state === (stage === 1 ? 'temperature' : 'consensus');
  if (!open) return ephemeral('This vote is not open any more.');
  if (await hasVoted(services.pool, proposal.id, stage, address)) return ephemeral(`\`${address}\` has already voted in this stage: no reminder needed.`);
  await services.reminders.discordOptIn({ discordUserId: ctx.userId, proposalId: proposal.id, stage });
  return ephemeral(
    `I will send you a direct message about ${DEFAULT_CLOSING_HOURS} hours before this vote closes if \`${address}\` has not voted by then. ` +
      'Keep direct messages from this server open.',
  );
}
