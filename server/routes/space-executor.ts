/**
 * GET /api/spaces/:id/executor: the space's executor (TimelockController) and its current minimum
 * delay, read from the chain, so the app can say "passed proposals run 7 days after scheduling".
 * The delay can change on chain (the timelock governs itself), so it is cached for a minute only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Interface } from 'ethers';
import { Type } from 'typebox';
import { NotFoundError, UpstreamError } from '../../core/errors.js';
import { Address, errorResponses, IdParams } from './schemas.js';

const timelock = new Interface(['function getMinDelay() view returns (uint256)']);
const CACHE_MS = 60_000;

const ExecutorSchema = Type.Object({
  space: Type.String(),
  executor: Type.Union([Address, Type.Null()], { description: 'the TimelockController of the space settings, or null (signal-only space)' }),
  governor: Type.Union([Address, Type.Null()]),
  minDelay: Type.Union([Type.Integer(), Type.Null()], {
    description: "seconds between scheduling and execution (the timelock's getMinDelay now); null without an executor",
  }),
});

const spaceExecutorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new Map<string, { at: number; delay: number }>();

  async function minDelay(address: string): Promise<number> {
    const cached = cache.get(address);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.delay;
    let raw: string;
    try {
      raw = await app.chain.provider.call({ to: address, data: timelock.encodeFunctionData('getMinDelay') });
    } catch (error) {
      throw new UpstreamError('RPC_ERROR', `could not read getMinDelay() of ${address}`, { cause: error });
    }
    let delay: number;
    try {
      delay = Number(timelock.decodeFunctionResult('getMinDelay', raw)[0] as bigint);
    } catch (error) {
      throw new UpstreamError('RPC_ERROR', `the executor ${address} did not answer getMinDelay() like a TimelockController`, {
        cause: error,
        retryable: false,
      });
    }
    cache.set(address, { at: Date.now(), delay });
    return delay;
  }

  app.get(
    '/api/spaces/:id/executor',
    {
      schema: {
        tags: ['spaces'],
        summary: "The space's executor (TimelockController) and its minimum delay, read from the chain (cached for a minute)",
        params: IdParams,
        response: { 200: ExecutorSchema, 404: errorResponses[404], 503: errorResponses[503] },
      },
    },
    async (request) => {
      const space = await app.db.prisma.space.findUnique({ where: { id: request.params.id } });
      if (!space) throw new NotFoundError('SPACE_NOT_FOUND', `space ${request.params.id} does not exist`);
      const settings = (space.settings ?? {}) as { executor?: string; governor?: string };
      const executor = settings.executor ?? null;
      return { space: space.id, executor, governor: settings.governor ?? null, minDelay: executor ? await minDelay(executor.toLowerCase()) : null };
    },
  );
};

export default spaceExecutorRoutes;
