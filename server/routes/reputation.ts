/**
 * The off-chain reputation ledger (read by the reputation-weighted strategy with source "ledger"):
 * operators append entries; anyone reads an address's reputation as of a time.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../core/errors.js';
import { createReputationLedger, recordReputation } from '../reputation/ledger.js';
import { adminAuth } from './admin-auth.js';
import { Address, errorResponses, IdParams } from './schemas.js';
import { findSpace } from '../../core/db/spaces.js';

const reputationRoutes: FastifyPluginAsyncTypebox<{ adminToken: string | undefined }> = async (app, opts) => {
  const ledger = createReputationLedger(app.db.prisma);

  async function requireSpace(id: string): Promise<void> {
    if (!(await findSpace(app.db.pool, id))) {
      throw new NotFoundError('SPACE_NOT_FOUND', `space ${id} does not exist`);
    }
  }

  app.post(
    '/api/admin/spaces/:id/reputation',
    {
      onRequest: adminAuth(opts.adminToken),
      schema: {
        tags: ['admin'],
        summary: 'Append a reputation entry (operators; Authorization: Bearer ADMIN_TOKEN)',
        params: IdParams,
        body: Type.Object(
          {
            address: Address,
            delta: Type.String({ pattern: '^-?[1-9][0-9]{0,17}$', description: 'Signed integer change in points, as a string.' }),
            reason: Type.String({ minLength: 1, maxLength: 500 }),
            at: Type.Optional(Type.String({ format: 'date-time', description: 'When the change takes effect (default: now).' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ recorded: Type.Literal(true) }), ...errorResponses },
      },
    },
    async (request) => {
      await requireSpace(request.params.id);
      const { address, delta, reason, at } = request.body;
      await recordReputation(app.db.prisma, { spaceId: request.params.id, address, delta: BigInt(delta), reason, ...(at ? { at: new Date(at) } : {}) });
      return { recorded: true as const };
    },
  );

  app.get(
    '/api/spaces/:id/reputation/:address',
    {
      schema: {
        tags: ['spaces'],
        summary: "An address's ledger reputation in a space, as of a time (default now)",
        params: Type.Object({ id: IdParams.properties.id, address: Address }),
        querystring: Type.Object({ at: Type.Optional(Type.String({ format: 'date-time' })) }),
        response: { 200: Type.Object({ address: Address, reputation: Type.String(), at: Type.String() }), 404: errorResponses[404] },
      },
    },
    async (request) => {
      await requireSpace(request.params.id);
      const at = request.query.at ? new Date(request.query.at) : new Date();
      const address = request.params.address.toLowerCase();
      // The ledger is read at whole seconds; round up so "now" includes entries from this second.
      const totals = await ledger.reputationAt(request.params.id, [address], BigInt(Math.ceil(at.getTime() / 1000)));
      return { address, reputation: (totals.get(address) ?? 0n).toString(), at: at.toISOString() };
    },
  );
};

export default reputationRoutes;
