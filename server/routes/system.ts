import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MESSAGE_TYPES, EIP712_DOMAIN_TYPE } from '../eip712/types.js';
import { PROPOSAL_LIMITS } from '../proposals/limits.js';
import { Address } from './schemas.js';
import { MulticallPresence } from '../chain/multicall-check.js';

const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const multicall = new MulticallPresence(app.chain.provider, app.chain.multicall.multicallAddress);
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
        database: await check(() => app.db.pool.query('select 1')),
        redis: await check(() => app.redis.ping()),
        chain: await check(() => app.chain.provider.getBlockNumber()),
      } as Record<string, string>;
      // Listed only when missing (a degraded state), so a healthy answer keeps its three checks.
      const multicallState = checks.chain === 'ok' ? await multicall.check().catch((error: unknown) => (error instanceof Error ? error.message : 'failed')) : 'ok';
      if (multicallState !== 'ok') checks.multicall = multicallState;
      const healthy = Object.values(checks).every((c) => c === 'ok');
      if (!healthy) return reply.code(503).send({ status: 'degraded' as const, checks });
      return { status: 'ok' as const, checks };
    },
  );
};

export default systemRoutes;
