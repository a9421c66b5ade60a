/**
 * Routes a verified interaction to its handler: PING → PONG, slash commands by name, buttons by
 * custom id. Unknown commands get a private explanation (Discord shows "interaction failed" for
 * anything but a valid response).
 */
import { InteractionType, type Interaction, type InteractionResponse } from './api-types.js';
import { COMMAND_HANDLERS } from './commands.js';
import { handleComponent } from './components.js';
import { contextOf, type DiscordServices } from './context.js';
import { ephemeral, pong } from './responses.js';
import { InvalidInputError } from '../../../core/errors.js';

export async function routeInteraction(interaction: Interaction, services: DiscordServices): Promise<InteractionResponse> {
  if (interaction.type === InteractionType.Ping) return pong();
  if (interaction.type !== InteractionType.ApplicationCommand && interaction.type !== InteractionType.MessageComponent) {
    throw new InvalidInputError('UNSUPPORTED_INTERACTION', `interaction type ${String(interaction.type)} is not handled`);
  }
  if (typeof interaction.token !== 'string' || typeof interaction.application_id !== 'string') {
    throw new InvalidInputError('INVALID_INTERACTION', 'an interaction needs token and application_id');
  }
  const ctx = contextOf(interaction);
  if (!ctx) throw new InvalidInputError('INVALID_INTERACTION', 'the interaction has no user');
  if (interaction.type === InteractionType.MessageComponent) return handleComponent(ctx, services);
  const name = interaction.data?.name ?? '';
  const handler = Object.hasOwn(COMMAND_HANDLERS, name) ? COMMAND_HANDLERS[name] : undefined;
  if (!handler) return ephemeral(`Unknown command /${name}. The commands are /idea, /ideas, /proposal, /link and /setup.`);
  return handler(ctx, services);
}
