import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MESSAGE_TYPES, EIP712_DOMAIN_TYPE } from '../eip712/types.js';
import { PROPOSAL_LIMITS } from '../../core/proposals/limits.js';
import { Address } from './schemas.js';
import { pingDatabase } from '../../core/db/transaction.js';
import { cachedCheck } from '../http/health-cache.js';
import { MulticallPresence } from '../../core/chain/multicall-check.js';
import type { Config } from '../../core/config.js';

/** How long one dependency check of /health is served to every caller. */
const HEALTH_CACHE_MS = 1000;
/**
 * A dependency that has not answered in this time is a failed check. Without a bound, one probe
 * caught by a dropped connection would hold the shared check, and every /health caller with it.
 */
const HEALTH_PROBE_TIMEOUT_MS = 2000;

/**
 * Where the relayer anchors the log's tree heads (docs/api.md, "On-chain anchoring"), null when it
 * does not. A hint for readers only: a member checking the server should take the address from
 * the DAO, not from the server it checks (npm run verify -- --anchor <address>).
 */
const LogAnchorInfo = Type.Union([
  Type.Object({
    address: Address,
    chainId: Type.Integer({ description: 'The chain the contract is on (CHAIN_ID)' }),
    fromBlock: Type.Integer({ minimum: 0, description: 'The block its TreeHeadAnchored events start at (LOG_ANCHOR_FROM_BLOCK)' }),
  }),
  Type.Null(),
]);

const systemRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const logAnchor = config.LOG_ANCHOR_ADDRESS
    ? { address: config.LOG_ANCHOR_ADDRESS, chainId: config.CHAIN_ID, fromBlock: config.LOG_ANCHOR_FROM_BLOCK }
    : null;
  const multicall = new MulticallPresence(app.chain.provider, app.chain.multicall.multicallAddress);
  app.get(
    '/api/info',
    {
      schema: {
        tags: ['system'],
        summary: 'What a client needs to sign messages and check receipts (and where the log is anchored on chain)',
        response: {
          200: Type.Object({
            domain: Type.Object({ name: Type.String(), version: Type.String(), chainId: Type.Integer(), salt: Type.String() }),
            types: Type.Unknown(),
            receiptSigner: Address,
            limits: Type.Unknown(),
            logAnchor: LogAnchorInfo,
          }),
        },
      },
    },
    async () => ({
      domain: app.gov.messages.domain,
      types: { EIP712Domain: EIP712_DOMAIN_TYPE, ...MESSAGE_TYPES },
      receiptSigner: app.gov.receipts.address,
      limits: PROPOSAL_LIMITS,
      logAnchor,
    }),
  );

  const check = async (probe: () => Promise<unknown>) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_PROBE_TIMEOUT_MS} ms`)), HEALTH_PROBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([probe(), timedOut]);
      return 'ok';
    } catch (error) {
      return error instanceof Error ? error.message : 'failed';
    } finally {
      clearTimeout(timer);
    }
  };
  // One check at a time, its result shared for HEALTH_CACHE_MS (server/http/health-cache.ts).
  const healthChecks = cachedCheck(HEALTH_CACHE_MS, async () => {
    const [database, redis, chain] = await Promise.all([
      check(() => pingDatabase(app.db.pool)),
      check(() => app.redis.ping()),
      check(() => app.chain.provider.getBlockNumber()),
    ]);
    const checks: Record<string, string> = { database, redis, chain };
    // Listed only when missing (a degraded state), so a healthy answer keeps its three checks.
    const multicallState = chain === 'ok' ? await multicall.check().catch((error: unknown) => (error instanceof Error ? error.message : 'failed')) : 'ok';
    if (multicallState !== 'ok') checks.multicall = multicallState;
    return checks;
  });

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
      const checks = await healthChecks();
      const healthy = Object.values(checks).every((c) => c === 'ok');
      if (!healthy) return reply.code(503).send({ status: 'degraded' as const, checks });
      return { status: 'ok' as const, checks };
    },
  );
};

export default systemRoutes;
