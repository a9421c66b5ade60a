/**
 * Delegation, read side: a space's delegates ranked by received power (with their statements and
 * participation) and a holder's current delegations (a voter's power explained is GET
 * /api/proposals/:id/power/:address, in proposals.ts). Written by the Delegate, Undelegate and DelegateStatement messages.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../core/errors.js';
import { findProposal, type ProposalRecord } from '../../core/proposals/repository.js';
import { findSpaceSettings } from '../../core/db/spaces.js';
import { delegationEnabled } from '../../core/spaces/settings.js';
import { currentDelegationsOf, firstDelegatedAt } from '../../core/db/delegations.js';
import { findDelegateStatements } from '../../core/db/delegate-statements.js';
import { delegateParticipation, latestResolvedProposal, rankDelegates, sharesToDelegate } from '../../core/db/delegation-shares.js';
import type { DelegationSnapshot } from '../delegations/delegated-power.js';
import { Address, Bytes32, DecimalString, IdParams, errorResponses } from './schemas.js';

const StatementSchema = Type.Union([
  Type.Object({ statement: Type.String(), links: Type.Array(Type.String()), timestamp: DecimalString, messageId: Bytes32, updatedAt: Type.String() }),
  Type.Null(),
]);

const DelegateSchema = Type.Object({
  address: Address,
  received: DecimalString,
  delegators: Type.Integer({ description: 'delegators whose delegation counted at the snapshot' }),
  participation: Type.Object({
    proposals: Type.Integer({ description: "the space's proposals created since their first delegation" }),
    voted: Type.Integer({ description: 'of those, how many they voted on (any stage)' }),
  }),
  statement: StatementSchema,
});

const DelegationSchema = Type.Object({
  space: Type.Union([Type.String(), Type.Null()], { description: 'the space, or null for every space' }),
  delegates: Type.Array(Type.Object({ address: Address, bps: Type.Integer() })),
  expiry: Type.Union([DecimalString, Type.Null()]),
  active: Type.Boolean({ description: 'false once expired' }),
  timestamp: DecimalString,
  messageId: Bytes32,
});

const delegationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const pool = app.db.pool;

  async function proposalOr404(id: string): Promise<ProposalRecord> {
    const proposal = await findProposal(pool, id.toLowerCase());
    if (!proposal) throw new NotFoundError('PROPOSAL_NOT_FOUND', `proposal ${id} does not exist`);
    return proposal;
  }

  async function snapshotOf(proposal: ProposalRecord): Promise<DelegationSnapshot | null> {
    return delegationEnabled(proposal.rules.settings) ? app.gov.delegation.forProposal(proposal) : null;
  }

  /** The proposal whose delegation snapshot a directory reads: the one asked for, else the space's latest with delegation. */
  async function snapshotProposal(spaceId: string, requested: string | undefined): Promise<string | null> {
    if (!(await findSpaceSettings(pool, spaceId))) throw new NotFoundError('SPACE_NOT_FOUND', `space ${spaceId} does not exist`);
    if (!requested) return latestResolvedProposal(pool, spaceId);
    const proposal = await proposalOr404(requested);
    if (proposal.spaceId !== spaceId) throw new NotFoundError('PROPOSAL_NOT_FOUND', `proposal ${proposal.id} is not in space ${spaceId}`);
    return (await snapshotOf(proposal)) ? proposal.id : null;
  }

  async function describeDelegates(spaceId: string, ranked: { delegate: string; received: bigint; delegators: number }[]) {
    const addresses = ranked.map((r) => r.delegate);
    const [statements, since] = await Promise.all([findDelegateStatements(pool, spaceId, addresses), firstDelegatedAt(pool, spaceId, addresses)]);
    const participation = await delegateParticipation(pool, spaceId, since);
    return ranked.map((r) => {
      const statement = statements.get(r.delegate);
      return {
        address: r.delegate,
        received: r.received.toString(),
        delegators: r.delegators,
        participation: participation.get(r.delegate) ?? { proposals: 0, voted: 0 },
        statement: statement
          ? {
              statement: statement.statement,
              links: statement.links,
              timestamp: statement.timestamp.toString(),
              messageId: statement.messageId,
              updatedAt: statement.updatedAt.toISOString(),
            }
          : null,
      };
    });
  }

  app.get(
    '/api/spaces/:id/delegates',
    {
      schema: {
        tags: ['delegation'],
        summary: "A space's delegates ranked by received power at a proposal's snapshot (default: its latest proposal with delegation)",
        params: IdParams,
        querystring: Type.Object({
          proposal: Type.Optional(Bytes32),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
        }),
        response: {
          200: Type.Object({ proposal: Type.Union([Bytes32, Type.Null()]), items: Type.Array(DelegateSchema) }),
          404: errorResponses[404],
        },
      },
    },
    async (request) => {
      const spaceId = request.params.id;
      const proposalId = await snapshotProposal(spaceId, request.query.proposal);
      if (!proposalId) return { proposal: null, items: [] };
      const ranked = await rankDelegates(pool, proposalId, request.query.limit ?? 100, request.query.offset ?? 0);
      return { proposal: proposalId, items: await describeDelegates(spaceId, ranked) };
    },
  );

  app.get(
    '/api/spaces/:id/delegates/:address',
    {
      schema: {
        tags: ['delegation'],
        summary: 'One delegate of a space: statement, participation, and the power each delegator lent them at a proposal’s snapshot (default: the latest)',
        params: Type.Object({ id: IdParams.properties.id, address: Address }),
        querystring: Type.Object({ proposal: Type.Optional(Bytes32) }),
        response: {
          200: Type.Object({
            proposal: Type.Union([Bytes32, Type.Null()]),
            delegate: DelegateSchema,
            delegators: Type.Array(Type.Object({ address: Address, bps: Type.Integer(), power: DecimalString })),
          }),
          404: errorResponses[404],
        },
      },
    },
    async (request) => {
      const spaceId = request.params.id;
      const address = request.params.address.toLowerCase();
      const proposalId = await snapshotProposal(spaceId, request.query.proposal);
      const edges = proposalId ? await sharesToDelegate(pool, proposalId, address) : [];
      const received = edges.reduce((sum, e) => sum + e.power, 0n);
      const [delegate] = await describeDelegates(spaceId, [{ delegate: address, received, delegators: edges.length }]);
      return {
        proposal: proposalId,
        delegate: delegate!,
        delegators: edges.map((e) => ({ address: e.delegator, bps: e.bps, power: e.power.toString() })),
      };
    },
  );

  app.get(
    '/api/delegations/:address',
    {
      schema: {
        tags: ['delegation'],
        summary: "A holder's current delegations: per space and global (ended ones are left out, expired ones say active: false)",
        params: Type.Object({ address: Address }),
        response: { 200: Type.Object({ items: Type.Array(DelegationSchema) }) },
      },
    },
    async (request) => {
      const rows = await currentDelegationsOf(pool, request.params.address.toLowerCase());
      const now = BigInt(Math.floor(Date.now() / 1000));
      return {
        items: rows
          .filter((row) => row.kind === 'delegate')
          .map((row) => ({
            space: row.spaceId === '' ? null : row.spaceId,
            delegates: row.delegates,
            expiry: row.expiry === null ? null : row.expiry.toString(),
            active: row.expiry === null || row.expiry > now,
            timestamp: row.timestamp.toString(),
            messageId: row.messageId,
          })),
      };
    },
  );
};

export default delegationRoutes;
