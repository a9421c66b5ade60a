/**
 * Voting power of many voters at a snapshot, through the production code path: connectChain
 * (core/chain/connect.ts: the server's ethers provider and MulticallReader) and
 * computeVotingPower (strategies/index.ts) with the `token-weighted` strategy reading
 * `balanceOf`. The provider talks to a JSON-RPC proxy in front of the node that counts every
 * request, so `rpcCalls` is what an RPC provider would bill: every JSON-RPC call of any method
 * (the connection's eth_chainId included), each entry of a batch counted on its own.
 *
 *   npx tsx bench/voting-power.ts [voters] [delegators delegates]     (default 100,000; no delegation)
 *
 * With delegators, it measures as npm run bench does: without delegation first, then with it, on the same node.
 *
 * or benchmarkVotingPower(...) against a chain of one's own. The command line starts a local
 * hardhat node, installs Multicall3, deploys test/contracts/BenchToken.sol and funds the voters
 * with mintMany (600 holders per transaction, 1 to 10 tokens each), then runs the benchmark.
 */
import { runAsScript } from './run-as-script.js';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { keccak256, toUtf8Bytes, type Contract, type Wallet } from 'ethers';
import { compileContracts } from '../scripts/compile-contracts.js';
import { deployContract, mineBlocks, startLocalChain } from '../scripts/local-chain.js';
import { installMulticall } from '../test/helpers/multicall.js';
import { startRpcProxy } from '../test/helpers/rpc-proxy.js';
import { connectChain } from '../core/chain/connect.js';
import { computeVotingPower } from '../strategies/index.js';
import type { ReputationLedger } from '../strategies/types.js';
import type { DelegationRow } from '../core/db/delegations.js';
import { DelegationSnapshot, splitShares } from '../server/delegations/delegated-power.js';
import type { VoterPower } from '../server/votes/voting-power.js';
import { findChainPid, processCpuSeconds } from './cpu-accounting.js';

export interface VotingPowerBenchOptions {
  /** The node to read from; the benchmark puts its counting proxy in front of it. */
  rpcUrl: string;
  chainId: number;
  multicallAddress: string;
  /** ERC-20 token read with balanceOf. */
  token: string;
  /** Lowercase 0x addresses. */
  addresses: string[];
  snapshotBlock: bigint;
  /** Each voter's expected power; without it, matchesExpected is null. */
  expected?: (address: string, index: number) => bigint;
  /**
   * Off-chain delegation on top: the first `delegators` voters each lend everything to one of
   * `delegates` voters (the next ones, round robin), resolved as server/delegations/delegated-power.ts
   * does for a proposal nobody preloaded: first the delegation snapshot (the delegators' power read
   * through the strategies, split into shares), then every other voter's power; a delegator's power
   * is read once, as the server keeps it in memory for the proposal. rpcCalls and seconds cover both.
   */
  delegation?: { delegators: number; delegates: number };
  log?: (msg: string) => void;
}

export interface VotingPowerBenchResult {
  voters: number;
  /** JSON-RPC calls that reached the node (a batch counts as its number of entries). */
  rpcCalls: number;
  /** From connecting (as the server does at start) to every voter's power computed. */
  seconds: number;
  matchesExpected: boolean | null;
  /** With delegation: Σ effective power = Σ own power over the voters (null without delegation). */
  conserved: boolean | null;
  /** CPU seconds (user + system) over `seconds`: this process, and the node (null when its process cannot be read). */
  cpuSeconds: number;
  chainCpuSeconds: number | null;
  /** Where `seconds` went: with delegation, resolving it first (the delegators' power, the shares), then the other voters' own power. */
  phases: { ownSeconds: number; delegationSeconds: number | null };
}

/** token-weighted never reads the reputation ledger; anything that does is a bug here. */
const noLedger: ReputationLedger = {
  reputationAt() {
    throw new Error('the voting power benchmark has no reputation ledger');
  },
};

