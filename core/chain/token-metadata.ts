/**
 * Token metadata (name, symbol, decimals) for the pages: read from the chain once per address with one
 * Multicall3 eth_call, then kept for the process's life (an ERC-20's metadata does not change).
 * Concurrent requests for one address share the read; a failed read is not cached.
 */
import { Interface, getAddress } from 'ethers';
import type { MulticallReader, MulticallResult } from './multicall.js';

const iface = new Interface(['function name() view returns (string)', 'function symbol() view returns (string)', 'function decimals() view returns (uint8)']);
/** Some old tokens (MKR) answer bytes32 instead of string. */
const bytes32Iface = new Interface(['function name() view returns (bytes32)', 'function symbol() view returns (bytes32)']);

export interface TokenMetadata {
  address: string;
  name: string | null;
  symbol: string | null;
  /** null: no decimals() (an ERC-721, or not a token at all). */
  decimals: number | null;
}

/** Bounds memory when many addresses are asked about; the oldest entry goes first. */
const MAX_ENTRIES = 10_000;

export class TokenMetadataCache {
  private readonly cache = new Map<string, Promise<TokenMetadata>>();
  /** Chain reads made so far (tests assert the cache works). */
  reads = 0;

  constructor(private readonly multicall: Pick<MulticallReader, 'aggregate'>) {}

  get(address: string): Promise<TokenMetadata> {
    const key = address.toLowerCase();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const pending = this.read(key);
    this.cache.set(key, pending);
    if (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    pending.catch(() => this.cache.delete(key));
    return pending;
  }

  private async read(address: string): Promise<TokenMetadata> {
    this.reads++;
    const calls = (['name', 'symbol', 'decimals'] as const).map((fn) => ({ target: address, callData: iface.encodeFunctionData(fn), allowFailure: true }));
    const [name, symbol, decimals] = await this.multicall.aggregate(calls, 'latest');
    return {
      address: getAddress(address),
      name: text(name, 'name'),
      symbol: text(symbol, 'symbol'),
      decimals: uint8(decimals),
    };
  }
}

function text(result: MulticallResult | undefined, fn: 'name' | 'symbol'): string | null {
  if (!result?.success || result.returnData === '0x') return null;
  try {
    return String(iface.decodeFunctionResult(fn, result.returnData)[0]).slice(0, 64);
  } catch {
    try {
      const raw = String(bytes32Iface.decodeFunctionResult(fn, result.returnData)[0]);
      return Buffer.from(raw.slice(2), 'hex').toString('utf8').replace(/\0+$/, '').slice(0, 64) || null;
    } catch {
      return null;
    }
  }
}

function uint8(result: MulticallResult | undefined): number | null {
  if (!result?.success || result.returnData === '0x') return null;
  try {
    const value = iface.decodeFunctionResult('decimals', result.returnData)[0] as bigint;
    return Number(value);
  } catch {
    return null;
  }
}
