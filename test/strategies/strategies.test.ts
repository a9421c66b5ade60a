/**
 * Runs every strategy's examples.json against a real hardhat chain (and a real PostgreSQL ledger),
 * then checks the RPC-call bound, batching, typed errors and configuration validation.
 *
 * Example format (strategies/<name>/examples.json is an array of these):
 *   name        what the example shows
 *   contracts   { id: { artifact, args, from? } } deployed first, by "#0" unless `from` says otherwise
 *   actions     in order; each { from, contract, call, args } is a transaction (waited for),
 *               { "mine": n } mines n empty blocks, and the string "snapshot" takes the latest
 *               block as the proposal's snapshot. Actions after it happen after the snapshot.
 *   ledger      optional off-chain reputation entries { account, delta, offsetSeconds, space? }
 *               stamped at snapshot time + offsetSeconds (0 = exactly at the snapshot)
 *   strategies  the space's strategy list, exactly as configured (validated too)
 *   expected    { account: total power } with powers as decimal strings
 * References: "#n" is wallets[n] of the local chain, "$id" the address of a deployed contract.
 * Amounts are decimal strings, passed to the contracts unchanged.
 */
import t, { type Test } from 'tap';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Contract, JsonRpcProvider, Network, id as keccakText, type InterfaceAbi } from 'ethers';
import { PrismaPg } from '@prisma/adapter-pg';
import { startLocalChain, deployContract, mineBlocks, type LocalChain } from '../../scripts/local-chain.js';
import { loadArtifact } from '../../scripts/compile-contracts.js';
import { createTestDatabase } from '../helpers/database.js';
import { installMulticall } from '../helpers/multicall.js';
import { MulticallReader } from '../../core/chain/multicall.js';
import { JsonRpcClient } from '../../core/chain/json-rpc.js';
import { totalSupplyAt, tokenInterface } from '../../core/chain/token.js';
import { createReputationLedger, recordReputation } from '../../server/reputation/ledger.js';
import { computeVotingPower, likelyHolders, validateStrategyRefs, getStrategy, strategies } from '../../strategies/index.js';
import { LogAddressScanner } from '../../core/chain/log-addresses.js';
import type { StrategyContext, StrategyRef } from '../../strategies/types.js';
import { UpstreamError } from '../../core/errors.js';
import { PrismaClient } from '../../server/generated/prisma/client.js';

const strategiesDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'strategies');

type Action = 'snapshot' | { mine: number } | { from: string; contract: string; call: string; args: unknown[] };

interface Example {
  name: string;
  contracts?: Record<string, { artifact: string; args: unknown[]; from?: string }>;
  actions: Action[];
  ledger?: { account: string; delta: string; offsetSeconds: number; space?: string }[];
  strategies: StrategyRef[];
  expected: Record<string, string>;
}

const db = await createTestDatabase();
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }) });
const ledger = createReputationLedger(prisma);
t.teardown(async () => {
  await prisma.$disconnect();
  await db.drop();
});

/** A fresh chain with Multicall3 at its canonical address, stopped when the test ends. */
async function chainFor(t: Test): Promise<{ chain: LocalChain; multicallAddress: string }> {
  const chain = await startLocalChain();
  t.teardown(() => chain.stop());
  const multicallAddress = await installMulticall(chain.provider);
  return { chain, multicallAddress };
}

function wallet(chain: LocalChain, ref: string) {
  const match = /^#(\d+)$/.exec(ref);
  const found = match ? chain.wallets[Number(match[1])] : undefined;
  if (!found) throw new Error(`not a wallet reference: ${ref}`);
  return found;
}

/** Replaces "#n" and "$id" references anywhere inside a JSON value. */
function resolveRefs(value: unknown, chain: LocalChain, contracts: Map<string, string>): unknown {
  if (typeof value === 'string') {
    if (/^#\d+$/.test(value)) return wallet(chain, value).address.toLowerCase();
    if (value.startsWith('$')) {
      const address = contracts.get(value.slice(1));
      if (!address) throw new Error(`unknown contract reference ${value}`);
      return address;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, chain, contracts));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveRefs(item, chain, contracts)]));
  }
  return value;
}

