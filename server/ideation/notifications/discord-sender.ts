/**
 * Posts a notification to a space's Discord channel through a webhook the bot creates there once
 * (Manage Webhooks permission) and keeps in discord_webhooks. The webhook's token never leaves
 * the server: a webhook URL in the space settings would be public forever (signed settings are
 * published), and anyone holding it could post as the DAO.
 */
import type pg from 'pg';
import { withTransaction } from '../../../core/db/transaction.js';
import { lockDiscordWebhook } from '../../../core/db/locks.js';
import type { MessagePayload } from '../discord/api-types.js';
import { isGuildBoundTo } from '../discord/guilds.js';
import { DiscordApiError, type DiscordRest } from '../discord/rest.js';
import { PermanentDeliveryError } from './errors.js';

export const WEBHOOK_NAME = 'govrelay';
const UNKNOWN_WEBHOOK = 10015;

interface StoredWebhook {
  webhook_id: string;
  token: string;
}

async function channelWebhook(pool: pg.Pool, rest: DiscordRest, guildId: string, channelId: string): Promise<StoredWebhook> {
  const existing = await pool.query<StoredWebhook>('SELECT webhook_id, token FROM discord_webhooks WHERE channel_id = $1 AND guild_id = $2', [
    channelId,
    guildId,
  ]);
  if (existing.rows[0]) return existing.rows[0];
  // One creator per channel, across workers and instances.
  return withTransaction(pool, async (client) => {
    await lockDiscordWebhook(client, channelId);
    const again = await client.query<StoredWebhook>('SELECT webhook_id, token FROM discord_webhooks WHERE channel_id = $1 AND guild_id = $2', [
      channelId,
      guildId,
    ]);
    if (again.rows[0]) return again.rows[0];
    const channel = await rest.getChannel(channelId);
    if (channel.guild_id !== guildId) throw new PermanentDeliveryError(`channel ${channelId} is not in guild ${guildId}`);
    const created = await rest.createWebhook(channelId, WEBHOOK_NAME);
    if (!created.token) throw new PermanentDeliveryError('Discord created a webhook without a token');
    await client.query(
      `INSERT INTO discord_webhooks (channel_id, guild_id, webhook_id, token, created_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (channel_id) DO UPDATE SET guild_id = EXCLUDED.guild_id, webhook_id = EXCLUDED.webhook_id, token = EXCLUDED.token, created_at = EXCLUDED.created_at`,
      [channelId, guildId, created.id, created.token],
    );
    return { webhook_id: created.id, token: created.token };
  });
}

export async function postToDiscordChannel(
  deps: { pool: pg.Pool; rest: DiscordRest },
  target: { spaceId: string; guildId: string; channelId: string },
  message: MessagePayload,
): Promise<void> {
  if (!deps.rest.hasBotToken) throw new PermanentDeliveryError('DISCORD_BOT_TOKEN is not set: no Discord notifications');
  if (!(await isGuildBoundTo(deps.pool, target.guildId, target.spaceId))) {
    throw new PermanentDeliveryError(`guild ${target.guildId} has not confirmed space ${target.spaceId} with /setup`);
  }
  const hook = await channelWebhook(deps.pool, deps.rest, target.guildId, target.channelId);
  try {
    await deps.rest.executeWebhook(hook.webhook_id, hook.token, message);
  } catch (error) {
    if (error instanceof DiscordApiError && (error.status === 404 || error.discordCode === UNKNOWN_WEBHOOK)) {
      // Someone deleted the webhook in Discord: forget it; the retry creates a new one.
      await deps.pool.query('DELETE FROM discord_webhooks WHERE channel_id = $1 AND webhook_id = $2', [target.channelId, hook.webhook_id]);
      throw new Error('the channel webhook was deleted in Discord; it is recreated on the next attempt');
    }
    throw error;
  }
}
