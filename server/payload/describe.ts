/**
 * A payload described for the proposal page: every call decoded (decode.ts), simulated from the
 * executor (simulate.ts), the payload hash the author signs, and (for a stored proposal) the timelock
 * operation id with its inputs (operation.ts).
 */
import type { JsonRpcProvider } from 'ethers';
import { hashPayload } from '../../core/proposals/payload.js';
import type { ExecutionPayload } from '../../core/proposals/repository.js';
import type { TokenMetadataCache } from '../../core/chain/token-metadata.js';
import { AbiBook, type SpaceAbi } from '../../core/spaces/abis.js';
import { decodeCall, type DecodedCall, type PayloadCall } from './decode.js';
import { simulatePayload, type CallSimulation, type PayloadSimulation } from './simulate.js';

export interface PayloadSettings {
  executor?: string | undefined;
  governor?: string | undefined;
  token?: string | undefined;
  abis?: SpaceAbi[] | undefined;
}

export interface DescribedPayload {
  payloadHash: string;
  executor: string | null;
  calls: (PayloadCall & { index: number; decoded: DecodedCall; simulation: CallSimulation | null })[];
  /** null when the space has no executor (nothing to simulate from). */
  simulation: Omit<PayloadSimulation, 'calls'> | null;
}

export interface DescribeDeps {
  provider: Pick<JsonRpcProvider, 'call' | 'estimateGas' | 'getBlockNumber' | 'getBalance'>;
  tokens: Pick<TokenMetadataCache, 'get'>;
}

/** Merges ABI lists: the first entry for an address wins (the current space settings before a proposal's copy). */
export function mergeAbis(...lists: (SpaceAbi[] | undefined)[]): SpaceAbi[] {
  const seen = new Set<string>();
  const out: SpaceAbi[] = [];
  for (const entry of lists.flatMap((l) => l ?? [])) {
    if (seen.has(entry.address.toLowerCase())) continue;
    seen.add(entry.address.toLowerCase());
    out.push(entry);
  }
  return out.slice(0, 40);
}

export async function describePayload(payload: ExecutionPayload, settings: PayloadSettings, deps: DescribeDeps): Promise<DescribedPayload> {
  const book = new AbiBook(settings);
  const calls: PayloadCall[] = payload.targets.map((target, i) => ({ target, value: payload.values[i]!, data: payload.calldatas[i]! }));
  const executor = settings.executor ?? null;
  const tokenMetadata = async (address: string) => {
    try {
      return await deps.tokens.get(address);
    } catch {
      // Without metadata the call is still decoded, just not as a token amount.
      return null;
    }
  };
  const decoded = await Promise.all(calls.map((call) => decodeCall(call, { book, from: executor, tokenMetadata })));
  const simulation = executor ? await simulatePayload(deps.provider, executor, calls, book) : null;
  return {
    payloadHash: hashPayload(payload),
    executor,
    calls: calls.map((call, index) => ({ index, ...call, decoded: decoded[index]!, simulation: simulation?.calls[index] ?? null })),
    simulation: simulation ? { from: simulation.from, block: simulation.block, ok: simulation.ok } : null,
  };
}
