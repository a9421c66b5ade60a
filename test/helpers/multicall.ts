/**
 * Puts this repo's Multicall3 (relayer/contracts/Multicall3.sol) at the canonical Multicall3
 * address on a local hardhat chain, so code under test uses the same address as production.
 */
import type { JsonRpcProvider } from 'ethers';
import { loadArtifact } from '../../scripts/compile-contracts.js';
import { MULTICALL3_ADDRESS } from '../../core/chain/multicall.js';

export async function installMulticall(provider: JsonRpcProvider): Promise<string> {
  const { deployedBytecode } = loadArtifact('Multicall3');
  await provider.send('hardhat_setCode', [MULTICALL3_ADDRESS, deployedBytecode]);
  // Mine once so the code is part of a mined block: reads at any later block tag then see it.
  await provider.send('hardhat_mine', ['0x1']);
  return MULTICALL3_ADDRESS;
}
