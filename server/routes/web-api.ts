/**
 * The endpoints the members' app (web/) needs beyond the core API, registered together: chain facts
 * (routes/chain.ts), the payload for people (routes/payload.ts) and the settings dry run
 * (routes/space-settings-check.ts) and one voter's votes (routes/voter.ts). The caches live here, one per app instance.
 */
import type { FastifyPluginAsync } from 'fastify';
import { TokenMetadataCache } from '../../core/chain/token-metadata.js';
import { ChainInfoCache } from '../../core/chain/chain-info.js';
import chainRoutes from './chain.js';
import payloadRoutes from './payload.js';
import spaceSettingsCheckRoutes from './space-settings-check.js';
import voterRoutes from './voter.js';

/** Block time and the latest block are re-read at most this often. */
export const CHAIN_INFO_TTL_MS = 5_000;

const webApiRoutes: FastifyPluginAsync = async (app) => {
  const tokens = new TokenMetadataCache(app.chain.multicall);
  const chainInfo = new ChainInfoCache(app.chain.provider, app.chain.chainId, CHAIN_INFO_TTL_MS);
  await app.register(chainRoutes, { tokens, chainInfo });
  await app.register(payloadRoutes, { tokens });
  await app.register(spaceSettingsCheckRoutes);
  await app.register(voterRoutes);
};

export default webApiRoutes;
