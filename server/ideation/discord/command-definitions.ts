/**
 * The slash commands, in Discord's application command format. scripts/discord-commands.ts prints
 * them, or registers them with --register (PUT replaces the whole set, so it is idempotent).
 */
import { IDEA_LIMITS } from '../ideas/repository.js';
import { OptionType } from './api-types.js';

/** Contexts: 0 = in a server, 1 = DM with the bot. Integration type 0 = installed in a server. */
const IN_SERVERS = { contexts: [0], integration_types: [0] };

export const COMMANDS = [
  {
    name: 'idea',
    description: 'Post an idea for the DAO; members support it, and the author can turn it into a proposal',
    type: 1,
    ...IN_SERVERS,
    options: [
      { name: 'title', description: 'A short title', type: OptionType.String, required: true, min_length: 1, max_length: IDEA_LIMITS.titleMaxChars },
      { name: 'description', description: 'What and why', type: OptionType.String, required: true, min_length: 1, max_length: IDEA_LIMITS.descriptionMaxChars },
    ],
  },
  { name: 'ideas', description: "List the open ideas of this server's space", type: 1, ...IN_SERVERS },
  {
    name: 'proposal',
    description: 'Status of a proposal: stage, live tally, time left',
    type: 1,
    ...IN_SERVERS,
    options: [
      {
        name: 'id',
        description: 'The proposal id (0x…), or the id of the idea it came from',
        type: OptionType.String,
        required: true,
        min_length: 12,
        max_length: 66,
      },
    ],
  },
  {
    name: 'link',
    description: 'Link your wallet to your Discord account (or see or remove the link)',
    type: 1,
    contexts: [0, 1],
    integration_types: [0],
    options: [
      {
        name: 'action',
        description: 'link (default), status or unlink',
        type: OptionType.String,
        required: false,
        choices: [
          { name: 'link', value: 'link' },
          { name: 'status', value: 'status' },
          { name: 'unlink', value: 'unlink' },
        ],
      },
    ],
  },
  {
    name: 'setup',
    description: 'Connect this server to a govrelay space (Manage Server)',
    type: 1,
    ...IN_SERVERS,
    // Manage Server (1 << 5): hidden from other members; the server checks it again.
    default_member_permissions: String(1 << 5),
    options: [{ name: 'space', description: 'The space id', type: OptionType.String, required: true, min_length: 2, max_length: 64 }],
  },
] as const;

export type CommandName = (typeof COMMANDS)[number]['name'];
