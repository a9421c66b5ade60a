/**
 * Deploys the DAO's contracts and prints the addresses and who holds which timelock role.
 *
 *   npm run deploy                           # a local chain (hardhat node) started here, kept running until Ctrl-C
 *   npm run deploy -- --exit                 # the same, then stop the chain
 *   npm run deploy -- --host 0.0.0.0         # the local chain listens on every interface (the compose dev chain)
 *   npm run deploy -- --mint --demo-space demo --server http://127.0.0.1:3000
 *                                            # local chain only: BTK for dev accounts 1–3 and the treasury, and a demo
 *                                            # space created once the server answers (scripts/dev-seed.ts)
 *   DEPLOYER_PRIVATE_KEY=0x… npm run deploy -- --rpc https://… --relayer 0x… --guardian 0x…
 *
 * Options: --min-delay <s> (default 604800 = 7 days), --token <address> (use an existing ERC20Votes
 * token instead of deploying GovToken), --voting-delay <blocks> (1), --voting-period <blocks> (50400),
 * --threshold <wei> (0), --quorum-percent <n> (4), --open-executor (anyone may execute ready
 * operations), --keep-admin (the deployer keeps DEFAULT_ADMIN_ROLE; default: renounced), --json,
 * --log-anchor (also deploy LogAnchor, the on-chain anchor of the message log, whose submitter is the
 * relayer; --log-anchor-submitter <address> names another submitter and implies --log-anchor): prints
 * the LOG_ANCHOR_ADDRESS and LOG_ANCHOR_FROM_BLOCK lines to set.
 *
 * Roles (relayer/README.md explains why):
 *   PROPOSER_ROLE       the relayer (off-chain consensus path) and the Governor (on-chain vote path)
 *   EXECUTOR_ROLE       the relayer and the Governor (or address(0) = anyone, with --open-executor)
 *   CANCELLER_ROLE      the guardian and the Governor (the constructor's grant to the relayer is revoked,
 *                       unless --relayer-cancels keeps it for a veto council)
 *   DEFAULT_ADMIN_ROLE  the timelock itself (and the deployer only with --keep-admin)
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Contract, HDNodeWallet, JsonRpcProvider, Wallet, ZeroAddress, getAddress } from 'ethers';
import { ROLES, type RoleName } from '../core/executions/abi.js';
import { timelockInterface } from '../core/executions/chain.js';
import { compileContracts, loadArtifact } from './compile-contracts.js';
import { DEV_MNEMONIC, deployContract, startLocalChain } from './local-chain.js';
import { ensureMulticall, type MulticallInstall } from './multicall.js';
import { describeError, installFailSafe } from './fail-safe.js';
import { createDemoSpace, demoSpaceSettings, mintDemoHolders } from './dev-seed.js';

export const SEVEN_DAYS = 7 * 24 * 3600;

export interface DaoDeployOptions {
  deployer: Wallet;
  /** The relayer's address (PROPOSER_ROLE, EXECUTOR_ROLE). */
  relayer: string;
  /** The guardian's address (CANCELLER_ROLE): can stop a scheduled operation during the delay. */
  guardian: string;
  /** Timelock minimum delay in seconds (default 7 days). */
  minDelay?: number | bigint;
  /** An existing ERC20Votes token; by default a GovToken owned by the deployer is deployed. */
  token?: string;
  tokenName?: string;
  tokenSymbol?: string;
  governor?: { name?: string; votingDelay?: number; votingPeriod?: number; proposalThreshold?: bigint; quorumPercent?: number };
  /** Grant EXECUTOR_ROLE to address(0): anyone may execute a ready operation. */
  openExecutor?: boolean;
  /** Keep the deployer's DEFAULT_ADMIN_ROLE (default: renounced, so only the timelock administers itself). */
  keepAdmin?: boolean;
  /**
   * Keep the relayer's CANCELLER_ROLE (the constructor grants it to every proposer): a space's veto
   * council cancels through the relayer (docs/api.md, "Veto council"). Default: revoked.
   */
  relayerCancels?: boolean;
}

export type RoleTable = Record<RoleName, string[]>;

export interface DaoDeployment {
  chainId: number;
  deployBlock: number;
  deployer: string;
  relayer: string;
  guardian: string;
  minDelay: string;
  token: Contract;
  timelock: Contract;
  governor: Contract;
  reputation: Contract;
  addresses: { token: string; timelock: string; governor: string; reputation: string };
  roles: RoleTable;
}

