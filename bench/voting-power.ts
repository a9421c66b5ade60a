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
 * or benchmarkVotingPower(...) against a chain of one's own. The command line starts a local
 * hardhat node, installs Multicall3, deploys test/contracts/BenchToken.sol and funds the voters
 * with mintMany (600 holders per transaction, 1 to 10 tokens each), then runs the benchmark.
 */
import { runAsScript } from './run-as-script.js';
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
   * does for a proposal nobody preloaded: the delegators' power read again through the strategies,
   * then split into shares. rpcCalls and seconds include that second pass.
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
  try {
    const started = performance.now();
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
      ({ total } = await computeVotingPower(context, refs, options.addresses));
      if (options.delegation)
        conserved = await delegate(options.addresses, total, options.delegation, (addresses) => computeVotingPower(context, refs, addresses));
    } finally {
      chain.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const rpcCalls = proxy.records.reduce((sum, record) => sum + record.methods.length, 0);
    const methods = new Map<string, number>();
    for (const record of proxy.records) for (const method of record.methods) methods.set(method, (methods.get(method) ?? 0) + 1);
    log(
      `  ${options.addresses.length} voters: ${rpcCalls} JSON-RPC calls in ${proxy.records.length} HTTP requests (${[...methods].map(([m, n]) => `${m} ${n}`).join(', ')}), ${seconds.toFixed(2)} s`,
    );

    let matchesExpected: boolean | null = null;
    if (options.expected) {
      const expected = options.expected;
      const wrong = options.addresses.findIndex((address, i) => total[i] !== expected(address, i));
      matchesExpected = total.length === options.addresses.length && wrong === -1;
      if (wrong !== -1) log(`  voter ${wrong} (${options.addresses[wrong]}): power ${total[wrong]}, expected ${expected(options.addresses[wrong]!, wrong)}`);
    }
    return { voters: options.addresses.length, rpcCalls, seconds, matchesExpected, conserved };
  } finally {
    await proxy.close();
  }
}

/**
 * The delegation pass: delegations of the first delegators to the delegates, the delegators' power
 * read again (as the server does without a preload), shares split with the server's code, and each
 * voter's effective power; true when Σ effective = Σ own.
 */
async function delegate(
  addresses: readonly string[],
  own: readonly bigint[],
  shape: { delegators: number; delegates: number },
  read: (addresses: readonly string[]) => Promise<{ total: bigint[]; byStrategy: bigint[][] }>,
): Promise<boolean> {
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
  const snapshot = new DelegationSnapshot('bench', splitShares(rows, powers), 1);
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
    const result = await benchmarkVotingPower({
      ...(delegators ? { delegation: { delegators, delegates } } : {}),
      rpcUrl: chain.rpcUrl,
      chainId: chain.chainId,
      multicallAddress,
      token: tokenAddress,
      addresses,
      snapshotBlock,
      expected: (_address, index) => amountForBatch(Math.floor(index / MINT_BATCH)),
      log,
    });
    console.log(JSON.stringify(result));
  } finally {
    await stop();
  }
}

await runAsScript(import.meta.url, 'voting-power', main);
