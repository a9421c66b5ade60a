/**
 * Token-weighted voting power: one token unit (in its smallest denomination) = one unit of power,
 * read as of the proposal's snapshot. See README.md.
 */
import type { Strategy, StrategyContext } from '../types.js';
import { decodeUint256 } from '../../server/chain/multicall.js';
import { balanceOfCallData, clockModeCall, getPastVotesCallData, parseClockMode } from '../../server/chain/token.js';
import { tokenWeightedParams, type TokenWeightedParams } from './schema.js';

/**
 * ERC20Votes checkpoints live in contract storage, so getPastVotes(account, snapshot) is read at
 * "latest": the answer is final once the snapshot is in the past, and any node (not only an
 * archive node) can serve it. The token's CLOCK_MODE rides in the same batch: on a timestamp-clock
 * token the block-number reads are discarded and redone with the snapshot's timestamp.
 */
async function pastVotes(context: StrategyContext, token: string, addresses: readonly string[]): Promise<bigint[]> {
  const votesAt = (timepoint: bigint) =>
    addresses.map((account) => ({
      target: token,
      callData: getPastVotesCallData(account, timepoint),
    }));
  const [clock, ...byBlock] = await context.multicall.aggregate(
    [clockModeCall(token), ...votesAt(context.snapshotBlock)],
    'latest',
  );
  let results = byBlock;
  if (parseClockMode(clock) === 'timestamp') {
    results = await context.multicall.aggregate(votesAt(context.snapshotTime), 'latest');
  }
  return results.map((result) => decodeUint256(result, 'getPastVotes'));
}

/** Plain balances need the state of the snapshot block itself (an archive node for old snapshots). */
async function balancesAtSnapshot(context: StrategyContext, token: string, addresses: readonly string[]): Promise<bigint[]> {
  const results = await context.multicall.aggregate(
    addresses.map((account) => ({ target: token, callData: balanceOfCallData(account) })),
    context.snapshotBlock,
  );
  return results.map((result) => decodeUint256(result, 'balanceOf'));
}

const tokenWeighted: Strategy<TokenWeightedParams> = {
  name: 'token-weighted',
  description: 'Token votes (ERC20Votes getPastVotes, delegation counted) or balance at the snapshot block.',
  paramsSchema: tokenWeightedParams,
  async getPower(context, params, addresses) {
    if (addresses.length === 0) return [];
    // Lowercase so ethers never rejects a mixed-case address for a bad checksum.
    const token = params.address.toLowerCase();
    return (params.method ?? 'getPastVotes') === 'balanceOf'
      ? balancesAtSnapshot(context, token, addresses)
      : pastVotes(context, token, addresses);
  },
};

export default tokenWeighted;
