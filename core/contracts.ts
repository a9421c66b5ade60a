/**
 * The compiled contract artifacts (build/contracts/<Name>.json, written by `npm run contracts`,
 * scripts/compile-contracts.ts). Processes only read them: compiling needs solc, a development tool.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

export const artifactsDir = join(projectRoot, 'build', 'contracts');

export interface ContractArtifact {
  contractName: string;
  sourceName: string;
  abi: unknown[];
  bytecode: string;
  deployedBytecode: string;
}

export function readArtifact(contractName: string): ContractArtifact {
  const path = join(artifactsDir, `${contractName}.json`);
  if (!existsSync(path)) throw new Error(`contract artifact ${contractName} is missing from build/contracts: run npm run contracts (npm run build does)`);
  return JSON.parse(readFileSync(path, 'utf8')) as ContractArtifact;
}
