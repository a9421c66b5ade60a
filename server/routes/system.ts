import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MESSAGE_TYPES, EIP712_DOMAIN_TYPE } from '../eip712/types.js';
import { PROPOSAL_LIMITS } from '../../core/proposals/limits.js';
import { Address } from './schemas.js';
import { pingDatabase } from '../../core/db/transaction.js';

const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/info',
    {
      schema: {
        tags: ['system'],
        summary: 'What a client needs to sign messages and check receipts',
        response: {
          200: Type.Object({
            domain: Type.Object({ name: Type.String(), version: Type.String(), chainId: Type.Integer(), salt: Type.String() }),
            types: Type.Unknown(),
            receiptSigner: Address,
            limits: Type.Unknown(),
          }),
        },
      },
    },
    async () => ({
      domain: app.gov.messages.domain,
      types: { EIP712Domain: EIP712_DOMAIN_TYPE, ...MESSAGE_TYPES },
      receiptSigner: app.gov.receipts.address,
      limits: PROPOSAL_LIMITS,
    }),
  );

  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and dependency checks',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), checks: Type.Record(Type.String(), Type.String()) }),
          503: Type.Object({ status: Type.Literal('degraded'), checks: Type.Record(Type.String(), Type.String()) }),
        },
      },
    },
    async (_request, reply) => {
      const check = async (probe: () => Promise<unknown>) => {
        try {
          await probe();
          return 'ok';
        } catch (error) {
          return error instanceof Error ? error.message : 'failed';
        }
      };
      const checks = {
        database: await check(() => pingDatabase(app.db.pool)),
        redis: await check(() => app.redis.ping()),
        chain: await check(() => app.chain.provider.getBlockNumber()),
      };
      const healthy = Object.values(checks).every((c) => c === 'ok');
      if (!healthy) return reply.code(503).send({ status: 'degraded' as const, checks });
      return { status: 'ok' as const, checks };
    },
  );
};

export default systemRoutes;
