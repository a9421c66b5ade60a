/** What interaction handlers receive: the interaction, who sent it, and the services they use. */
import type { ReminderHooks } from '../../reminders/subscribe-handler.js';
import type pg from 'pg';
import type { JsonRpcProvider } from 'ethers';
import type { Log } from '../../../core/logger.js';
import type { LinkService } from '../links/link-service.js';
import type { LiveTally } from '../../votes/live-tally.js';
import type { VotingPowerService } from '../../votes/voting-power.js';
import type { CommandOption, Interaction, InteractionResponse } from './api-types.js';
import type { DiscordRest } from './rest.js';
import type { BackgroundTasks } from './tasks.js';

export interface DiscordServices {
  pool: pg.Pool;
  provider: JsonRpcProvider;
  power: VotingPowerService;
  liveTally: LiveTally;
  links: LinkService;
  rest: DiscordRest;
  tasks: BackgroundTasks;
  publicUrl: string;
  /** The reminders feature's hooks (direct-message reminders), set once its plugin registers. */
  reminders: ReminderHooks;
  logger: Log;
}

export interface InteractionContext {
  interaction: Interaction;
  userId: string;
  username: string;
  guildId: string | null;
  channelId: string | null;
  /** The member's permissions in this channel (0 outside servers). */
  permissions: bigint;
}

export type InteractionHandler = (ctx: InteractionContext, services: DiscordServices) => Promise<InteractionResponse>;

export function contextOf(interaction: Interaction): InteractionContext | null {
  const user = interaction.member?.user ?? interaction.user;
  if (!user?.id) return null;
  let permissions = 0n;
  try {
    permissions = BigInt(interaction.member?.permissions ?? '0');
  } catch {
    permissions = 0n;
  }
  return {
    interaction,
    userId: user.id,
    username: user.global_name || user.username || user.id,
    guildId: interaction.guild_id ?? null,
    channelId: interaction.channel_id ?? null,
    permissions,
  };
}

export function stringOption(ctx: InteractionContext, name: string): string | undefined {
  const option: CommandOption | undefined = ctx.interaction.data?.options?.find((o) => o.name === name);
  return typeof option?.value === 'string' ? option.value : undefined;
}

/**
 * Runs deferred work. If it fails, the user hears about it instead of waiting forever: a deferred
 * reply ("thinking…") is replaced by an apology; for a deferred update of a component's message
 * (the idea message itself must stay intact), an ephemeral follow-up is sent.
 */
export function followUpTask(
  services: DiscordServices,
  ctx: InteractionContext,
  name: string,
  work: () => Promise<void>,
  onError: 'edit' | 'followup' = 'edit',
): void {
  const { application_id: applicationId, token } = ctx.interaction;
  const apology = { content: 'Sorry, that did not work. Please try again in a moment.', allowed_mentions: { parse: [] as string[] } };
  services.tasks.run(name, async () => {
    try {
      await work();
    } catch (error) {
      const tell =
        onError === 'edit'
          ? services.rest.editOriginal(applicationId, token, { ...apology, embeds: [], components: [] })
          : services.rest.followUp(applicationId, token, { ...apology, flags: 1 << 6 });
      await tell.catch(() => undefined);
      throw error;
    }
  });
}
