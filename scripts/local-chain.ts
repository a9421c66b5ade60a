/**
 * Starts a throwaway local Ethereum node (hardhat 2 `hardhat node`, bound to 127.0.0.1) for tests
 * and the demo. Each caller gets its own node on a free port, so test files never share chain state.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from '../core/project-root.js';
import { JsonRpcProvider, Wallet, HDNodeWallet, ContractFactory, Contract, type InterfaceAbi } from 'ethers';
import { loadArtifact } from './compile-contracts.js';

/** Hardhat's default, publicly known development mnemonic: these keys hold test ETH only. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

export interface LocalChain {
  rpcUrl: string;
  chainId: number;
  provider: JsonRpcProvider;
  /** The node's 20 funded development accounts, as ethers wallets connected to the provider. */
  wallets: Wallet[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForRpc(rpcUrl: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited early (${child.exitCode}): ${log()}`);
    try {
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`hardhat node did not answer within 60 s: ${log()}`);
}

/** `hostname`: the interface the node listens on (default 127.0.0.1; the compose dev chain uses 0.0.0.0). */
export async function startLocalChain(options: { port?: number; hostname?: string } = {}): Promise<LocalChain> {
  const port = options.port ?? (await freePort());
  const hardhatBin = join(projectRoot, 'node_modules', 'hardhat', 'internal', 'cli', 'bootstrap.js');
  const child = spawn(process.execPath, [hardhatBin, 'node', '--hostname', options.hostname ?? '127.0.0.1', '--port', String(port)], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForRpc(rpcUrl, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const chainId = Number((await provider.getNetwork()).chainId);
  const wallets = Array.from({ length: 20 }, (_, index) => {
    const node = HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
    return new Wallet(node.privateKey, provider);
  });
  let stopped = false;
  return {
    rpcUrl,
    chainId,
    provider,
    wallets,
    async stop() {
      if (stopped) return;
      stopped = true;
      provider.destroy();
      // Already gone (exited, or killed by a signal such as a terminal's Ctrl-C): 'exit' will not fire again.
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      });
    },
  };
}

/** Deploys a compiled contract (see scripts/compile-contracts.ts) and waits for it to be mined. */
export async function deployContract(deployer: Wallet, contractName: string, args: unknown[] = []): Promise<Contract> {
  const artifact = loadArtifact(contractName);
  const factory = new ContractFactory(artifact.abi as InterfaceAbi, artifact.bytecode, deployer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract as Contract;
}

/** Mines `count` empty blocks, so a snapshot block can be strictly in the past. */
export async function mineBlocks(provider: JsonRpcProvider, count = 1): Promise<void> {
  await provider.send('hardhat_mine', [`0x${count.toString(16)}`]);
}
