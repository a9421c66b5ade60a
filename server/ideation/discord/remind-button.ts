/**
 * The "Remind me" button of a stage announcement: a member whose Discord account is linked to a
 * wallet asks for a direct message before the stage closes, sent only if that wallet has not voted
 * by then (the email reminders' rule, decided when the message is due: server/reminders/).
 *
 * The private answer carries a menu of N, the hours before the close the message comes (default
 * 24): the choice is the member's, stored, and used for their reminders of open stages and later ones.
 */
import { ButtonStyle, ComponentType, type ActionRow, type Button, type InteractionResponse } from './api-types.js';
import type { DiscordServices, InteractionContext } from './context.js';
import { ephemeral, reply, updateMessage } from './responses.js';
import { findProposal } from '../../../core/proposals/repository.js';
import { hasVoted } from '../../../core/db/votes.js';
import { MAX_CLOSING_HOURS } from '../../reminders/subscribe-handler.js';

const PATTERN = /^remind:(0x[0-9a-f]{64}):([12])$/;
export const REMIND_HOURS_ID = 'remind-hours';
/** The menu's choices; any whole number from 1 to MAX_CLOSING_HOURS (the email reminders' bound) is accepted. */
export const REMIND_HOURS_CHOICES = [1, 2, 3, 6, 12, 24, 48, 72, 168] as const;

export function remindButton(proposalId: string, stage: number): Button {
  return { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Remind me by DM', custom_id: `remind:${proposalId}:${stage}` };
}

export function isRemindButton(customId: string | undefined): boolean {
  return PATTERN.test(customId ?? '');
}

export function isRemindHoursMenu(customId: string | undefined): boolean {
  return customId === REMIND_HOURS_ID;
}

function hoursMenu(current: number): ActionRow {
  const choices = (REMIND_HOURS_CHOICES as readonly number[]).includes(current)
    ? [...REMIND_HOURS_CHOICES]
    : [...REMIND_HOURS_CHOICES, current].sort((a, b) => a - b);
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: REMIND_HOURS_ID,
        placeholder: 'Remind me earlier or later',
        options: choices.map((hours) => ({
          label: `${hours} ${hours === 1 ? 'hour' : 'hours'} before the close`,
          value: String(hours),
          default: hours === current,
        })),
      },
    ],
  };
}

const planned = (hours: number, address: string) =>
  `I will send you a direct message about ${hours} ${hours === 1 ? 'hour' : 'hours'} before this vote closes if \`${address}\` has not voted by then. ` +
  'Keep direct messages from this server open. The menu changes how early, for this reminder and your next ones.';

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
  const hours = await services.reminders.discordOptIn({ discordUserId: ctx.userId, proposalId: proposal.id, stage });
  return reply({ content: planned(hours, address), components: [hoursMenu(hours)] }, { ephemeral: true });
}

/** The menu under the answer above: stores the member's N and re-plans their open reminders; the answer is updated in place. */
export async function handleRemindHours(ctx: InteractionContext, services: DiscordServices): Promise<InteractionResponse> {
  if (!services.reminders.discordHours) return ephemeral('Direct-message reminders are not available on this server.');
  const raw = ctx.interaction.data?.values?.[0] ?? '';
  const hours = /^[0-9]{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(hours >= 1 && hours <= MAX_CLOSING_HOURS)) return ephemeral(`Choose a whole number of hours from 1 to ${MAX_CLOSING_HOURS}.`);
  const count = await services.reminders.discordHours({ discordUserId: ctx.userId, hours });
  const unit = hours === 1 ? 'hour' : 'hours';
  return updateMessage({
    content:
      `Your direct-message reminders now come about ${hours} ${unit} before a vote closes` +
      (count > 0 ? ` (${count} planned ${count === 1 ? 'reminder' : 'reminders'} moved).` : '.'),
    components: [hoursMenu(hours)],
  });
}
