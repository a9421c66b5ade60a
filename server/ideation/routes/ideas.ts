/** Ideas (the Discord ideation stage), read-only: the web view of what /idea and the buttons do. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ConflictError, NotFoundError, UpstreamError } from '../../../core/errors.js';
import { typesFor } from '../../eip712/types.js';
import { findIdea, IDEA_STATES, listIdeas, listSupports, supportSummaries, type IdeaRecord, type SupportSummary } from '../ideas/repository.js';
import { meetsThreshold, proposalDraft, thresholdOf, type PromotionRecord } from '../ideas/promotion.js';
import { Address, DecimalString, errorResponses, Page, PageQuery } from '../../routes/schemas.js';
import { decodeCursor, encodeCursor } from '../../routes/serialize.js';
import { findSpaceSettings } from '../../../core/db/spaces.js';
import { signalKind } from '../../../core/proposals/kinds.js';

const IdeaId = Type.String({ pattern: '^[0-9a-f]{12}$', description: 'idea id' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const ideaProperties = {
  id: IdeaId,
  space: Type.String(),
  title: Type.String(),
  description: Type.String(),
  state: Type.Enum([...IDEA_STATES]),
  author: Type.Object({ discordUserId: Type.String(), name: Type.String() }),
  discord: Type.Object({ guildId: Type.String(), channelId: Type.String(), messageId: Nullable(Type.String()), threadId: Nullable(Type.String()) }),
  discussion: Nullable(Type.String({ description: 'The thread link a promoting proposal must use as its discussion.' })),
  proposalId: Nullable(Type.String()),
  support: Type.Object({
    supporters: Type.Integer({ description: 'Wallets with power above zero, as recorded when they pressed Support.' }),
    power: DecimalString,
  }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
};
const IdeaSchema = Type.Object(ideaProperties);

const IdeaDetailSchema = Type.Object({
  ...ideaProperties,
  threshold: Type.Object({
    minSupporters: Type.Integer(),
    minSupportPower: DecimalString,
    met: Type.Boolean({ description: 'By the recorded weights; promotion re-checks at the proposal snapshot.' }),
  }),
  supporters: Type.Array(Type.Object({ address: Address, power: DecimalString, block: DecimalString, supportedAt: Type.String() })),
  promotion: Nullable(
    Type.Object({
      block: DecimalString,
      counted: Type.Integer(),
      totalPower: DecimalString,
      supporters: Type.Array(Type.Object({ address: Address, power: DecimalString })),
    }),
  ),
});

function ideaJson(idea: IdeaRecord, summary: SupportSummary) {
  return {
    id: idea.id,
    space: idea.spaceId,
    title: idea.title,
    description: idea.description,
    state: idea.state,
    // The Discord ↔ wallet mapping is not published; a promoted idea's author is public through the proposal.
    author: { discordUserId: idea.authorDiscordId, name: idea.authorName },
    discord: { guildId: idea.guildId, channelId: idea.channelId, messageId: idea.messageId, threadId: idea.threadId },
    discussion: idea.discussionUrl,
    proposalId: idea.proposalId,
    support: { supporters: summary.supporters, power: summary.power.toString() },
    createdAt: idea.createdAt.toISOString(),
    updatedAt: idea.updatedAt.toISOString(),
  };
}

const ideaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { pool } = app.db;

  async function requireIdea(id: string): Promise<IdeaRecord> {
    const idea = await findIdea(pool, id);
    if (!idea) throw new NotFoundError('IDEA_NOT_FOUND', `idea ${id} does not exist`);
    return idea;
  }

  app.get(
    '/api/ideas',
    {
      schema: {
        tags: ['ideas'],
        summary: 'Ideas posted in Discord with /idea, newest first',
        querystring: Type.Object({ space: Type.Optional(Type.String({ maxLength: 64 })), state: Type.Optional(Type.Enum([...IDEA_STATES])), ...PageQuery }),
        response: { 200: Page(IdeaSchema), 400: errorResponses[400] },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const cursor = decodeCursor(request.query.cursor);
      const rows = await listIdeas(pool, {
        spaceId: request.query.space,
        state: request.query.state,
        limit: limit + 1,
        before: cursor ? [Number(cursor[0]), String(cursor[1])] : null,
      });
      const page = rows.slice(0, limit);
      const summaries = await supportSummaries(
        pool,
        page.map((i) => i.id),
      );
      const last = page.at(-1);
      return {
        items: page.map((idea) => ideaJson(idea, summaries.get(idea.id)!)),
        nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null,
      };
    },
  );

  app.get(
    '/api/ideas/:id',
    {
      schema: {
        tags: ['ideas'],
        summary: 'One idea: its support, the space threshold, and the support that promoted it',
        params: Type.Object({ id: IdeaId }),
        response: { 200: IdeaDetailSchema, 404: errorResponses[404] },
      },
    },
    async (request) => {
      const idea = await requireIdea(request.params.id);
      const [summaries, supports, settings] = await Promise.all([
        supportSummaries(pool, [idea.id]),
        listSupports(pool, idea.id),
        findSpaceSettings(pool, idea.spaceId),
      ]);
      const summary = summaries.get(idea.id)!;
      const threshold = thresholdOf(settings ?? {});
      const promotion = idea.promotion as PromotionRecord | null;
      return {
        ...ideaJson(idea, summary),
        threshold: { minSupporters: threshold.minSupporters, minSupportPower: threshold.minSupportPower.toString(), met: meetsThreshold(summary, threshold) },
        supporters: supports.map((s) => ({
          address: s.address,
          power: s.power.toString(),
          block: s.block.toString(),
          supportedAt: s.supportedAt.toISOString(),
        })),
        promotion: promotion
          ? {
              block: promotion.block,
              counted: promotion.counted,
              totalPower: promotion.totalPower,
              supporters: promotion.supporters.map((s) => ({ address: s.address, power: s.power })),
            }
          : null,
      };
    },
  );

  app.get(
    '/api/ideas/:id/proposal-draft',
    {
      schema: {
        tags: ['ideas'],
        summary: 'The unsigned Proposal message that promotes this idea (add from, sign, POST /api/messages)',
        params: Type.Object({ id: IdeaId }),
        response: {
          200: Type.Object({
            typedData: Type.Object({ domain: Type.Unknown(), types: Type.Unknown(), primaryType: Type.Literal('Proposal'), message: Type.Unknown() }),
          }),
          404: errorResponses[404],
          409: errorResponses[409],
          503: errorResponses[503],
        },
      },
    },
    async (request) => {
      const idea = await requireIdea(request.params.id);
      if (idea.state !== 'open') throw new ConflictError('IDEA_NOT_OPEN', `idea ${idea.id} is ${idea.state}`);
      if (!idea.discussionUrl) throw new ConflictError('IDEA_NOT_READY', `idea ${idea.id} has no Discord message yet`);
      let latest: number;
      try {
        latest = await app.chain.provider.getBlockNumber();
      } catch (error) {
        throw new UpstreamError('RPC_ERROR', 'could not read the latest block', { cause: error });
      }
      // Only the wallet linked to the author can sign it; which wallet that is stays private until it signs.
      return {
        typedData: {
          domain: app.gov.messages.domain,
          types: typesFor('Proposal'),
          primaryType: 'Proposal' as const,
          message: proposalDraft(idea, Math.max(0, latest - 1), signalKind(await findSpaceSettings(app.db.pool, idea.spaceId))),
        },
      };
    },
  );
};

export default ideaRoutes;
