/**
 * Batched chain reads through Multicall3 `aggregate3`. Strategies never make one RPC call per
 * voter: N reads become ceil(N / batchSize) eth_calls, run with bounded concurrency.
 *
 * The aggregate3 call and its answer are encoded and decoded here by hand (the ABI of these two
 * types is fixed), and the eth_call goes out as raw JSON-RPC (provider.send): ethers' general ABI
 * coder, and provider.call() copying and re-validating calldata and answer byte by byte in
 * JavaScript, cost ~1 ms of CPU per voter, far more than the node's work (bench/voting-power.ts,
 * 100,000 voters: 109 s before, 17 s after). The request and its errors are the same either way.
 */
import { getAddress, isError, toQuantity, type JsonRpcApiProvider } from 'ethers';
import { UpstreamError } from '../errors.js';
import { JsonRpcResponseError } from './json-rpc.js';

/** Canonical Multicall3 address, identical on nearly every EVM chain. */
export const MULTICALL3_ADDRESS = '0xcA11bde05977b3631167028862bE2a173976CA11';

/** aggregate3((address target, bool allowFailure, bytes callData)[] calls) returns ((bool success, bytes returnData)[]) */
const AGGREGATE3_SELECTOR = '0x82ad56cb';

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
  /**
   * Calls per eth_call. 1,000 balanceOf calls take ~5.8M gas, well inside the 2^24 (16.7M) cap a
   * node applies to an eth_call since EIP-7825 (hardhat's included); more complex reads such as
   * getPastVotes cost several times that per call, so larger batches would risk running out of gas.
   */
  batchSize?: number;
  /** eth_calls in flight at once, so a big batch does not flood the RPC provider. */
  concurrency?: number;
}

/** What the reader needs of a provider: raw JSON-RPC requests (core/chain/json-rpc.ts, or ethers' JsonRpcProvider). */
export type JsonRpcSender = Pick<JsonRpcApiProvider, 'send'>;

export class MulticallReader {
  /** Number of eth_calls made so far (tests and benchmarks assert bounds on it). */
  rpcCalls = 0;
  private readonly batchSize: number;
  private readonly concurrency: number;