async function contextAt(chain: LocalChain, multicall: MulticallReader, spaceId: string, snapshotBlock: bigint): Promise<StrategyContext> {
  const block = await chain.provider.getBlock(snapshotBlock);
  if (!block) throw new Error(`block ${snapshotBlock} not found`);
  return {
    chainId: chain.chainId,
    spaceId,
    snapshotBlock,
    snapshotTime: BigInt(block.timestamp),
    multicall,
    reputationLedger: ledger,
  };
}

async function runExample(chain: LocalChain, multicallAddress: string, example: Example, spaceId: string) {
  const contracts = new Map<string, string>();
  const instances = new Map<string, Contract>();
  for (const [contractId, spec] of Object.entries(example.contracts ?? {})) {
    const deployer = wallet(chain, spec.from ?? '#0');
    const deployed = await deployContract(deployer, spec.artifact, resolveRefs(spec.args, chain, contracts) as unknown[]);
    const address = (await deployed.getAddress()).toLowerCase();
    contracts.set(contractId, address);
    instances.set(contractId, new Contract(address, loadArtifact(spec.artifact).abi as InterfaceAbi));
  }

  let snapshotBlock: bigint | undefined;
  for (const action of example.actions) {
    if (action === 'snapshot') {
      snapshotBlock = BigInt(await chain.provider.getBlockNumber());
    } else if ('mine' in action) {
      await mineBlocks(chain.provider, action.mine);
    } else {
      const contract = instances.get(action.contract);
      if (!contract) throw new Error(`unknown contract ${action.contract}`);
      const send = contract.connect(wallet(chain, action.from)).getFunction(action.call);
      await (await send(...(resolveRefs(action.args, chain, contracts) as unknown[]))).wait();
    }
  }
  if (snapshotBlock === undefined) throw new Error('example has no "snapshot" action');
  // The snapshot must be strictly in the past, as the server requires for any proposal.
  await mineBlocks(chain.provider, 1);

  const multicall = new MulticallReader(chain.provider, multicallAddress);
  const context = await contextAt(chain, multicall, spaceId, snapshotBlock);
  for (const entry of example.ledger ?? []) {
    await recordReputation(prisma, {
      spaceId: entry.space ?? spaceId,
      address: wallet(chain, entry.account).address,
      delta: BigInt(entry.delta),
      reason: 'example',
      at: new Date(Number(context.snapshotTime + BigInt(entry.offsetSeconds)) * 1000),
    });
  }

  const refs = resolveRefs(example.strategies, chain, contracts) as StrategyRef[];
  const accounts = Object.keys(example.expected);
  const addresses = accounts.map((account) => resolveRefs(account, chain, contracts) as string);
  const { total, byStrategy } = await computeVotingPower(context, refs, addresses);
  const rpcCalls = multicall.rpcCalls;
  const logs = new LogAddressScanner(chain.provider, { chunkBlocks: 10_000, maxAddresses: 10_000 });
  const holders = await likelyHolders({ ...context, logs, scanFromBlock: 0n }, refs);
  return { refs, accounts, addresses, total, byStrategy, rpcCalls, holders };
}

