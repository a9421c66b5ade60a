/**
 * The power behind a supporter, for display on the idea: the wallet's voting power under the
 * space's strategies at the latest settled block (latest - 1, since ERC20Votes cannot answer for
 * the current block). It is a signal only; promotion re-reads every supporter's power at the
 * proposal's snapshot block.
 */
import type { JsonRpcProvider } from 'ethers';
import { UpstreamError } from '../../../core/errors.js';
import type { SpaceSettings } from '../../spaces/settings.js';
import type { VotingPowerService } from '../../votes/voting-power.js';

export interface SupportPowerDeps {
  provider: JsonRpcProvider;
  power: VotingPowerService;
}

export async function latestPower(
  deps: SupportPowerDeps,
  spaceId: string,
  settings: SpaceSettings,
  addresses: string[],
): Promise<{ block: bigint; powers: bigint[] }> {
  let block;
  try {
    const latest = await deps.provider.getBlockNumber();
    block = await deps.provider.getBlock(Math.max(0, latest - 1));
  } catch (error) {
    throw new UpstreamError('RPC_ERROR', 'could not read the latest block', { cause: error });
  }
  if (!block) throw new UpstreamError('RPC_ERROR', 'the latest block is not available');
  const powers = await deps.power.compute(
    { spaceId, snapshotBlock: BigInt(block.number), snapshotTime: BigInt(block.timestamp), strategies: settings.strategies },
    addresses,
  );
  return { block: BigInt(block.number), powers: powers.map((p) => p.total) };
}