export async function benchmarkVotingPower(options: VotingPowerBenchOptions): Promise<VotingPowerBenchResult> {
  const log = options.log ?? (() => undefined);
  const proxy = await startRpcProxy(options.rpcUrl);
  const chainPid = findChainPid(new URL(options.rpcUrl).port);
  try {
    const cpuBefore = process.cpuUsage();
    const chainCpuBefore = processCpuSeconds(chainPid);
    const started = performance.now();
    let ownSeconds = 0;
    let delegationSeconds: number | null = null;
    const chain = await connectChain({ RPC_URL: proxy.url, CHAIN_ID: options.chainId, MULTICALL_ADDRESS: options.multicallAddress });
    let total: bigint[];
    let conserved: boolean | null = null;
    try {
      const context = {
        chainId: options.chainId,
        spaceId: 'bench',
        snapshotBlock: options.snapshotBlock,
        // Only time-based sources (the reputation ledger) read it; balanceOf reads the block.
        snapshotTime: 0n,
        multicall: chain.multicall,
        reputationLedger: noLedger,
      };
      const refs = [{ name: 'token-weighted', params: { address: options.token, method: 'balanceOf' } }];
      const read = (addresses: readonly string[]) => computeVotingPower(context, refs, addresses);
      if (options.delegation) {
        // The server's order: the delegation snapshot is resolved when the proposal is created
        // (DelegationService.ensure), reading the delegators' power once (VotingPowerService.many keeps
        // it in memory); every voter's power is read afterwards, the delegators' from that memory.
        const resolved = await resolveDelegation(options.addresses, options.delegation, read);
        delegationSeconds = (performance.now() - started) / 1000;
        const others = options.addresses.filter((address) => !resolved.powers.has(address));
        const read2 = await read(others);
        const byAddress = new Map<string, bigint>(others.map((address, i) => [address, read2.total[i]!]));
        total = options.addresses.map((address) => resolved.powers.get(address)?.total ?? byAddress.get(address)!);
        ownSeconds = (performance.now() - started) / 1000 - delegationSeconds;
        conserved = isConserved(options.addresses, total, resolved.snapshot);
      } else {
        ({ total } = await read(options.addresses));
        ownSeconds = (performance.now() - started) / 1000;
      }
    } finally {
      chain.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const chainCpuAfter = processCpuSeconds(chainPid);
    const chainCpuSeconds = chainCpuBefore === null || chainCpuAfter === null ? null : chainCpuAfter - chainCpuBefore;
    const rpcCalls = proxy.records.reduce((sum, record) => sum + record.methods.length, 0);
    const methods = new Map<string, number>();
    for (const record of proxy.records) for (const method of record.methods) methods.set(method, (methods.get(method) ?? 0) + 1);
    log(
      `  ${options.addresses.length} voters: ${rpcCalls} JSON-RPC calls in ${proxy.records.length} HTTP requests (${[...methods].map(([m, n]) => `${m} ${n}`).join(', ')}), ${seconds.toFixed(2)} s` +
        ` (${delegationSeconds === null ? '' : `delegation snapshot ${delegationSeconds.toFixed(2)} s, then `}own power ${ownSeconds.toFixed(2)} s; CPU: this process ${cpuSeconds.toFixed(2)} s, node ${chainCpuSeconds?.toFixed(2) ?? '?'} s; load average ${os.loadavg()[0]!.toFixed(2)})`,
    );

    let matchesExpected: boolean | null = null;
    if (options.expected) {
      const expected = options.expected;
      const wrong = options.addresses.findIndex((address, i) => total[i] !== expected(address, i));
      matchesExpected = total.length === options.addresses.length && wrong === -1;
      if (wrong !== -1) log(`  voter ${wrong} (${options.addresses[wrong]}): power ${total[wrong]}, expected ${expected(options.addresses[wrong]!, wrong)}`);
    }
    return {
      voters: options.addresses.length,
      rpcCalls,
      seconds,
      matchesExpected,
      conserved,
      cpuSeconds,
      chainCpuSeconds,
      phases: { ownSeconds, delegationSeconds },
    };
  } finally {
    await proxy.close();
  }
}

/**
 * The delegation snapshot as DelegationService resolves it for a proposal: the first delegators each
 * lend everything to one of the delegates (round robin), the delegators' power is read through the
 * strategies, and the shares are split with the server's code.
 */
async function resolveDelegation(
  addresses: readonly string[],
  shape: { delegators: number; delegates: number },
  read: (addresses: readonly string[]) => Promise<{ total: bigint[]; byStrategy: bigint[][] }>,
): Promise<{ snapshot: DelegationSnapshot; powers: Map<string, VoterPower> }> {
  if (shape.delegators + shape.delegates > addresses.length) throw new Error('more delegators and delegates than voters');
  const delegators = addresses.slice(0, shape.delegators);
  const delegates = addresses.slice(shape.delegators, shape.delegators + shape.delegates);
  const rows = new Map<string, DelegationRow>(
    delegators.map((delegator, i) => [
      delegator,
      {
        messageId: delegator,
        delegator,
        spaceId: 'bench',
        kind: 'delegate',
        delegates: [{ address: delegates[i % delegates.length]!, bps: 10_000 }],
        expiry: null,
        timestamp: 0n,
        receivedAt: new Date(0),
      },
    ]),
  );
  const read2 = await read(delegators);
  const powers = new Map<string, VoterPower>(delegators.map((a, i) => [a, { total: read2.total[i]!, byStrategy: read2.byStrategy[i]! }]));
  return { snapshot: new DelegationSnapshot('bench', splitShares(rows, powers), 1), powers };
}

/** Σ effective power (own − given + received) = Σ own power over the voters. */
function isConserved(addresses: readonly string[], own: readonly bigint[], snapshot: DelegationSnapshot): boolean {
  let ownSum = 0n;
  let effectiveSum = 0n;
  addresses.forEach((address, i) => {
    ownSum += own[i]!;
    effectiveSum += own[i]! - snapshot.given(address).total + snapshot.received(address).total;
  });
  return ownSum === effectiveSum;
}

// ---- CLI: a local chain of its own with a funded BenchToken ----

const TOKEN = 10n ** 18n;
/** Holders per mintMany: ~25,200 gas each, and a transaction may use at most 2^24 gas (EIP-7825). */
const MINT_BATCH = 600;
const TX_GAS_CAP = 16_777_216n;

/** Distinct deterministic addresses (no keys needed: nobody signs here). */
function voterAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `0x${keccak256(toUtf8Bytes(`govrelay voting power bench ${i}`)).slice(26)}`);
}