async function send(contract: Contract, method: string, ...args: unknown[]): Promise<void> {
  await (await contract.getFunction(method)(...args)).wait();
}

/** Deploys token (unless given), timelock, Governor and reputation registry, and sets the timelock roles. */
export async function deployDao(options: DaoDeployOptions): Promise<DaoDeployment> {
  const { deployer } = options;
  const provider = deployer.provider as JsonRpcProvider;
  const relayer = getAddress(options.relayer);
  const guardian = getAddress(options.guardian);
  const minDelay = BigInt(options.minDelay ?? SEVEN_DAYS);
  const chainId = Number((await provider.getNetwork()).chainId);
  const deployBlock = await provider.getBlockNumber();

  const token = options.token
    ? new Contract(getAddress(options.token), loadArtifact('GovToken').abi as never, deployer)
    : await deployContract(deployer, 'GovToken', [options.tokenName ?? 'Blocktrack', options.tokenSymbol ?? 'BTK', deployer.address]);
  const executors = options.openExecutor ? [ZeroAddress] : [relayer];
  // The deployer is a temporary admin so it can finish the role set-up below; it renounces at the end.
  const timelock = await deployContract(deployer, 'DaoTimelock', [minDelay, [relayer], executors, deployer.address]);
  const g = options.governor ?? {};
  const governor = await deployContract(deployer, 'DaoGovernor', [
    g.name ?? 'DaoGovernor',
    token.target,
    timelock.target,
    g.votingDelay ?? 1,
    g.votingPeriod ?? 50_400,
    g.proposalThreshold ?? 0n,
    g.quorumPercent ?? 4,
  ]);
  await send(timelock, 'grantRole', ROLES.PROPOSER_ROLE, governor.target);
  if (!options.openExecutor) await send(timelock, 'grantRole', ROLES.EXECUTOR_ROLE, governor.target);
  await send(timelock, 'grantRole', ROLES.CANCELLER_ROLE, governor.target);
  await send(timelock, 'grantRole', ROLES.CANCELLER_ROLE, guardian);
  // TimelockController makes every proposer a canceller; the relayer only schedules and executes,
  // unless it carries out a veto council's cancels (--relayer-cancels).
  if (relayer !== guardian && !options.relayerCancels) await send(timelock, 'revokeRole', ROLES.CANCELLER_ROLE, relayer);
  if (!options.keepAdmin) await send(timelock, 'renounceRole', ROLES.DEFAULT_ADMIN_ROLE, deployer.address);
  const reputation = await deployContract(deployer, 'ReputationRegistry', [deployer.address]);

  const addresses = {
    token: String(token.target),
    timelock: String(timelock.target),
    governor: String(governor.target),
    reputation: String(reputation.target),
  };
  return {
    chainId,
    deployBlock,
    deployer: deployer.address,
    relayer,
    guardian,
    minDelay: minDelay.toString(),
    token,
    timelock,
    governor,
    reputation,
    addresses,
    roles: await timelockRoles(provider, addresses.timelock, deployBlock),
  };
}

export interface LogAnchorDeployment {
  address: string;
  submitter: string;
  /** The block of the deployment: readers start at it (LOG_ANCHOR_FROM_BLOCK). */
  deployBlock: number;
}

/** Deploys LogAnchor (relayer/contracts/LogAnchor.sol): only `submitter` may anchor tree heads. */
export async function deployLogAnchor(deployer: Wallet, submitter: string): Promise<LogAnchorDeployment> {
  const contract = await deployContract(deployer, 'LogAnchor', [getAddress(submitter)]);
  const receipt = await contract.deploymentTransaction()!.wait();
  return { address: String(contract.target), submitter: getAddress(submitter), deployBlock: receipt!.blockNumber };
}

/** The environment lines that turn anchoring on (relayer) and tell readers where to look (server, verify). */
export function logAnchorEnv(anchor: Pick<LogAnchorDeployment, 'address' | 'deployBlock'>): string {
  return `LOG_ANCHOR_ADDRESS=${anchor.address}\nLOG_ANCHOR_FROM_BLOCK=${anchor.deployBlock}`;
}