const folders = readdirSync(strategiesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

t.test('every strategy folder is registered and documented', async (t) => {
  t.same(folders, Object.keys(strategies).sort());
  for (const folder of folders) {
    t.equal(getStrategy(folder).name, folder);
    for (const file of ['index.ts', 'schema.ts', 'examples.json', 'README.md']) {
      t.ok(existsSync(join(strategiesDir, folder, file)), `${folder}/${file} exists`);
    }
  }
});

for (const folder of folders) {
  t.test(`${folder} examples`, async (t) => {
    const examples = JSON.parse(readFileSync(join(strategiesDir, folder, 'examples.json'), 'utf8')) as Example[];
    t.ok(examples.length > 0, 'has examples');
    const { chain, multicallAddress } = await chainFor(t);
    // Each example starts from this clean state (multicall installed, nothing deployed).
    let clean = (await chain.provider.send('evm_snapshot', [])) as string;
    for (const [index, example] of examples.entries()) {
      await t.test(example.name, async (t) => {
        await chain.provider.send('evm_revert', [clean]);
        clean = (await chain.provider.send('evm_snapshot', [])) as string;
        const result = await runExample(chain, multicallAddress, example, `${folder}-example-${index}`);
        t.same(validateStrategyRefs(result.refs), [], 'the example configuration is valid');
        const actual = Object.fromEntries(result.accounts.map((account, i) => [account, result.total[i]!.toString()]));
        t.same(actual, example.expected, 'total power per account');
        for (const [i, row] of result.byStrategy.entries()) {
          t.equal(
            row.reduce((sum, power) => sum + power, 0n),
            result.total[i],
            'total is the sum of weighted strategies',
          );
        }
        t.ok(result.rpcCalls <= 5, `${result.rpcCalls} eth_calls`);
        // Preloading (server/votes/power-preload.ts) computes likely holders ahead of votes. Only
        // reputation can give power to an address no token event names.
        const missed = result.accounts.filter((_account, i) => result.total[i]! > 0n && !result.holders.has(result.addresses[i]!.toLowerCase()));
        if (!JSON.stringify(result.refs).includes('reputation-weighted')) t.same(missed, [], 'every account with power is a likely holder');
        t.ok(
          [...result.holders].every((address) => /^0x[0-9a-f]{40}$/.test(address)),
          `${result.holders.size} likely holders, lowercase`,
        );
      });
    }
  });
}

t.test('500 addresses, all three strategies: at most 5 eth_calls; batching preserves order', async (t) => {
  const { chain, multicallAddress } = await chainFor(t);
  const owner = chain.wallets[0];
  const holders = chain.wallets.slice(1, 9);
  const token = await deployContract(owner!, 'GovToken', ['Gov', 'GOV', owner!.address]);
  const registry = await deployContract(owner!, 'ReputationRegistry', [owner!.address]);
  await (await registry.getFunction('setIssuer')(owner!.address, true)).wait();
  for (const [i, holder] of holders.entries()) {
    await (await token.getFunction('mint')(holder.address, BigInt(i + 1) * 10n ** 18n)).wait();
  }
  // Different senders may send at once (one transaction in flight each); delegating after the
  // mints keeps each gas estimate valid.
  await Promise.all([
    (async () => {
      for (const [i, holder] of holders.entries()) await (await registry.getFunction('grant')(holder.address, BigInt(i))).wait();
    })(),
    ...holders.map(async (holder) => (await (token.connect(holder) as Contract).getFunction('delegate')(holder.address)).wait()),
  ]);
  const snapshotBlock = BigInt(await chain.provider.getBlockNumber());
  await mineBlocks(chain.provider, 1);

  const known = holders.map((holder) => holder.address.toLowerCase());
  const strangers = Array.from({ length: 500 - known.length }, (_, i) => keccakText(`voter ${i}`).slice(0, 42));
  const addresses = [...strangers.slice(0, 240), ...known, ...strangers.slice(240)];
  const tokenAddress = (await token.getAddress()).toLowerCase();
  const tokenRef = { name: 'token-weighted', params: { address: tokenAddress } };
  const refs: StrategyRef[] = [
    tokenRef,
    { name: 'quadratic', params: { strategy: tokenRef } },
    {
      name: 'reputation-weighted',
      params: {
        stake: tokenRef,
        source: { kind: 'registry', address: (await registry.getAddress()).toLowerCase() },
        pointValue: '1000',
      },
    },
  ];
  const multicall = new MulticallReader(chain.provider, multicallAddress);
  const context = await contextAt(chain, multicall, 'bound', snapshotBlock);
  const started = Date.now();
  const { byStrategy } = await computeVotingPower(context, refs, addresses);
  t.ok(multicall.rpcCalls <= 5, `${multicall.rpcCalls} eth_calls for 500 addresses`);
  t.ok(Date.now() - started < 10_000, `${Date.now() - started} ms (under 10 s)`);
  for (const [i, address] of known.entries()) {
    const stake = BigInt(i + 1) * 10n ** 18n;
    const row = byStrategy[addresses.indexOf(address)]!;
    t.same(row, [stake, isqrtCheck(stake), stake + BigInt(i) * 1000n], `holder ${i + 1}`);
  }
  t.ok(
    strangers.every((address) => byStrategy[addresses.indexOf(address)]!.every((power) => power === 0n)),
    'strangers have 0',
  );

  // Small batches with concurrency give the same answers, in the same order.
  const small = new MulticallReader(chain.provider, multicallAddress, { batchSize: 7, concurrency: 3 });
  const powers = await getStrategy('token-weighted').getPower({ ...context, multicall: small }, tokenRef.params, addresses);
  t.same(
    powers,
    byStrategy.map((row) => row[0]),
  );
  t.equal(small.rpcCalls, Math.ceil((addresses.length + 1) / 7), 'one eth_call per batch (CLOCK_MODE rides in the first)');
});

/** Independent check for the quadratic column: the integer r with r^2 <= n < (r+1)^2. */
function isqrtCheck(n: bigint): bigint {
  let r = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (r * r > n) r -= 1n;
  while ((r + 1n) * (r + 1n) <= n) r += 1n;
  return r;
}

t.test('chain reads fail with typed errors, never as zero power', async (t) => {
  const { chain, multicallAddress } = await chainFor(t);
  const owner = chain.wallets[0]!;
  const token = await deployContract(owner, 'GovToken', ['Gov', 'GOV', owner.address]);
  const tokenAddress = (await token.getAddress()).toLowerCase();
  await (await token.getFunction('mint')(owner.address, 100n)).wait();
  const supplySnapshot = BigInt(await chain.provider.getBlockNumber());
  await (await token.getFunction('mint')(owner.address, 50n)).wait();
  await mineBlocks(chain.provider, 1);
  const multicall = new MulticallReader(chain.provider, multicallAddress);
  const voter = [owner.address.toLowerCase()];

  t.equal(await totalSupplyAt(multicall, tokenAddress, supplySnapshot), 100n, 'supply at the snapshot, later mints ignored');

  const latest = BigInt(await chain.provider.getBlockNumber());
  const current = await contextAt(chain, multicall, 'errors', latest);
  await t.rejects(
    getStrategy('token-weighted').getPower(current, { address: tokenAddress }, voter),
    { name: 'UpstreamError', code: 'CHAIN_CALL_REVERTED', retryable: false },
    'a snapshot that is not yet in the past is refused (ERC5805FutureLookup)',
  );

  const noCode = '0x000000000000000000000000000000000000dead';
  await t.rejects(
    getStrategy('token-weighted').getPower(current, { address: noCode, method: 'balanceOf' }, voter),
    { code: 'CHAIN_BAD_RESPONSE' },
    'a token address without code is an error, not zero balances',
  );
  await t.rejects(
    new MulticallReader(chain.provider, noCode).aggregate([{ target: tokenAddress, callData: tokenInterface.encodeFunctionData('totalSupply') }], 'latest'),
    { code: 'MULTICALL_UNAVAILABLE' },
  );

  const unreachable = new JsonRpcProvider('http://127.0.0.1:1', undefined, { staticNetwork: Network.from(31337) });
  t.teardown(() => unreachable.destroy());
  const offline = new MulticallReader(unreachable, multicallAddress);
  const failure = await offline.aggregate([{ target: tokenAddress, callData: '0x18160ddd' }], 'latest').catch((error: unknown) => error);
  t.ok(failure instanceof UpstreamError, 'UpstreamError');
  t.match(failure, { code: 'RPC_ERROR', retryable: true, statusCode: 503 });
  t.equal(offline.rpcCalls, 1);
  t.same(await multicall.aggregate([], 'latest'), [], 'no calls, no RPC');

  // The server's own transport for bulk reads reports the same failures the same way.
  const reads = new JsonRpcClient(chain.rpcUrl);
  t.teardown(() => reads.close());
  const lean = new MulticallReader(reads, multicallAddress);
  t.equal(await totalSupplyAt(lean, tokenAddress, supplySnapshot), 100n, 'same answer through the lean client');
  await t.rejects(
    getStrategy('token-weighted').getPower(await contextAt(chain, lean, 'errors', latest), { address: tokenAddress }, voter),
    { name: 'UpstreamError', code: 'CHAIN_CALL_REVERTED', retryable: false },
    'a revert with data is CHAIN_CALL_REVERTED through the lean client too',
  );
  await t.rejects(new MulticallReader(reads, noCode).aggregate([{ target: tokenAddress, callData: '0x18160ddd' }], 'latest'), {
    code: 'MULTICALL_UNAVAILABLE',
  });
  const leanOffline = new JsonRpcClient('http://127.0.0.1:1');
  t.teardown(() => leanOffline.close());
  await t.rejects(new MulticallReader(leanOffline, multicallAddress).aggregate([{ target: tokenAddress, callData: '0x18160ddd' }], 'latest'), {
    code: 'RPC_ERROR',
    retryable: true,
    statusCode: 503,
  });
});

t.test('strategy configuration validation', async (t) => {
  const token = { name: 'token-weighted', params: { address: '0x' + '11'.repeat(20) } };
  t.same(validateStrategyRefs([token, { ...token, weight: 1_000_000 }]), []);
  t.match(validateStrategyRefs([]), [/1 to 8/]);
  t.match(validateStrategyRefs(Array(9).fill(token)), [/1 to 8/]);
  t.match(validateStrategyRefs('token-weighted'), [/must be an array/]);
  t.match(validateStrategyRefs([{ name: 'nope', params: {} }]), [/unknown strategy "nope"/]);
  t.match(validateStrategyRefs([{ ...token, weight: 0 }]), [/weight/]);
  t.match(validateStrategyRefs([{ ...token, weight: 1.5 }]), [/weight/]);
  t.match(validateStrategyRefs([{ name: 'token-weighted', params: { address: '0x12' } }]), [/params\/address/]);
  t.match(validateStrategyRefs([{ name: 'token-weighted', params: { ...token.params, method: 'getVotes' } }]), [/params\/method/]);
  t.match(
    validateStrategyRefs([{ name: 'quadratic', params: { strategy: { name: 'token-weighted', params: {} } } }]),
    [/strategies\[0\]\.params\.strategy\.params/],
    'base strategy params are validated',
  );
  const rep = (pointValue: string, source: unknown = { kind: 'ledger' }) => ({
    name: 'reputation-weighted',
    params: { stake: token, source, pointValue },
  });
  t.same(validateStrategyRefs([rep('0')]), []);
  t.not(validateStrategyRefs([rep('1.5')]).length, 0, 'pointValue is an integer');
  t.not(validateStrategyRefs([rep('-1')]).length, 0);
  t.not(validateStrategyRefs([rep('1', { kind: 'registry' })]).length, 0, 'registry source needs an address');
  const nest = (inner: unknown) => ({ name: 'quadratic', params: { strategy: inner } });
  t.same(validateStrategyRefs([nest(nest(token))]), [], 'three levels are allowed');
  t.match(validateStrategyRefs([nest(nest(nest(token)))]), [/nest at most 3/]);
  await t.rejects(computeVotingPower({} as StrategyContext, [{ name: 'nope', params: {} }], []), { code: 'INVALID_STRATEGIES' });
});
