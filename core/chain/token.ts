/**
 * Token reads that are not per voter: the token's clock (ERC-6372) and its total supply at a
 * snapshot (for quorum as a fraction of supply).
 */
import { Interface } from 'ethers';
import { decodeUint256, type MulticallReader, type MulticallResult } from './multicall.js';

export const tokenInterface = new Interface([
  'function balanceOf(address account) view returns (uint256)',
  'function totalSupply() view returns (uint256)',
  'function getPastVotes(address account, uint256 timepoint) view returns (uint256)',
  'function getPastTotalSupply(uint256 timepoint) view returns (uint256)',
  'function CLOCK_MODE() view returns (string)',
]);

export type ClockMode = 'blocknumber' | 'timestamp';

const ACCOUNT = /^0x[0-9a-fA-F]{40}$/;
const BALANCE_OF_SELECTOR = tokenInterface.getFunction('balanceOf')!.selector;
const GET_PAST_VOTES_SELECTOR = tokenInterface.getFunction('getPastVotes')!.selector;

function accountWord(account: string): string {
  if (!ACCOUNT.test(account)) throw new TypeError(`not an address: ${account.slice(0, 50)}`);
  return '000000000000000000000000' + account.slice(2).toLowerCase();
}

/**
 * balanceOf(account) calldata, written directly: these are built once per voter, and ethers' coder
 * (a checksum hash per address, generic encoding) cost ~35 µs each. Equal to the coder's output (test/server/multicall.test.ts).
 */
export function balanceOfCallData(account: string): string {
  return BALANCE_OF_SELECTOR + accountWord(account);
}

/** getPastVotes(account, timepoint) calldata, written directly (see balanceOfCallData). */
export function getPastVotesCallData(account: string, timepoint: bigint): string {
  if (timepoint < 0n || timepoint >= 1n << 256n) throw new RangeError(`timepoint out of uint256 range: ${timepoint}`);
  return GET_PAST_VOTES_SELECTOR + accountWord(account) + timepoint.toString(16).padStart(64, '0');
}

/** The ERC-6372 call that tells how a votes token counts time; batch it with other reads. */
export function clockModeCall(token: string) {
  return { target: token, callData: tokenInterface.encodeFunctionData('CLOCK_MODE'), allowFailure: true };
}

/**
 * Interprets a CLOCK_MODE() answer. Tokens without ERC-6372 (failed call) predate it and use
 * block numbers, as do tokens answering "mode=blocknumber&from=default".
 */
export function parseClockMode(result: MulticallResult | undefined): ClockMode {
  if (!result?.success || result.returnData === '0x') return 'blocknumber';
  try {
    const [mode] = tokenInterface.decodeFunctionResult('CLOCK_MODE', result.returnData) as unknown as [string];
    return mode.split('&').includes('mode=timestamp') ? 'timestamp' : 'blocknumber';
  } catch {
    return 'blocknumber';
  }
}

/**
 * Total supply at the end of `blockNumber`. ERC20Votes tokens keep supply checkpoints, so
 * getPastTotalSupply is read at "latest" (works on any node, not only archive nodes). Other
 * tokens, and votes tokens on a timestamp clock, are read with totalSupply() at that block.
 */
export async function totalSupplyAt(multicall: MulticallReader, token: string, blockNumber: bigint): Promise<bigint> {
  const [clock, pastSupply] = await multicall.aggregate(
    [clockModeCall(token), { target: token, callData: tokenInterface.encodeFunctionData('getPastTotalSupply', [blockNumber]), allowFailure: true }],
    'latest',
  );
  if (parseClockMode(clock) === 'blocknumber' && pastSupply?.success && pastSupply.returnData.length >= 66) {
    return decodeUint256(pastSupply, 'getPastTotalSupply');
  }
  const [supply] = await multicall.aggregate([{ target: token, callData: tokenInterface.encodeFunctionData('totalSupply') }], blockNumber);
  return decodeUint256(supply!, 'totalSupply');
}
