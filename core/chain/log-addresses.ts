/**
 * Addresses named in one indexed topic of a contract's events over a block range (eth_getLogs), e.g.
 * every recipient of a token's Transfer events: the holders whose voting power is worth computing
 * before anyone votes (server/votes/power-preload.ts).
 *
 * The range goes in chunks; a chunk the node refuses (providers cap a query's results or range) is
 * split in half until it passes or is a single block.
 */
import { toQuantity } from 'ethers';
import { UpstreamError } from '../errors.js';
import { JsonRpcResponseError } from './json-rpc.js';
import type { JsonRpcSender } from './multicall.js';

export interface AddressLogQuery {
  contract: string;
  /** keccak256 of the event signature. */
  topic0: string;
  /** The indexed topic (1 to 3) that holds the address. */
  addressTopic: 1 | 2 | 3;
  fromBlock: bigint;
  toBlock: bigint;
}

export interface AddressLogScan {
  addresses: Set<string>;
  /** False when the scan stopped at maxAddresses: the set is a part of the answer. */
  complete: boolean;
}

interface RawLog {
  topics?: unknown;
  removed?: boolean;
}

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
const TOPIC = /^0x[0-9a-fA-F]{64}$/;

export class LogAddressScanner {
  /** eth_getLogs requests made so far (tests and benchmarks read it). */
  requests = 0;

  constructor(
    private readonly sender: JsonRpcSender,
    private readonly options: { chunkBlocks: number; maxAddresses: number },
  ) {
    if (!Number.isInteger(options.chunkBlocks) || options.chunkBlocks < 1) throw new RangeError('chunkBlocks must be a positive integer');
  }

  async scan(query: AddressLogQuery, into: Set<string> = new Set()): Promise<AddressLogScan> {
    const contract = query.contract.toLowerCase();
    const chunk = BigInt(this.options.chunkBlocks);
    for (let start = query.fromBlock; start <= query.toBlock; start += chunk) {
      const end = start + chunk - 1n < query.toBlock ? start + chunk - 1n : query.toBlock;
      if (!(await this.scanRange(contract, query, start, end, into))) return { addresses: into, complete: false };
    }
    return { addresses: into, complete: true };
  }

  /** False once the set is full. */
  private async scanRange(contract: string, query: AddressLogQuery, from: bigint, to: bigint, into: Set<string>): Promise<boolean> {
    let logs: unknown;
    try {
      this.requests += 1;
      logs = await this.sender.send('eth_getLogs', [{ address: contract, topics: [query.topic0], fromBlock: toQuantity(from), toBlock: toQuantity(to) }]);
    } catch (error) {
      // A node's refusal (too many results, range too wide) is an answer; a transport failure is not.
      if (error instanceof JsonRpcResponseError && to > from) {
        const middle = from + (to - from) / 2n;
        return (await this.scanRange(contract, query, from, middle, into)) && this.scanRange(contract, query, middle + 1n, to, into);
      }
      throw new UpstreamError('RPC_ERROR', 'eth_getLogs failed', { cause: error, details: { contract, fromBlock: String(from), toBlock: String(to) } });
    }
    if (!Array.isArray(logs)) {
      throw new UpstreamError('CHAIN_BAD_RESPONSE', 'eth_getLogs did not answer a list', { retryable: false, details: { contract } });
    }
    for (const log of logs as RawLog[]) {
      if (log.removed || !Array.isArray(log.topics)) continue;
      const topic = log.topics[query.addressTopic];
      if (typeof topic !== 'string' || !TOPIC.test(topic)) continue;
      const address = '0x' + topic.slice(26).toLowerCase();
      if (address === ZERO_ADDRESS || into.has(address)) continue;
      if (into.size >= this.options.maxAddresses) return false;
      into.add(address);
    }
    return true;
  }
}
