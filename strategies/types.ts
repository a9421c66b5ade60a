/**
 * The strategy contract. A strategy turns addresses into voting power at a proposal's snapshot.
 * Power is an integer (bigint) end to end; no strategy ever uses floats.
 */
import type { TSchema } from 'typebox';
import type { MulticallReader } from '../core/chain/multicall.js';
import type { LogAddressScanner } from '../core/chain/log-addresses.js';

/** Reads the server's append-only reputation ledger as of a point in time. */
export interface ReputationLedger {
  /** Sum of reputation deltas per address with entry time <= asOf (unix seconds). Missing addresses have 0. */
  reputationAt(spaceId: string, addresses: readonly string[], asOf: bigint): Promise<Map<string, bigint>>;
}

export interface StrategyContext {
  chainId: number;
  spaceId: string;
  /** The proposal's snapshot block number: every chain read happens at or for this block. */
  snapshotBlock: bigint;
  /** Unix seconds of the snapshot block (for time-based sources such as the reputation ledger). */
  snapshotTime: bigint;
  /** Batched eth_call (Multicall3 aggregate3), never one RPC call per voter. */
  multicall: MulticallReader;
  reputationLedger: ReputationLedger;
  /**
   * Base strategies, for composite strategies (quadratic's base, reputation-weighted's stake). Filled
   * by the registry (strategies/index.ts) on every call it makes, so a composite needs no import of
   * the registry (which imports it); callers of the registry leave it out.
   */
  base?: BaseStrategies;
}

/** A strategy used inside another one, as its params name it. */
export interface BaseStrategyRef {
  name: string;
  params: unknown;
}

export interface BaseStrategies {
  power(context: StrategyContext, ref: BaseStrategyRef, addresses: readonly string[]): Promise<bigint[]>;
  holders(context: HolderContext, ref: BaseStrategyRef, into: Set<string>): Promise<void>;
}

/** The registry's base strategies from a context (composites are only ever called through the registry). */
export function baseStrategiesOf(context: StrategyContext): BaseStrategies {
  if (!context.base) throw new Error('a composite strategy is called through the strategy registry (strategies/index.ts), which gives it its base strategies');
  return context.base;
}

export interface Strategy<Params = unknown> {
  /** Folder name under strategies/, e.g. "token-weighted". */
  name: string;
  description: string;
  /** TypeBox schema of the params object, validated when a space is created or changed. */
  paramsSchema: TSchema;
  /**
   * Voting power of each address (lowercase 0x hex), in the same order as `addresses`.
   * Must make a bounded number of RPC calls regardless of the number of addresses.
   */
  getPower(context: StrategyContext, params: Params, addresses: readonly string[]): Promise<bigint[]>;
  /**
   * Optional: addresses likely to have power at the snapshot (a token's recipients, its delegates),
   * added to `into`. The server computes their power before anyone votes, so votes do not wait for
   * the chain. Only a head start: an address left out is computed when it votes, and one with no
   * power costs a read, so it never changes a result.
   */
  holders?(context: HolderContext, params: Params, into: Set<string>): Promise<void>;
}

export interface HolderContext extends StrategyContext {
  /** Stops adding once it holds its limit of addresses (the scan reports itself incomplete). */
  logs: LogAddressScanner;
  /** First block of log scans unless the strategy knows better (e.g. a token's deployment block). */
  scanFromBlock: bigint;
}

/** A strategy as configured in a space: up to 8 per space, summed with integer weights. */
export interface StrategyRef {
  name: string;
  params: unknown;
  /** Integer multiplier applied to this strategy's power (default 1). */
  weight?: number;
}
