/**
 * Token-weighted voting power: one token unit (in its smallest denomination) = one unit of power,
 * read as of the proposal's snapshot. See README.md.
 */
import type { Strategy, StrategyContext } from '../types.js';
import { id } from 'ethers';
import { decodeUint256 } from '../../core/chain/multicall.js';
import { balanceOfCallData, clockModeCall, getPastVotesCallData, parseClockMode } from '../../core/chain/token.js';
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
  const [clock, ...byBlock] = await context.multicall.aggregate([clockModeCall(token), ...votesAt(context.snapshotBlock)], 'latest');
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

const TRANSFER_TOPIC = id('Transfer(address,address,uint256)');
const DELEGATE_VOTES_CHANGED_TOPIC = id('DelegateVotesChanged(address,uint256,uint256)');

const tokenWeighted: Strategy<TokenWeightedParams> = {
  name: 'token-weighted',
  description: 'Token votes (ERC20Votes getPastVotes, delegation counted) or balance at the snapshot block.',
  paramsSchema: tokenWeightedParams,
  async getPower(context, params, addresses) {
    if (addresses.length === 0) return [];
    // Lowercase so ethers never rejects a mixed-case address for a bad checksum.
    const token = params.address.toLowerCase();
    return (params.method ?? 'getPastVotes') === 'balanceOf' ? balancesAtSnapshot(context, token, addresses) : pastVotes(context, token, addresses);
  },
  /** Balances come from Transfer recipients; ERC20Votes votes exist only for delegates. */
  async holders(context, params, into) {
    const byBalance = (params.method ?? 'getPastVotes') === 'balanceOf';
    await context.logs.scan(
      {
        contract: params.address,
        topic0: byBalance ? TRANSFER_TOPIC : DELEGATE_VOTES_CHANGED_TOPIC,
        addressTopic: byBalance ? 2 : 1,
        fromBlock: params.startBlock !== undefined ? BigInt(params.startBlock) : context.scanFromBlock,
        toBlock: context.snapshotBlock,
      },
      into,
    );
  },
};

export default tokenWeighted;
