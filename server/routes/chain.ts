/**
 * Chain facts the pages need, read once and cached (server/chain/token-metadata.ts, chain-info.ts):
 *
 *   GET /api/chain/info              latest block, average block time, a settled block to snapshot at
 *   GET /api/chain/tokens/:address   name, symbol, decimals of a token
 *   GET /api/spaces/:id/tokens       the same for every token the space's settings and strategies name
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError, UpstreamError } from '../../core/errors.js';
import type { ChainInfoCache } from '../../core/chain/chain-info.js';
import type { TokenMetadata, TokenMetadataCache } from '../../core/chain/token-metadata.js';
import { Address, DecimalString, errorResponses, IdParams } from './schemas.js';

export const TokenMetadataSchema = Type.Object({
  address: Address,
  name: Type.Union([Type.String(), Type.Null()]),
  symbol: Type.Union([Type.String(), Type.Null()]),
  decimals: Type.Union([Type.Integer(), Type.Null()], { description: 'null: the contract has no decimals() (e.g. an ERC-721)' }),
});

export const ChainInfoSchema = Type.Object({
  chainId: Type.Integer(),
  latest: Type.Object({ number: DecimalString, timestamp: Type.Integer({ description: 'unix seconds' }) }),
  averageBlockTimeMs: Type.Union([Type.Integer(), Type.Null()], { description: 'over the last sampleBlocks blocks; null on a chain with one block' }),
  sampleBlocks: Type.Integer(),
  settledBlock: Type.String({
    pattern: '^[0-9]+$',
    description: "a mined block a little behind the latest: what the app proposes as a new proposal's snapshot",
  }),
  readAt: Type.Integer({ description: 'when the server read this from the chain (ms since the epoch); at most CHAIN_INFO_TTL old' }),
});

/** Strategy params that name a token: `address` / `token` keys, at any depth (quadratic wraps another strategy). */
export function strategyTokens(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => strategyTokens(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'address' || key === 'token') && typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)) out.add(v.toLowerCase());
      else strategyTokens(v, out);
    }
  }
  return out;
}

export function rpcFailure(error: unknown): UpstreamError {
  return new UpstreamError('RPC_ERROR', `the chain node failed: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`, { cause: error });
}

const chainRoutes: FastifyPluginAsyncTypebox<{ tokens: TokenMetadataCache; chainInfo: ChainInfoCache }> = async (app, { tokens, chainInfo }) => {
  const token = async (address: string): Promise<TokenMetadata> => {
    try {
      return await tokens.get(address);
    } catch (error) {
      throw rpcFailure(error);
    }
  };

  app.get(
    '/api/chain/info',
    {
      schema: {
        tags: ['system'],
        summary: 'The latest block, the recent average block time and a settled block for snapshots (cached a few seconds)',
        response: { 200: ChainInfoSchema, 503: errorResponses[503] },
      },
    },
    async () => {
      try {
        return await chainInfo.get();
      } catch (error) {
        throw rpcFailure(error);
      }
    },
  );

  app.get(
    '/api/chain/tokens/:address',
    {
      schema: {
        tags: ['system'],
        summary: "A token's name, symbol and decimals (read once, then cached)",
        params: Type.Object({ address: Address }),
        response: { 200: TokenMetadataSchema, 400: errorResponses[400], 404: errorResponses[404], 503: errorResponses[503] },
      },
    },
    async (request) => {
      const metadata = await token(request.params.address);
      if (metadata.name === null && metadata.symbol === null && metadata.decimals === null) {
        throw new NotFoundError('NOT_A_TOKEN', `${request.params.address} answers none of name(), symbol(), decimals()`);
      }
      return metadata;
    },
  );

  app.get(
    '/api/spaces/:id/tokens',
    {
      schema: {
        tags: ['spaces'],
        summary: 'Metadata of every token the space names: its governance token, then the tokens its strategies read',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(TokenMetadataSchema) }), 404: errorResponses[404], 503: errorResponses[503] },
      },
    },
    async (request) => {
      const space = await app.db.prisma.space.findUnique({ where: { id: request.params.id } });
      if (!space) throw new NotFoundError('SPACE_NOT_FOUND', `space ${request.params.id} does not exist`);
      const settings = space.settings as { token: string; strategies: unknown[] };
      const addresses = new Set([settings.token.toLowerCase(), ...strategyTokens(settings.strategies)]);
      const found = await Promise.all([...addresses].map(token));
      // A strategy may read a contract that is no token (a reputation registry): left out.
      return { items: found.filter((t) => t.name !== null || t.symbol !== null || t.decimals !== null) };
    },
  );
};

export default chainRoutes;
