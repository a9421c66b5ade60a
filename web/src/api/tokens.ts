import { apiGet } from './client';
import type { TokenMetadata } from '../format/token';

/**
 * The space's token metadata (GET /api/spaces/:id/tokens). A page never fails for want of a
 * symbol: when the server cannot read the chain (503) the amounts show in "votes" (format/token.ts).
 */
export async function loadSpaceTokens(spaceId: string, signal: AbortSignal): Promise<TokenMetadata[]> {
  try {
    return (await apiGet('/api/spaces/{id}/tokens', { path: { id: spaceId }, signal })).items;
  } catch (error) {
    if (signal.aborted) throw error;
    return [];
  }
}
