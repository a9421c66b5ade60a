/**
 * Compiles every Solidity file under relayer/contracts (and test/contracts) with the solc npm
 * package and writes one JSON artifact per contract to build/contracts/<Name>.json.
 * Hardhat's compiler download cannot run offline, so solc-js is the project's only compiler.
 * Output is cached by a hash of the sources, so repeated calls cost nothing.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, existsSync, writeFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { projectRoot } from '../core/project-root.js';
import { artifactsDir, readArtifact, type ContractArtifact } from '../core/contracts.js';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const sourceDirs = ['relayer/contracts', 'test/contracts'];
export { artifactsDir, type ContractArtifact };

function listSolidity(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return listSolidity(path);
    return entry.endsWith('.sol') ? [path] : [];
  });
}

function resolveImport(path: string): { contents: string } | { error: string } {
  for (const candidate of [join(projectRoot, path), join(projectRoot, 'node_modules', path)]) {
    if (existsSync(candidate)) return { contents: readFileSync(candidate, 'utf8') };
  }
  return { error: `import not found: ${path}` };
}

export function compileContracts(options: { force?: boolean } = {}): string {
  const solc = require('solc') as { version(): string; compile(input: string, cb: unknown): string };
  const files = sourceDirs.flatMap((dir) => listSolidity(join(projectRoot, dir))).sort();
  const sources: Record<string, { content: string }> = {};
  const hash = createHash('sha256').update(solc.version());
  for (const file of files) {
    const name = relative(projectRoot, file);
    const content = readFileSync(file, 'utf8');
    sources[name] = { content };
    hash.update(name).update(content);
  }
  const digest = hash.digest('hex');
  const stampFile = join(artifactsDir, '.sources-hash');
  if (!options.force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) {
    return artifactsDir;
  }

  const input = {
    language: 'Solidity',
    sources,
    settings: {
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: resolveImport })) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`Solidity compilation failed:\n${errors.map((e) => e.formattedMessage).join('\n')}`);
  }
  mkdirSync(artifactsDir, { recursive: true });
  for (const sourceName of Object.keys(sources)) {
    for (const [contractName, contract] of Object.entries(output.contracts[sourceName] ?? {})) {
      const artifact: ContractArtifact = {
        contractName,
        sourceName,
        abi: contract.abi,
        bytecode: `0x${contract.evm.bytecode.object}`,
        deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
      };
      writeFileSync(join(artifactsDir, `${contractName}.json`), JSON.stringify(artifact, null, 2));
    }
  }
  writeFileSync(stampFile, digest);
  return artifactsDir;
}

/** An artifact, compiled first when it is missing (development tools and tests; processes use core/contracts.ts). */
export function loadArtifact(contractName: string): ContractArtifact {
  if (!existsSync(join(artifactsDir, `${contractName}.json`))) compileContracts();
  return readArtifact(contractName);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  compileContracts({ force: process.argv.includes('--force') });
  console.log(JSON.stringify({ msg: 'contracts compiled', dir: relative(projectRoot, artifactsDir), ms: Date.now() - started }));
}
