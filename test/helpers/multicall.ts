/**
 * Puts this repo's Multicall3 (relayer/contracts/Multicall3.sol) at the canonical Multicall3
 * address on a local hardhat chain, so code under test uses the same address as production.
 * The code lives in scripts/multicall.ts, shared with `npm run deploy` and the demo.
 */
export { installMulticallCode as installMulticall } from '../../scripts/multicall.js';
