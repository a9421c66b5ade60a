/**
 * Discord ideation: the interactions endpoint, wallet links, ideas and their pages. Off (routes
 * answer 503 DISCORD_DISABLED) unless DISCORD_PUBLIC_KEY is set; the ideas read API always works.
 */
import fp from 'fastify-plugin';
import type { KeyObject } from 'node:crypto';
import type { Config } from '../../../core/config.js';
import type { DiscordServices } from '../discord/context.js';
import { DiscordRest } from '../discord/rest.js';
import { discordPublicKey } from '../discord/signature.js';
import { BackgroundTasks } from '../discord/tasks.js';
import { LinkService } from '../links/link-service.js';
import { ideaPromotionHook } from '../ideas/promotion.js';
import discordRoutes from '../routes/discord.js';
import ideaRoutes from '../routes/ideas.js';

export interface DiscordFeature {
  /** Null when the feature is off. */
  publicKey: KeyObject | null;
  services: DiscordServices;
  redisPrefix: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    discord: DiscordFeature;
  }
}

/** The server's public base URL, without a trailing slash. */
export function publicUrlOf(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  return (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/+$/, '');
}

export default fp(
  async (app, opts: { config: Config }) => {
    const { config } = opts;
    const publicUrl = publicUrlOf(config);
    const tasks = new BackgroundTasks(app.log);
    const services: DiscordServices = {
      pool: app.db.pool,
      provider: app.chain.provider,
      power: app.gov.power,
      liveTally: app.gov.liveTally,
      links: new LinkService({
        pool: app.db.pool,
        redis: app.redis,
        redisPrefix: config.REDIS_PREFIX,
        verifier: app.chain.verifier,
        domain: app.gov.messages.domain,
        publicUrl,
      }),
      rest: new DiscordRest({ apiBase: config.DISCORD_API_BASE, botToken: config.DISCORD_BOT_TOKEN }),
      tasks,
      publicUrl,
      reminders: app.gov.reminderHooks,
      logger: app.log,
    };
    const publicKey = config.DISCORD_PUBLIC_KEY ? discordPublicKey(config.DISCORD_PUBLIC_KEY) : null;
    if (!publicKey) app.log.info('DISCORD_PUBLIC_KEY not set: the Discord routes answer 503 DISCORD_DISABLED');
    app.decorate('discord', { publicKey, services, redisPrefix: config.REDIS_PREFIX });
    // Proposal creation promotes the idea a proposal names through this hook (the core imports nothing of ideas/).
    app.gov.proposalHooks.promotion = ideaPromotionHook({ pool: app.db.pool, power: app.gov.power });

    await app.register(discordRoutes);
    await app.register(ideaRoutes);
    // Deferred interaction work uses the database: let it finish before the database closes.
    app.addHook('onClose', async () => tasks.idle());
  },
  { name: 'discord', dependencies: ['database', 'redis', 'chain', 'governance'] },
);
