/**
 * Batched chain reads through Multicall3 `aggregate3`. Strategies never make one RPC call per
 * voter: N reads become ceil(N / batchSize) eth_calls, run with bounded concurrency.
 */
import { AbiCoder, Interface, isError, toQuantity, type Provider } from 'ethers';
import { UpstreamError } from '../errors.js';

/** Canonical Multicall3 address, identical on nearly every EVM chain. */
export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11';

const multicallInterface = new Interface([
  'function aggregate3((address target, bool allowFailure, bytes callData)[] calls) returns ((bool success, bytes returnData)[] returnData)',
]);

export interface MulticallCall {
  target: string;
  callData: string;
  /** When false (the default), a failing call reverts its whole batch and aggregate() throws. */
  allowFailure?: boolean;
}

export interface MulticallResult {
  success: boolean;
  returnData: string;
}

export interface MulticallOptions {
  /** Calls per eth_call. 1,000 simple view calls stay far below the usual 30-50M eth_call gas cap. */
  batchSize?: number;
  /** eth_calls in flight at once, so a big batch does not flood the RPC provider. */
  concurrency?: number;
}

export class MulticallReader {
  /** Number of eth_calls made so far (tests and benchmarks assert bounds on it). */
  rpcCalls = 0;
  private readonly batchSize: number;
  private readonly concurrency: number;

  constructor(
    private readonly provider: Provider,
    readonly multicallAddress: string,
    options: MulticallOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new RangeError('batchSize must be a positive integer');
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  }

  /** Results in the same order as `calls`. */
  async aggregate(calls: readonly MulticallCall[], blockTag: bigint | 'latest'): Promise<MulticallResult[]> {
    const chunks: MulticallCall[][] = [];
    for (let start = 0; start < calls.length; start += this.batchSize) {
      chunks.push(calls.slice(start, start + this.batchSize));
    }
    const chunkResults: MulticallResult[][] = new Array(chunks.length);
    let next = 0;
    // A small worker pool: each worker takes the next chunk until none remain.
    const worker = async () => {
      while (next < chunks.length) {
        const index = next++;
        chunkResults[index] = await this.callChunk(chunks[index]!, blockTag);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, chunks.length) }, worker));
    return chunkResults.flat();
  }

  private async callChunk(chunk: readonly MulticallCall[], blockTag: bigint | 'latest'): Promise<MulticallResult[]> {
    const data = multicallInterface.encodeFunctionData('aggregate3', [
      chunk.map((call) => [call.target, call.allowFailure ?? false, call.callData]),
    ]);
    const tag = blockTag === 'latest' ? 'latest' : toQuantity(blockTag);
    this.rpcCalls += 1;
    let raw: string;
    try {
      raw = await this.provider.call({ to: this.multicallAddress, data, blockTag: tag });
    } catch (error) {
      // ethers reports every failed eth_call as CALL_EXCEPTION, node errors such as "block not
      // found yet" included. Only a revert carrying data (Multicall3 always reverts with data)
      // is a deterministic failure of a call with allowFailure = false; retrying cannot help.
      if (isError(error, 'CALL_EXCEPTION') && typeof error.data === 'string' && error.data.length > 2) {
        throw new UpstreamError('CHAIN_CALL_REVERTED', 'a batched chain read reverted', {
          retryable: false,
          cause: error,
          details: { blockTag: String(blockTag), calls: chunk.length, revertData: error.data.slice(0, 330) },
        });
      }
      throw new UpstreamError('RPC_ERROR', 'chain RPC request failed', {
        cause: error,
        details: { blockTag: String(blockTag) },
      });
    }
    let decoded: MulticallResult[];
    try {
      const [results] = multicallInterface.decodeFunctionResult('aggregate3', raw) as unknown as [
        { success: boolean; returnData: string }[],
      ];
      decoded = results.map((result) => ({ success: result.success, returnData: result.returnData }));
    } catch (error) {
      // Typically "0x": no Multicall3 code at this address as of this block.
      throw new UpstreamError('MULTICALL_UNAVAILABLE', `no usable Multicall3 at ${this.multicallAddress}`, {
        retryable: false,
        cause: error,
        details: { blockTag: String(blockTag) },
      });
    }
    if (decoded.length !== chunk.length) {
      throw new UpstreamError('MULTICALL_UNAVAILABLE', 'Multicall3 returned the wrong number of results', {
        retryable: false,
        details: { expected: chunk.length, received: decoded.length },
      });
    }
    return decoded;
  }
}

const abiCoder = AbiCoder.defaultAbiCoder();

/**
 * Decodes one uint256 answer. Empty data means the target has no code (wrong address, or not yet
 * deployed at that block), which must never be mistaken for zero power.
 */
export function decodeUint256(result: MulticallResult, what: string): bigint {
  if (!result.success || result.returnData.length < 66) {
    throw new UpstreamError('CHAIN_BAD_RESPONSE', `${what}: the contract did not return a uint256`, {
      retryable: false,
      details: { success: result.success, returnData: result.returnData.slice(0, 138) },
    });
  }
  return abiCoder.decode(['uint256'], result.returnData)[0] as bigint;
}
