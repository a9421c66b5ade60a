/**
 * GET /api/proposals/:id/votes/:address — one voter's current votes on a proposal (one per stage), so
 * the vote form shows a member's previous vote without paging through every vote.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../core/errors.js';
import { Address, Bytes32, DecimalString, errorResponses } from './schemas.js';
import { dec } from './serialize.js';

const VoterVoteSchema = Type.Object({
  voter: Address,
  stage: Type.Integer(),
  choice: Type.Unknown({ description: 'the parsed choice JSON (1, [1,3], {"1":2})' }),
  reason: Type.String(),
  power: DecimalString,
  timestamp: DecimalString,
  messageId: Bytes32,
  receivedAt: Type.String(),
});

const voterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/proposals/:id/votes/:address',
    {
      schema: {
        tags: ['proposals'],
        summary: "One voter's current votes on a proposal, one per stage (empty when they have not voted)",
        params: Type.Object({ id: Bytes32, address: Address }),
        response: { 200: Type.Object({ items: Type.Array(VoterVoteSchema) }), 404: errorResponses[404] },
      },
    },
    async (request) => {
      const id = request.params.id.toLowerCase();
      const proposal = await app.db.prisma.proposal.findUnique({ where: { id }, select: { id: true } });
      if (!proposal) throw new NotFoundError('PROPOSAL_NOT_FOUND', `proposal ${request.params.id} does not exist`);
      const rows = await app.db.prisma.vote.findMany({ where: { proposalId: id, voter: request.params.address.toLowerCase() }, orderBy: { stage: 'asc' } });
      return {
        items: rows.map((v) => ({
          voter: v.voter,
          stage: v.stage,
          choice: v.choice,
          reason: v.reason,
          power: dec(v.power),
          timestamp: v.timestamp.toString(),
          messageId: v.messageId,
          receivedAt: v.receivedAt.toISOString(),
        })),
      };
    },
  );
};

export default voterRoutes;
