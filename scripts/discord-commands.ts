/**
 * The Discord slash commands (/idea, /ideas, /proposal, /link, /setup).
 *
 *   npx tsx scripts/discord-commands.ts                       print the command definitions (JSON)
 *   npx tsx scripts/discord-commands.ts --register            PUT them as global commands
 *   npx tsx scripts/discord-commands.ts --register --guild=ID PUT them in one server (instant, for testing)
 *
 * Registering reads DISCORD_APPLICATION_ID, DISCORD_BOT_TOKEN and DISCORD_API_BASE from the
 * environment (core/config.ts). PUT replaces the application's whole command set, so running it
 * again is safe.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigOrExit } from '../core/config.js';
import { COMMANDS } from '../server/ideation/discord/command-definitions.js';
import { DiscordRest } from '../server/ideation/discord/rest.js';

export async function registerCommands(options: { apiBase: string; applicationId: string; botToken: string; guildId?: string }): Promise<unknown[]> {
  const rest = new DiscordRest({ apiBase: options.apiBase, botToken: options.botToken });
  return rest.putCommands(options.applicationId, [...COMMANDS], options.guildId);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (!args.includes('--register')) {
    console.log(JSON.stringify(COMMANDS, null, 2));
    return;
  }
  const config = loadConfigOrExit(process.env);
  if (!config.DISCORD_APPLICATION_ID || !config.DISCORD_BOT_TOKEN) {
    console.error('--register needs DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN');
    process.exitCode = 2;
    return;
  }
  const guildId = args.find((a) => a.startsWith('--guild='))?.slice('--guild='.length);
  const registered = await registerCommands({
    apiBase: config.DISCORD_API_BASE,
    applicationId: config.DISCORD_APPLICATION_ID,
    botToken: config.DISCORD_BOT_TOKEN,
    ...(guildId ? { guildId } : {}),
  });
  console.log(`registered ${registered.length} commands ${guildId ? `in server ${guildId}` : 'globally (they can take up to an hour to appear)'}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
