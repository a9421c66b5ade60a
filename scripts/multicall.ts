/**
 * Multicall3 where the server expects it. Voting power is read through Multicall3 (server/chain/
 * multicall.ts); without its code at MULTICALL_ADDRESS every proposal is refused with
 * MULTICALL_UNAVAILABLE. Used by `npm run deploy` (local and --rpc), the demo and the tests.
 */
import type { JsonRpcProvider, Wallet } from 'ethers';
import { MULTICALL3_ADDRESS } from '../core/chain/multicall.js';
import { loadArtifact } from './compile-contracts.js';
import { deployContract } from './local-chain.js';

export { MULTICALL3_ADDRESS };

/** Puts this repo's Multicall3 (relayer/contracts/Multicall3.sol) at the canonical address on a development node (hardhat_setCode). */
export async function installMulticallCode(provider: JsonRpcProvider): Promise<string> {
  const { deployedBytecode } = loadArtifact('Multicall3');
  await provider.send('hardhat_setCode', [MULTICALL3_ADDRESS, deployedBytecode]);
  // Mine once so the code is part of a mined block: reads at any later block tag then see it.
  await provider.send('hardhat_mine', ['0x1']);
  return MULTICALL3_ADDRESS;
}

export interface MulticallInstall {
  address: string;
  /** present: already there; set-code: a development node took hardhat_setCode; deployed: a new contract at another address. */
  how: 'present' | 'set-code' | 'deployed';
}

/**
 * Makes sure Multicall3 code exists: at the canonical address if it is there or the node is a
 * development node (hardhat, anvil: hardhat_setCode); otherwise deploys it from `deployer` at a new
 * address, which the server then needs as MULTICALL_ADDRESS.
 */
export async function ensureMulticall(provider: JsonRpcProvider, deployer?: Wallet): Promise<MulticallInstall> {
  if ((await provider.getCode(MULTICALL3_ADDRESS)) !== '0x') return { address: MULTICALL3_ADDRESS, how: 'present' };
  try {
    await installMulticallCode(provider);
    if ((await provider.getCode(MULTICALL3_ADDRESS)) !== '0x') return { address: MULTICALL3_ADDRESS, how: 'set-code' };
  } catch {
    // Not a development node: hardhat_setCode is unknown there. Deploy an ordinary contract instead.
  }
  if (!deployer) throw new Error(`no Multicall3 at ${MULTICALL3_ADDRESS} and the node does not take hardhat_setCode; deploy one and set MULTICALL_ADDRESS`);
  const contract = await deployContract(deployer, 'Multicall3');
  return { address: String(contract.target), how: 'deployed' };
}