  constructor(
    private readonly provider: JsonRpcSender,
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
    const data = encodeAggregate3(chunk);
    const tag = blockTag === 'latest' ? 'latest' : toQuantity(blockTag);
    this.rpcCalls += 1;
    let raw: unknown;
    try {
      raw = await this.provider.send('eth_call', [{ to: this.multicallAddress, data }, tag]);
    } catch (error) {
      // ethers reports every failed eth_call as CALL_EXCEPTION, node errors such as "block not
      // found yet" included. Only a revert carrying data (Multicall3 always reverts with data)
      // is a deterministic failure of a call with allowFailure = false; retrying cannot help.
      const reverted =
        error instanceof JsonRpcResponseError ? error.data : isError(error, 'CALL_EXCEPTION') && typeof error.data === 'string' ? error.data : undefined;
      if (reverted && reverted.length > 2) {
        throw new UpstreamError('CHAIN_CALL_REVERTED', 'a batched chain read reverted', {
          retryable: false,
          cause: error,
          details: { blockTag: String(blockTag), calls: chunk.length, revertData: reverted.slice(0, 330) },
        });
      }
      throw new UpstreamError('RPC_ERROR', 'chain RPC request failed', {
        cause: error,
        details: { blockTag: String(blockTag) },
      });
    }
    let decoded: MulticallResult[];
    try {
      if (typeof raw !== 'string') throw new TypeError(`eth_call answered ${typeof raw}, not hex data`);
      decoded = decodeAggregate3Result(raw);
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

/**
 * Decodes one uint256 answer: its first 32 bytes, as the ABI reads it. Empty data means the
 * target has no code (wrong address, or not yet deployed at that block), which must never be
 * mistaken for zero power.
 */
export function decodeUint256(result: MulticallResult, what: string): bigint {
  const word = result.returnData.slice(2, 66);
  if (!result.success || word.length < 64 || !HEX_WORD.test(word)) {
    throw new UpstreamError('CHAIN_BAD_RESPONSE', `${what}: the contract did not return a uint256`, {
      retryable: false,
      details: { success: result.success, returnData: result.returnData.slice(0, 138) },
    });
  }
  return BigInt(`0x${word}`);
}

// ---- The aggregate3 ABI, by hand. Hex strings throughout: 64 hex digits = one 32-byte word. ----

const HEX_WORD = /^[0-9a-fA-F]{64}$/;
const HEX = /^0x[0-9a-fA-F]*$/;
const ZERO_WORD = '0'.repeat(64);

/** 0x-prefixed whole bytes (a plain character class: answers are hundreds of kilobytes long). */
function isHexData(value: string): boolean {
  return value.length % 2 === 0 && HEX.test(value);
}

function uintWord(value: number): string {
  return value.toString(16).padStart(64, '0');
}

/**
 * The calldata of aggregate3(calls), byte for byte what an ABI encoder gives: the selector, the
 * offset of the array, its length, one offset per call (calls are dynamic tuples), then each call
 * as target, allowFailure, the offset of callData within the call (3 words), its length and its
 * bytes padded to whole words. Targets are checked as ethers would (checksum included).
 */
export function encodeAggregate3(calls: readonly MulticallCall[]): string {
  const head: string[] = [AGGREGATE3_SELECTOR, uintWord(0x20), uintWord(calls.length)];
  const tails: string[] = [];
  const targetWords = new Map<string, string>(); // usually one token for every call
  let offset = calls.length * 32;
  for (const call of calls) {
    let target = targetWords.get(call.target);
    if (target === undefined) {
      target = getAddress(call.target).slice(2).toLowerCase().padStart(64, '0');
      targetWords.set(call.target, target);
    }
    if (!isHexData(call.callData)) throw new TypeError(`callData must be 0x-prefixed hex bytes; got ${call.callData.slice(0, 74)}`);
    const data = call.callData.slice(2).toLowerCase();
    const padding = (64 - (data.length % 64)) % 64;
    head.push(uintWord(offset));
    tails.push(target, uintWord(call.allowFailure ? 1 : 0), uintWord(0x60), uintWord(data.length / 2), data, ZERO_WORD.slice(0, padding));
    offset += 4 * 32 + (data.length + padding) / 2;
  }
  return head.join('') + tails.join('');
}

/**
 * The (bool success, bytes returnData)[] that aggregate3 returns. Every offset and length is
 * checked against the data, so a malformed answer throws instead of yielding wrong results.
 */
export function decodeAggregate3Result(raw: string): MulticallResult[] {
  if (!isHexData(raw)) throw new Error('aggregate3 answer is not hex data');
  const hex = raw.slice(2).toLowerCase();
  const size = hex.length / 2;
  /** A word read as a byte offset or length: it must be small and point inside the data. */
  const position = (at: number, what: string): number => {
    if (at + 32 > size) throw new Error(`aggregate3 answer ends before its ${what}`);
    const word = hex.slice(at * 2, at * 2 + 64);
    if (!word.startsWith('0'.repeat(52))) throw new Error(`aggregate3 answer has an impossible ${what}`);
    const value = parseInt(word.slice(52), 16);
    if (value > size) throw new Error(`aggregate3 answer has a ${what} past its end`);
    return value;
  };
  const arrayAt = position(0, 'array offset');
  const count = position(arrayAt, 'array length');
  const elements = arrayAt + 32;
  if (elements + count * 32 > size) throw new Error('aggregate3 answer ends inside its offsets');
  const results: MulticallResult[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const tuple = elements + position(elements + i * 32, 'result offset');
    if (tuple + 64 > size) throw new Error('aggregate3 answer ends inside a result');
    // ABI bool: any non-zero word reads as true, as in ethers.
    const success = hex.slice(tuple * 2, tuple * 2 + 64) !== ZERO_WORD;
    const bytesAt = tuple + position(tuple + 32, 'returnData offset');
    const length = position(bytesAt, 'returnData length');
    const start = bytesAt + 32;
    if (start + Math.ceil(length / 32) * 32 > size) throw new Error('aggregate3 answer ends inside a returnData');
    results[i] = { success, returnData: `0x${hex.slice(start * 2, (start + length) * 2)}` };
  }
  return results;
}