/** Holders of funding batch b get 1 + b % 10 tokens, so powers differ across the voters. */
const amountForBatch = (batch: number) => BigInt(1 + (batch % 10)) * TOKEN;

async function fund(owner: Wallet, token: Contract, addresses: string[], log: (msg: string) => void): Promise<void> {
  const mintMany = token.getFunction('mintMany');
  // Gas measured on a full batch, so the limit fits whatever the EVM charges per holder.
  const estimate = await mintMany.estimateGas(addresses.slice(0, MINT_BATCH), amountForBatch(0));
  const gasLimit = [(estimate * 11n) / 10n, TX_GAS_CAP].reduce((a, b) => (a < b ? a : b));
  let nonce = await owner.getNonce('pending');
  const inFlight: Promise<unknown>[] = [];
  const batches = Math.ceil(addresses.length / MINT_BATCH);
  for (let b = 0; b < batches; b++) {
    const tx = await mintMany(addresses.slice(b * MINT_BATCH, (b + 1) * MINT_BATCH), amountForBatch(b), { nonce: nonce++, gasLimit });
    inFlight.push(
      tx.wait().then((receipt: { status: number | null } | null) => {
        if (!receipt || receipt.status !== 1) throw new Error(`mintMany batch ${b} failed`);
      }),
    );
    if (inFlight.length >= 4) await inFlight.shift();
    if ((b + 1) % 40 === 0) log(`  funded ${Math.min((b + 1) * MINT_BATCH, addresses.length)} / ${addresses.length}`);
  }
  await Promise.all(inFlight);
}

async function main(): Promise<void> {
  const voters = process.argv[2] === undefined ? 100_000 : Number(process.argv[2]);
  if (!Number.isInteger(voters) || voters < 1) throw new Error(`voters must be a positive integer; got ${process.argv[2]}`);
  const log = (msg: string) => console.log(`[voting-power] ${msg}`);
  compileContracts();
  const chain = await startLocalChain();
  const stop = () => chain.stop();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().finally(() => process.exit(130)));
  try {
    const owner = chain.wallets[0]!;
    const multicallAddress = await installMulticall(chain.provider);
    const token = await deployContract(owner, 'BenchToken', ['Govrelay Bench', 'GBENCH']);
    const tokenAddress = (await token.getAddress()).toLowerCase();
    const addresses = voterAddresses(voters);
    log(`funding ${voters} holders (${Math.ceil(voters / MINT_BATCH)} mintMany transactions)`);
    const fundStarted = performance.now();
    await fund(owner, token, addresses, log);
    log(`  funded in ${((performance.now() - fundStarted) / 1000).toFixed(1)} s`);
    const snapshotBlock = BigInt(await chain.provider.getBlockNumber());
    await mineBlocks(chain.provider, 1); // the snapshot strictly in the past, as for a proposal
    const delegators = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
    const delegates = Number(process.argv[4] ?? 500);
    const options = {
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      multicallAddress,
      token: tokenAddress,
      addresses,
      snapshotBlock,
      expected: (_address: string, index: number) => amountForBatch(Math.floor(index / MINT_BATCH)),
      log,
    };
    // With delegation, as npm run bench does: the plain figure first, then the delegation one on the same node.
    if (delegators) console.log(JSON.stringify(await benchmarkVotingPower(options)));
    console.log(JSON.stringify(await benchmarkVotingPower({ ...options, ...(delegators ? { delegation: { delegators, delegates } } : {}) })));
  } finally {
    await stop();
  }
}

await runAsScript(import.meta.url, 'voting-power', main);