/** Who holds each timelock role, folded from the RoleGranted / RoleRevoked events since `fromBlock`. */
export async function timelockRoles(provider: JsonRpcProvider, timelock: string, fromBlock = 0): Promise<RoleTable> {
  const granted = timelockInterface.getEvent('RoleGranted')!.topicHash;
  const revoked = timelockInterface.getEvent('RoleRevoked')!.topicHash;
  const logs = await provider.getLogs({ address: timelock, topics: [[granted, revoked]], fromBlock, toBlock: 'latest' });
  const holders = new Map<string, Set<string>>();
  for (const log of logs) {
    const parsed = timelockInterface.parseLog({ topics: [...log.topics], data: log.data })!;
    const role = String(parsed.args[0]).toLowerCase();
    const account = getAddress(String(parsed.args[1]));
    const set = holders.get(role) ?? new Set<string>();
    if (parsed.name === 'RoleGranted') set.add(account);
    else set.delete(account);
    holders.set(role, set);
  }
  const table = {} as RoleTable;
  for (const [name, hash] of Object.entries(ROLES) as [RoleName, string][]) table[name] = [...(holders.get(hash.toLowerCase()) ?? [])];
  return table;
}

export function describeDeployment(d: Pick<DaoDeployment, 'chainId' | 'deployer' | 'relayer' | 'guardian' | 'minDelay' | 'addresses' | 'roles'>): string {
  const name = (address: string) => {
    const a = getAddress(address);
    if (a === ZeroAddress) return `${a} (anyone)`;
    const labels: Record<string, string> = {
      [getAddress(d.relayer)]: 'relayer',
      [getAddress(d.guardian)]: 'guardian',
      [getAddress(d.addresses.governor)]: 'governor',
      [getAddress(d.addresses.timelock)]: 'timelock itself',
      [getAddress(d.deployer)]: 'deployer',
    };
    return labels[a] ? `${a} (${labels[a]})` : a;
  };
  const lines = [
    `chain ${d.chainId}`,
    `  GovToken            ${d.addresses.token}`,
    `  DaoTimelock         ${d.addresses.timelock}   (min delay ${d.minDelay} s; holds the treasury)`,
    `  DaoGovernor         ${d.addresses.governor}`,
    `  ReputationRegistry  ${d.addresses.reputation}`,
    '',
    'timelock roles:',
    ...(Object.entries(d.roles) as [RoleName, string[]][]).map(
      ([role, holders]) => `  ${role.padEnd(19)} ${holders.length ? holders.map(name).join(', ') : '(nobody)'}`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rpc: { type: 'string' },
      'min-delay': { type: 'string' },
      relayer: { type: 'string' },
      guardian: { type: 'string' },
      token: { type: 'string' },
      'voting-delay': { type: 'string' },
      'voting-period': { type: 'string' },
      threshold: { type: 'string' },
      'quorum-percent': { type: 'string' },
      'open-executor': { type: 'boolean' },
      'keep-admin': { type: 'boolean' },
      'relayer-cancels': { type: 'boolean' },
      'log-anchor': { type: 'boolean' },
      'log-anchor-submitter': { type: 'string' },
      json: { type: 'boolean' },
      exit: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      mint: { type: 'boolean' },
      'demo-space': { type: 'string' },
      server: { type: 'string' },
    },
  });
  compileContracts();
  let stop: (() => Promise<void>) | null = null;
  let devWallets: Wallet[] = [];
  let deployer: Wallet;
  let relayer = values.relayer;
  let guardian = values.guardian;
  const relayerKey = process.env.RELAYER_PRIVATE_KEY;
  if (values.rpc) {
    const key = process.env.DEPLOYER_PRIVATE_KEY;
    if (!key) throw new Error('DEPLOYER_PRIVATE_KEY is required with --rpc');
    // cacheTimeout -1: every nonce read goes to the node (ethers caches identical calls for 250 ms otherwise).
    deployer = new Wallet(key, new JsonRpcProvider(values.rpc, undefined, { cacheTimeout: -1 }));
    relayer ??= relayerKey ? new Wallet(relayerKey).address : undefined;
    if (!relayer) throw new Error('--relayer <address> (or RELAYER_PRIVATE_KEY) is required with --rpc');
    if (!guardian) throw new Error('--guardian <address> is required with --rpc');
  } else {
    const chain = await startLocalChain({ port: values.port ? Number(values.port) : 8545, hostname: values.host ?? '127.0.0.1' });
    devWallets = chain.wallets;
    stop = () => chain.stop();
    deployer = chain.wallets[0]!;
    // Publicly known development keys (hardhat's mnemonic): accounts 18 and 19.
    relayer ??= relayerKey ? new Wallet(relayerKey).address : HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, "m/44'/60'/0'/0/18").address;
    guardian ??= HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, "m/44'/60'/0'/0/19").address;
    console.log(
      `local chain at ${values.host && values.host !== '127.0.0.1' ? `http://${values.host}:8545` : chain.rpcUrl} (chain id ${chain.chainId}); deployer = dev account 0, relayer = dev account 18, guardian = dev account 19`,
    );
  }
  installFailSafe('deploy', async () => {
    if (stop) await stop();
  });
  try {
    // The server reads voting power through Multicall3: without it every proposal is refused (MULTICALL_UNAVAILABLE).
    const multicall: MulticallInstall = await ensureMulticall(deployer.provider as JsonRpcProvider, deployer);
    const deployment = await deployDao({
      deployer,
      relayer,
      guardian,
      ...(values['min-delay'] ? { minDelay: BigInt(values['min-delay']) } : {}),
      ...(values.token ? { token: values.token } : {}),
      governor: {
        ...(values['voting-delay'] ? { votingDelay: Number(values['voting-delay']) } : {}),
        ...(values['voting-period'] ? { votingPeriod: Number(values['voting-period']) } : {}),
        ...(values.threshold ? { proposalThreshold: BigInt(values.threshold) } : {}),
        ...(values['quorum-percent'] ? { quorumPercent: Number(values['quorum-percent']) } : {}),
      },
      openExecutor: values['open-executor'] ?? false,
      keepAdmin: values['keep-admin'] ?? false,
      relayerCancels: values['relayer-cancels'] ?? false,
    });
    const anchorSubmitter = values['log-anchor-submitter'] ?? (values['log-anchor'] ? deployment.relayer : undefined);
    const logAnchor = anchorSubmitter ? await deployLogAnchor(deployer, anchorSubmitter) : null;
    const seeding = new AbortController();
    if (values.mint || values['demo-space']) {
      if (!devWallets.length) throw new Error('--mint and --demo-space are for the local chain (not with --rpc)');
      await mintDemoHolders(deployment.token, devWallets, deployment.addresses.timelock);
      console.log('minted BTK: dev account 1: 100, 2: 50, 3: 25 (each delegated to itself); treasury (the timelock): 1000');
    }
    if (values['demo-space']) {
      const server = (values.server ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
      const settings = demoSpaceSettings({
        chainId: deployment.chainId,
        token: deployment.addresses.token,
        admin: deployer.address,
        timelock: deployment.addresses.timelock,
        governor: deployment.addresses.governor,
      });
      // In the background: the server starts after the chain (it checks the chain at start).
      void createDemoSpace({ server, id: values['demo-space'], adminKey: deployer.privateKey, settings, signal: seeding.signal }).then(
        (done) => console.log(done),
        (error: unknown) => console.error(`demo space: ${describeError(error)}`),
      );
    }
    if (values.json) {
      console.log(
        JSON.stringify(
          {
            chainId: deployment.chainId,
            deployBlock: deployment.deployBlock,
            ...deployment.addresses,
            multicall: multicall.address,
            relayer: deployment.relayer,
            guardian: deployment.guardian,
            minDelay: deployment.minDelay,
            roles: deployment.roles,
            logAnchor,
          },
          null,
          2,
        ),
      );
    } else {
      console.log(describeDeployment(deployment));
      console.log(
        multicall.how === 'deployed'
          ? `Multicall3 deployed at ${multicall.address} (the node took no hardhat_setCode and had none at the canonical address): set MULTICALL_ADDRESS=${multicall.address}`
          : `Multicall3 at ${multicall.address} (${multicall.how === 'present' ? 'already there' : 'installed with hardhat_setCode'}): the default MULTICALL_ADDRESS`,
      );
      console.log(
        '\nspace settings: { "executor": "%s", "governor": "%s", "token": "%s" }',
        deployment.addresses.timelock,
        deployment.addresses.governor,
        deployment.addresses.token,
      );
      if (logAnchor)
        console.log(
          `\nLogAnchor ${logAnchor.address} (submitter ${logAnchor.submitter}, block ${logAnchor.deployBlock}): set in the relayer's and the server's environment\n${logAnchorEnv(logAnchor)}`,
        );
    }
    if (stop && !values.exit) {
      console.log('\nthe local chain keeps running; Ctrl-C stops it');
      await new Promise<void>((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      });
    }
    seeding.abort();
  } finally {
    if (stop) await stop();
    (deployer.provider as JsonRpcProvider | null)?.destroy();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`deploy failed: ${describeError(error)}`);
    process.exit(1);
  });
}
