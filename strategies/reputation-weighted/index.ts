/**
 * Reputation-weighted voting power: stake plus reputation points valued at a fixed number of power
 * units each, both as of the snapshot. power = stake + reputation * pointValue. See README.md.
 */
import { Interface } from 'ethers';
import { decodeUint256 } from '../../core/chain/multicall.js';
import { baseStrategiesOf, type Strategy, type StrategyContext } from '../types.js';
import { reputationWeightedParams, type ReputationWeightedParams } from './schema.js';

const registryInterface = new Interface(['function reputationAt(address account, uint256 blockNumber) view returns (uint256)']);

/**
 * The registry checkpoints reputation by block in storage (like ERC20Votes), so reputationAt is
 * read at "latest": final once the snapshot is mined, and served by non-archive nodes.
 */
async function registryReputation(context: StrategyContext, registry: string, addresses: readonly string[]): Promise<bigint[]> {
  const results = await context.multicall.aggregate(
    addresses.map((account) => ({
      target: registry,
      callData: registryInterface.encodeFunctionData('reputationAt', [account, context.snapshotBlock]),
    })),
    'latest',
  );
  return results.map((result) => decodeUint256(result, 'reputationAt'));
}

/** Ledger sums can be negative (penalties); negative reputation counts as none, never below stake. */
async function ledgerReputation(context: StrategyContext, addresses: readonly string[]): Promise<bigint[]> {
  const totals = await context.reputationLedger.reputationAt(context.spaceId, addresses, context.snapshotTime);
  return addresses.map((address) => {
    const total = totals.get(address.toLowerCase()) ?? 0n;
    return total > 0n ? total : 0n;
  });
}

const reputationWeighted: Strategy<ReputationWeightedParams> = {
  name: 'reputation-weighted',
  description: 'Stake (a base strategy) plus reputation points at the snapshot times a fixed point value.',
  paramsSchema: reputationWeightedParams,
  async getPower(context, params, addresses) {
    if (addresses.length === 0) return [];
    const pointValue = BigInt(params.pointValue);
    const source = params.source;
    const [stake, reputation] = await Promise.all([
      baseStrategiesOf(context).power(context, params.stake, addresses),
      source.kind === 'registry' ? registryReputation(context, source.address.toLowerCase(), addresses) : ledgerReputation(context, addresses),
    ]);
    return stake.map((power, index) => power + reputation[index]! * pointValue);
  },
  /** The stake's holders; reputation-only voters are computed when they vote. */
  async holders(context, params, into) {
    await baseStrategiesOf(context).holders(context, params.stake, into);
  },
};

export default reputationWeighted;
