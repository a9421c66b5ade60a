/**
 * Discord routes: the interactions endpoint (Discord's HTTP callbacks), wallet linking and the two
 * pages members are sent to (/discord/link, /discord/promote: the members' app, which renders them). They answer 503 DISCORD_DISABLED when DISCORD_PUBLIC_KEY is not configured.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, InvalidInputError, NotFoundError, SignatureError } from '../../../core/errors.js';
import type { Interaction } from '../discord/api-types.js';
import { routeInteraction } from '../discord/router.js';
import { verifyDiscordRequest } from '../discord/signature.js';
import { appIndexHtml, sendAppIndex } from '../../plugins/web.js';
import { shortAddress } from '../discord/format.js';
import { envelopeSchema } from '../../eip712/envelope.js';
import { Address, errorResponses } from '../../routes/schemas.js';

const disabled = () => new AppError('DISCORD_DISABLED', 503, 'Discord is not configured on this server (DISCORD_PUBLIC_KEY is not set)');

const InteractionBody = Type.Object(
  {
    id: Type.String(),
    application_id: Type.String(),
    type: Type.Integer({ description: '1 PING, 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT' }),
    token: Type.Optional(Type.String()),
    data: Type.Optional(Type.Unknown()),
    guild_id: Type.Optional(Type.String()),
    channel_id: Type.Optional(Type.String()),
    member: Type.Optional(Type.Unknown()),
    user: Type.Optional(Type.Unknown()),
  },
  { description: 'A Discord interaction, signed by Discord (Ed25519 over X-Signature-Timestamp + raw body).' },
);

const InteractionResponseSchema = Type.Object(
  {
    type: Type.Integer({ description: '1 PONG, 4 message, 5 deferred message, 6 deferred update, 7 update' }),
    data: Type.Optional(Type.Unknown({ description: 'Message: content, embeds, components, flags (64 = ephemeral)' })),
  },
  { description: "Discord's interaction response format." },
);

const LinkRequestSchema = Type.Object({
  discordUserId: Type.String(),
  username: Type.String(),
  expiry: Type.Integer({ description: 'unix seconds' }),
  typedData: Type.Object(
    { domain: Type.Unknown(), types: Type.Unknown(), primaryType: Type.Literal('LinkDiscord'), message: Type.Unknown() },
    { description: 'Add message.from (the wallet) and sign with eth_signTypedData_v4.' },
  ),
});

const PageHtml = Type.String({ description: 'text/html' });

const interactionRoute: FastifyPluginAsyncTypebox = async (app) => {
  // The signature covers the exact bytes Discord sent: keep the body raw in this context.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/api/discord/interactions',
    {
      // Discord's requests come from a few addresses; they are authenticated by signature instead.
      config: { rateLimit: false },
      validatorCompiler: () => () => true,
      schema: {
        tags: ['discord'],
        summary: "Discord interactions endpoint (set it as the application's Interactions Endpoint URL)",
        description:
          'Verifies the Ed25519 signature (401 INVALID_SIGNATURE / STALE_TIMESTAMP, nothing happens), answers PING, runs /idea, /ideas, /proposal, /link, /setup and the idea buttons.',
        headers: Type.Object({ 'x-signature-ed25519': Type.String(), 'x-signature-timestamp': Type.String() }),
        body: InteractionBody,
        response: { 200: InteractionResponseSchema, 400: errorResponses[400], 401: errorResponses[401], 409: errorResponses[409], 503: errorResponses[503] },
      },
    },
    async (request) => {
      const discord = app.discord;
      if (!discord.publicKey) throw disabled();
      const raw = request.body as unknown;
      if (!Buffer.isBuffer(raw)) throw new InvalidInputError('INVALID_REQUEST', 'expected a JSON body');
      const check = verifyDiscordRequest(
        discord.publicKey,
        { signature: request.headers['x-signature-ed25519'], timestamp: request.headers['x-signature-timestamp'] },
        raw,
      );
      if (!check.ok) throw new SignatureError(check.code, check.message);
      let interaction: Interaction;
      try {
        interaction = JSON.parse(raw.toString('utf8')) as Interaction;
      } catch {
        throw new InvalidInputError('INVALID_JSON', 'the request body is not valid JSON');
      }
      if (typeof interaction !== 'object' || interaction === null || typeof interaction.id !== 'string') {
        throw new InvalidInputError('INVALID_INTERACTION', 'an interaction has an id');
      }
      // A signed request replayed within the timestamp window must not act twice.
      const fresh = await app.redis.set(`${discord.redisPrefix}:discord:interaction:${interaction.id}`, '1', 'EX', 900, 'NX');
      if (fresh !== 'OK') throw new AppError('DUPLICATE_INTERACTION', 409, 'this interaction was already received');
      return routeInteraction(interaction, discord.services);
    },
  );
};

const linkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/discord/link/:token',
    {
      schema: {
        tags: ['discord'],
        summary: 'A pending wallet-link request (from /link): what the wallet must sign',
        params: Type.Object({ token: Type.String({ minLength: 16, maxLength: 128 }) }),
        response: { 200: LinkRequestSchema, 404: errorResponses[404], 503: errorResponses[503] },
      },
    },
    async (request) => {
      if (!app.discord.publicKey) throw disabled();
      const pending = await app.discord.services.links.getRequest(request.params.token);
      if (!pending) throw new NotFoundError('LINK_REQUEST_NOT_FOUND', 'unknown, used or expired link token: run /link again');
      return {
        discordUserId: pending.discordUserId,
        username: pending.username,
        expiry: pending.expiry,
        typedData: app.discord.services.links.typedData(pending),
      };
    },
  );

  app.post(
    '/api/discord/link',
    {
      // Checked field by field by the envelope parser (precise error codes), as for /api/messages.
      validatorCompiler: () => () => true,
      schema: {
        tags: ['discord'],
        summary: 'Link a wallet to a Discord user with a signed LinkDiscord message (EOA, EIP-1271 or EIP-6492)',
        body: envelopeSchema(),
        response: {
          200: Type.Object({ discordUserId: Type.String(), address: Address, previousAddress: Type.Union([Address, Type.Null()]) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const discord = app.discord;
      if (!discord.publicKey) throw disabled();
      const linked = await discord.services.links.complete(request.body);
      const { applicationId, interactionToken } = linked.request;
      if (applicationId && interactionToken) {
        // Update the private /link answer in Discord, while its token is still valid.
        discord.services.tasks.run('link confirmation', async () => {
          await discord.services.rest.editOriginal(applicationId, interactionToken, {
            content: `Linked to \`${shortAddress(linked.address)}\` (\`${linked.address}\`).`,
            components: [],
            allowed_mentions: { parse: [] },
          });
        });
      }
      return { discordUserId: linked.discordUserId, address: linked.address, previousAddress: linked.previousAddress };
    },
  );

  for (const mode of ['link', 'promote'] as const) {
    app.get(
      `/discord/${mode}`,
      {
        schema: {
          tags: ['discord'],
          summary: mode === 'link' ? 'Page: sign LinkDiscord with a browser wallet' : 'Page: sign the Proposal that promotes an idea',
          querystring: mode === 'link' ? Type.Object({ token: Type.Optional(Type.String()) }) : Type.Object({ idea: Type.Optional(Type.String()) }),
          produces: ['text/html'],
          response: { 200: PageHtml, 503: errorResponses[503] },
        },
      },
      async (request, reply) => {
        if (!app.discord.publicKey) throw disabled();
        // The members' app renders this page (web/src/pages/DiscordPage.tsx) from the query it keeps.
        const html = appIndexHtml();
        if (!html) throw new AppError('WEB_APP_NOT_BUILT', 503, "the members' app is not built on this server (npm run build:web)");
        return sendAppIndex(request, reply, html);
      },
    );
  }
};

const discordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(interactionRoute);
  await app.register(linkRoutes);
};

export default discordRoutes;
