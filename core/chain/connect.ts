/**
 * The chain connection both processes open: one JSON-RPC provider (checked to serve CHAIN_ID) and
 * the lean client and Multicall3 reader bulk reads go through. The server's Fastify plugin
 * (server/plugins/chain.ts) adds its signature verifier on top.
 */
import { FetchRequest, JsonRpcProvider } from 'ethers';
import type { Config } from '../config.js';
import { GovrelayError } from '../errors.js';
import { JsonRpcClient } from './json-rpc.js';
import { MulticallReader, type JsonRpcSender } from './multicall.js';

export interface ChainConnection {
  provider: JsonRpcProvider;
  multicall: MulticallReader;
  /** The lean JSON-RPC client bulk reads use (Multicall3 eth_calls, holder log scans). */
  reads: JsonRpcSender;
  chainId: number;
  /** Closes the provider and the read client's connections. */
  close(): void;
}

/** A bulk read that takes longer than this is failed (and the vote answers 502, retryable). */
const READ_TIMEOUT_MS = 30_000;

/** The configured chain is unreachable or is not the configured chain: the process cannot start. */
export class ChainMismatchError extends GovrelayError {
  override name = 'ChainMismatchError';
}

export async function connectChain(
  config: Pick<Config, 'RPC_URL' | 'CHAIN_ID' | 'MULTICALL_ADDRESS'>,
  options: { requestTimeoutMs?: number } = {},
): Promise<ChainConnection> {
  const request = new FetchRequest(config.RPC_URL);
  // A node that accepts the connection and never answers fails the call after this (ethers' default: 5 minutes).
  if (options.requestTimeoutMs !== undefined) request.timeout = options.requestTimeoutMs;
  // staticNetwork: the chain id is checked once here instead of before every call.
  // batchMaxCount 1: every call goes out at once. ethers would otherwise hold each call 10 ms to
  // gather a JSON-RPC batch; reads are already batched by Multicall3, so that is pure latency on
  // the vote path (and many providers limit JSON-RPC batches anyway).
  const provider = new JsonRpcProvider(request, config.CHAIN_ID, { staticNetwork: true, batchMaxCount: 1 });
  let reported: number;
  try {
    reported = Number(await provider.send('eth_chainId', []));
  } catch (error) {
    provider.destroy();
    throw new ChainMismatchError(`cannot reach the chain node at RPC_URL ${config.RPC_URL}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (reported !== config.CHAIN_ID) {
    provider.destroy();
    throw new ChainMismatchError(`RPC_URL serves chain ${reported}, but CHAIN_ID is ${config.CHAIN_ID}`);
  }
  // Bulk reads (voting power) go through a lean client: see core/chain/json-rpc.ts.
  const reads = new JsonRpcClient(config.RPC_URL, { timeoutMs: options.requestTimeoutMs ?? READ_TIMEOUT_MS });
  return {
    provider,
    chainId: config.CHAIN_ID,
    multicall: new MulticallReader(reads, config.MULTICALL_ADDRESS),
    reads,
    close() {
      reads.close();
      provider.destroy();
    },
  };
}
