/**
 * Which space a Discord guild belongs to. Both sides must agree: the space's signed settings name
 * the guild (discord.guildId), and a member with Manage Server in the guild runs /setup for the
 * space. Without the guild's consent anyone could create a space naming a guild and make the bot
 * post into it; without the space's, a guild could attach itself to any space.
 */
import type { Queryable } from '../../../core/db/transaction.js';
import type { SpaceSettings } from '../../spaces/settings.js';

export interface BoundSpace {
  spaceId: string;
  settings: SpaceSettings;
}

/** The space a guild is bound to, if the space's settings still name the guild. */
export async function spaceForGuild(db: Queryable, guildId: string): Promise<BoundSpace | null> {
  const { rows } = await db.query<{ space_id: string; settings: SpaceSettings }>(
    'SELECT g.space_id, s.settings FROM discord_guilds g JOIN spaces s ON s.id = g.space_id WHERE g.guild_id = $1',
    [guildId],
  );
  const row = rows[0];
  if (!row || row.settings.discord?.guildId !== guildId) return null;
  return { spaceId: row.space_id, settings: row.settings };
}

export async function bindGuild(db: Queryable, guildId: string, spaceId: string, discordUserId: string): Promise<void> {
  await db.query(
    `INSERT INTO discord_guilds (guild_id, space_id, bound_by, bound_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (guild_id) DO UPDATE SET space_id = EXCLUDED.space_id, bound_by = EXCLUDED.bound_by, bound_at = EXCLUDED.bound_at`,
    [guildId, spaceId, discordUserId],
  );
}

/** True if the guild is bound to this space (used before the bot posts anything for the space). */
export async function isGuildBoundTo(db: Queryable, guildId: string, spaceId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM discord_guilds WHERE guild_id = $1 AND space_id = $2', [guildId, spaceId]);
  return rows.length > 0;
}
