/**
 * On-chain anchoring of the message log (relayer/log-anchor.ts, relayer/contracts/LogAnchor.sol) on
 * the real stack: the relayer posts the server's latest signed tree head to LogAnchor every
 * LOG_ANCHOR_INTERVAL_MS, exactly as published and once per head; nothing when the log did not grow;
 * a restarted relayer goes on from the chain's size, and one stopped between broadcast and mining
 * follows its own transaction instead of sending another; two relayers anchor each head once. The
 * contract refuses another submitter and a size that does not grow. GET /api/info names the anchor.
 * The relayer's /health and /metrics follow the anchoring, through failing ticks and back.
 */
import t, { type Test } from 'tap';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { Contract, recoverAddress, Wallet } from 'ethers';
import { createSpace, startStack, waitFor, type TestStack } from '../helpers/stack.js';
import { createRelayer } from '../../relayer/relayer.js';
import { LOG_ANCHOR_ABI, logAnchorInterface } from '../../relayer/log-anchor.js';
import { logAnchorCheck } from '../../relayer/metrics.js';
import { deployLogAnchor, type LogAnchorDeployment } from '../../scripts/deploy.js';
import { treeHeadDigest } from '../../core/log/digests.js';
import { fromHex } from '../../core/log/merkle.js';
import { pendingTxKey } from '../../core/executions/pending-tx.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { sampleOf } from '../helpers/prometheus.js';

const INTERVAL_MS = 300;

let stack: TestStack;
let anchor: LogAnchorDeployment;
let relayerWallet: Wallet;
let receiptSigner: string;
let version = 0;

t.before(async () => {
  stack = await startStack({ dao: {} });
  relayerWallet = stack.dao!.relayerWallet;
  anchor = await deployLogAnchor(stack.wallets[0]!, relayerWallet.address);
  receiptSigner = (await stack.get('/api/info')).body.receiptSigner;
});
t.teardown(() => stack?.close());

const logCapture = () => capturingLogger('debug');

async function startAnchoring(t: Test) {
  const capture = logCapture();
  const relayer = await createRelayer({ ...stack.config, LOG_ANCHOR_ADDRESS: anchor.address, LOG_ANCHOR_INTERVAL_MS: INTERVAL_MS }, { logger: capture.logger });
  t.teardown(() => relayer.close());
  return { relayer, lines: capture.lines };
}

/** `n` more signed messages (new spaces), each its own append and tree head. */
async function addMessages(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const response = await createSpace(stack, `space-${version++}`);
    if (response.status !== 200) throw new Error(`space: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

async function serverHead() {
  return (await stack.get('/api/log/head')).body as { treeSize: number; rootHash: string; timestamp: number; signature: string };
}

async function anchoredHeads() {
  const logs = await stack.chain.provider.getLogs({
    address: anchor.address,
    topics: [logAnchorInterface.getEvent('TreeHeadAnchored')!.topicHash],
    fromBlock: anchor.deployBlock,
    toBlock: 'latest',
  });
  return logs.map((log) => {
    const parsed = logAnchorInterface.parseLog(log)!;
    return {
      treeSize: Number(parsed.args[0]),
      rootHash: String(parsed.args[1]),
      timestamp: Number(parsed.args[2]),
      signature: String(parsed.args[3]),
      txHash: log.transactionHash,
    };
  });
}

const relayerTxCount = () => stack.chain.provider.getTransactionCount(relayerWallet.address, 'latest');

t.test('GET /api/info: logAnchor null without LOG_ANCHOR_ADDRESS, the address, chain and first block with it', async (t) => {
  t.equal((await stack.get('/api/info')).body.logAnchor, null);
  const app = await stack.startApp({ LOG_ANCHOR_ADDRESS: anchor.address, LOG_ANCHOR_FROM_BLOCK: anchor.deployBlock });
  t.same((await stack.get('/api/info', app)).body.logAnchor, { address: anchor.address, chainId: stack.chain.chainId, fromBlock: anchor.deployBlock });
  const spec = (await stack.get('/docs/json', app)).body;
  t.ok(spec.paths['/api/info'].get.responses['200'].content['application/json'].schema.properties.logAnchor, 'in the OpenAPI document');
});

t.test('without LOG_ANCHOR_ADDRESS the relayer anchors nothing', async (t) => {
  await addMessages(1);
  const relayer = await createRelayer(stack.config, { logger: pino({ level: 'silent' }) });
  t.equal(relayer.logAnchor, null);
  await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
  await relayer.close();
  t.same(await anchoredHeads(), []);
});

t.test('the latest head is anchored at the interval, exactly as signed, once per head; nothing when the log did not grow', async (t) => {
  const txsBefore = await relayerTxCount();
  const { relayer, lines } = await startAnchoring(t);
  const first = await serverHead();
  await waitFor(async () => (await anchoredHeads()).length === 1, 10_000, 50);
  const [anchored] = await anchoredHeads();
  t.match(anchored, { treeSize: first.treeSize, rootHash: first.rootHash, timestamp: first.timestamp, signature: first.signature }, 'the published head');
  t.equal(recoverAddress(treeHeadDigest(anchored!.treeSize, fromHex(anchored!.rootHash), anchored!.timestamp), anchored!.signature), receiptSigner);
  const contract = new Contract(anchor.address, LOG_ANCHOR_ABI, stack.chain.provider);
  t.equal(await contract.getFunction('latestTreeSize')(), BigInt(first.treeSize), 'latestTreeSize');
  t.equal(await contract.getFunction('latestRootHash')(), first.rootHash, 'latestRootHash');
  const line = await waitFor(async () => lines.find((l) => l.msg === 'tree head anchored on chain'), 5000, 20);
  t.match(line, { level: 30, treeSize: first.treeSize, txHash: anchored!.txHash, logAnchor: anchor.address, resumed: false }, 'logged as an object');

  // Nothing new: the ticks go on at the interval and send nothing.
  const ticks = relayer.logAnchor!.ticks;
  await new Promise((r) => setTimeout(r, 6 * INTERVAL_MS));
  const ran = relayer.logAnchor!.ticks - ticks;
  t.ok(ran >= 3 && ran <= 8, `${ran} ticks in ${6 * INTERVAL_MS} ms at a ${INTERVAL_MS} ms interval`);
  t.match(relayer.logAnchor!.lastTick?.result, { kind: 'up-to-date', treeSize: first.treeSize, anchored: first.treeSize });
  t.equal((await anchoredHeads()).length, 1, 'no second anchor of the same head');

  // The log grows: its new latest head is anchored within an interval or two.
  await addMessages(2);
  const grown = await serverHead();
  t.equal(grown.treeSize, first.treeSize + 2);
  const started = Date.now();
  await waitFor(async () => (await anchoredHeads()).at(-1)?.treeSize === grown.treeSize, 10_000, 50);
  t.ok(Date.now() - started < 4 * INTERVAL_MS + 2000, `anchored ${Date.now() - started} ms after the append`);
  const heads = await anchoredHeads();
  t.ok(
    heads.every((h, i) => i === 0 || h.treeSize > heads[i - 1]!.treeSize),
    'sizes only grow',
  );
  for (const h of heads) {
    const published = (await stack.get(`/api/log/heads/${h.treeSize}`)).body;
    t.match(
      h,
      { treeSize: published.treeSize, rootHash: published.rootHash, timestamp: published.timestamp, signature: published.signature },
      `head ${h.treeSize} as published`,
    );
  }
  t.equal((await relayerTxCount()) - txsBefore, heads.length, 'one transaction per anchor, none refused or repeated');
  t.same(
    lines.filter((l) => l.level >= 40),
    [],
    'no warning',
  );
});

t.test('a restarted relayer goes on from the size on chain', async (t) => {
  const before = await anchoredHeads();
  const txsBefore = await relayerTxCount();
  await addMessages(3);
  const head = await serverHead();
  const { relayer } = await startAnchoring(t);
  await waitFor(async () => (await anchoredHeads()).at(-1)?.treeSize === head.treeSize, 10_000, 50);
  await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
  const after = await anchoredHeads();
  t.equal(after.length, before.length + 1, 'the latest head only: the older ones are covered by it');
  t.equal((await relayerTxCount()) - txsBefore, 1, 'one transaction');
  t.match(relayer.logAnchor!.lastTick?.result, { kind: 'up-to-date', anchored: head.treeSize });
});

t.test('a relayer stopped between broadcast and mining: the next one follows that transaction and sends no other', async (t) => {
  const provider = stack.chain.provider;
  await addMessages(1);
  const head = await serverHead();
  const before = await anchoredHeads();
  const txsBefore = await relayerTxCount();
  await provider.send('evm_setAutomine', [false]);
  t.teardown(() => provider.send('evm_setAutomine', [true]));

  const first = await createRelayer(
    { ...stack.config, LOG_ANCHOR_ADDRESS: anchor.address, LOG_ANCHOR_INTERVAL_MS: INTERVAL_MS },
    { logger: pino({ level: 'silent' }) },
  );
  const key = first.logAnchor!.txKey;
  const sent = await waitFor(async () => (await first.sender.pending(key))?.raw, 10_000, 50);
  t.ok(sent, 'signed and broadcast, not mined');
  await first.close();
  const redis = new Redis(stack.config.REDIS_URL);
  t.teardown(() => redis.quit());
  t.ok(JSON.parse((await redis.get(pendingTxKey(stack.config.REDIS_PREFIX, key))) ?? '{}').raw, 'its record survives the stop');

  await provider.send('evm_mine', []);
  await provider.send('evm_setAutomine', [true]);
  const { relayer, lines } = await startAnchoring(t);
  await waitFor(async () => lines.some((l) => l.msg === 'tree head anchored on chain'), 10_000, 50);
  t.match(
    lines.find((l) => l.msg === 'tree head anchored on chain'),
    { treeSize: head.treeSize, resumed: true },
    'the first tick followed the transaction it found',
  );
  await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
  const after = await anchoredHeads();
  t.equal(after.length, before.length + 1);
  t.equal(after.at(-1)!.treeSize, head.treeSize);
  t.equal((await relayerTxCount()) - txsBefore, 1, 'one transaction in all');
  t.equal(await relayer.sender.pending(key), null, 'the record is dropped once mined');
});

t.test('two relayers anchor each head once', async (t) => {
  const before = await anchoredHeads();
  const txsBefore = await relayerTxCount();
  await startAnchoring(t);
  await startAnchoring(t);
  for (let round = 0; round < 3; round++) {
    await addMessages(1);
    const head = await serverHead();
    await waitFor(async () => (await anchoredHeads()).at(-1)?.treeSize === head.treeSize, 10_000, 50);
  }
  await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
  const added = (await anchoredHeads()).slice(before.length);
  t.equal(added.length, 3, 'one anchor per new head');
  t.equal(new Set(added.map((h) => h.treeSize)).size, 3, 'no size twice');
  t.equal((await relayerTxCount()) - txsBefore, 3, 'three transactions');
});

t.test('LogAnchor refuses another submitter and a size that does not grow', async (t) => {
  const submitter = stack.wallets[6]!;
  const deployed = await deployLogAnchor(stack.wallets[0]!, submitter.address);
  const asSubmitter = new Contract(deployed.address, LOG_ANCHOR_ABI, submitter);
  const asOther = new Contract(deployed.address, LOG_ANCHOR_ABI, stack.wallets[7]!);
  const root = `0x${'11'.repeat(32)}`;
  t.equal(await asSubmitter.getFunction('submitter')(), submitter.address);

  /** The custom error a call reverts with, decoded with the contract's ABI, or null when it does not revert. */
  const revertOf = async (call: Promise<unknown>) =>
    call.then(
      () => null,
      (error: { data?: string }) => {
        const parsed = error.data ? logAnchorInterface.parseError(error.data) : null;
        return parsed ? { name: parsed.name, args: [...parsed.args] } : error;
      },
    );
  t.same(await revertOf(asOther.getFunction('anchor')(5, root, 1000, '0x')), { name: 'NotSubmitter', args: [stack.wallets[7]!.address] }, 'another address');
  t.same(await revertOf(asSubmitter.getFunction('anchor')(0, root, 1000, '0x')), { name: 'TreeSizeNotIncreasing', args: [0n, 0n] }, 'size 0');
  await (await asSubmitter.getFunction('anchor')(5, root, 1000, '0x1234')).wait();
  t.same(await revertOf(asSubmitter.getFunction('anchor')(5, root, 1001, '0x')), { name: 'TreeSizeNotIncreasing', args: [5n, 5n] }, 'the same size');
  t.same(await revertOf(asSubmitter.getFunction('anchor')(4, root, 1001, '0x')), { name: 'TreeSizeNotIncreasing', args: [4n, 5n] }, 'a smaller size');
  t.equal(await asSubmitter.getFunction('latestTreeSize')(), 5n, 'unchanged by the refusals');
  await (await asSubmitter.getFunction('anchor')(6, root, 1002, '0x')).wait();
  t.equal(await asSubmitter.getFunction('latestTreeSize')(), 6n);
  await t.rejects(deployLogAnchor(stack.wallets[0]!, '0x0000000000000000000000000000000000000000'), 'no zero submitter');
});

t.test('a LOG_ANCHOR_ADDRESS the relayer cannot use stops it at start, naming the variable', async (t) => {
  const other = await deployLogAnchor(stack.wallets[0]!, stack.wallets[6]!.address);
  const txsBefore = await relayerTxCount();
  const start = (address: string) =>
    createRelayer({ ...stack.config, LOG_ANCHOR_ADDRESS: address, LOG_ANCHOR_INTERVAL_MS: INTERVAL_MS }, { logger: pino({ level: 'silent' }) });
  await t.rejects(start(other.address), {
    name: 'ConfigError',
    message: new RegExp(
      `LOG_ANCHOR_ADDRESS: the LogAnchor at ${other.address} takes anchors from ${stack.wallets[6]!.address} only, not from this relayer \\(${relayerWallet.address}\\)`,
    ),
  });
  const empty = Wallet.createRandom().address;
  await t.rejects(start(empty), { name: 'ConfigError', message: new RegExp(`LOG_ANCHOR_ADDRESS: no contract at ${empty} on chain ${stack.chain.chainId}`) });
  t.equal(await relayerTxCount(), txsBefore, 'nothing sent');
});

t.test('/health and /metrics follow the anchoring: working, failing, stuck without funds, recovered', async (t) => {
  const { relayer, lines } = await startAnchoring(t);
  const metric = async (name: string) => {
    const sample = sampleOf(await relayer.metrics(), name);
    return sample === null ? null : Number(sample);
  };
  await addMessages(1);
  const head = await serverHead();
  await waitFor(async () => relayer.logAnchor!.status().anchoredTreeSize === head.treeSize, 10_000, 50);
  t.equal((await relayer.health()).checks.logAnchor, 'ok');
  t.equal(await metric('govrelay_log_anchor_tree_size'), head.treeSize, 'the size on chain');
  t.equal(await metric('govrelay_log_anchor_failures_total'), 0);
  t.ok(Math.abs(Date.now() / 1000 - (await metric('govrelay_log_anchor_last_success_seconds'))!) < 30, 'last success: just now');

  // The contract's code disappears from the chain (hardhat_setCode): every tick fails reading it.
  const provider = stack.chain.provider;
  const code = await provider.getCode(anchor.address);
  t.teardown(() => provider.send('hardhat_setCode', [anchor.address, code]));
  await provider.send('hardhat_setCode', [anchor.address, '0x']);
  await addMessages(1);
  await waitFor(async () => relayer.logAnchor!.failures >= 2, 10_000, 50);
  t.ok((await metric('govrelay_log_anchor_failures_total'))! >= 2, 'the failures are counted');
  t.equal(await metric('govrelay_log_anchor_tree_size'), head.treeSize, 'the size of the last successful tick');
  const failing = relayer.logAnchor!.status();
  t.equal((await relayer.health()).checks.logAnchor, 'ok', 'within the allowed time a failing tick does not fail /health');
  t.equal(
    logAnchorCheck(failing, failing.lastSuccessAt! + 61_000),
    `no successful anchoring pass for 61 s (last failure: no LogAnchor contract at ${anchor.address} (LOG_ANCHOR_ADDRESS))`,
    'after 3 intervals, at least a minute, without a successful tick it fails, naming the last failure',
  );
  t.ok(
    lines.some((l) => l.level === 40 && l.msg === 'log anchor tick failed; the next interval tries again'),
    'each failure is a warning',
  );
  await provider.send('hardhat_setCode', [anchor.address, code]);
  const grown = await serverHead();
  await waitFor(async () => relayer.logAnchor!.status().anchoredTreeSize === grown.treeSize, 10_000, 50);
  t.equal(await metric('govrelay_log_anchor_tree_size'), grown.treeSize, 'the code back: the latest head anchored');

  // The relayer cannot pay: its send waits and re-sends, a tick that does not end rather than one that
  // fails. No success is recorded, so /health fails once the allowed time passed.
  const balance = await provider.getBalance(relayerWallet.address);
  const fund = (wei: bigint) => provider.send('hardhat_setBalance', [relayerWallet.address, `0x${wei.toString(16)}`]);
  t.teardown(() => fund(balance));
  await fund(0n);
  await addMessages(1);
  const unpaid = await serverHead();
  await waitFor(async () => lines.some((l) => l.msg === 'broadcast failed; will re-send'), 10_000, 50);
  const stuck = relayer.logAnchor!.status();
  await new Promise((r) => setTimeout(r, 4 * INTERVAL_MS));
  t.equal(relayer.logAnchor!.status().lastSuccessAt, stuck.lastSuccessAt, 'no tick finished meanwhile');
  t.match(logAnchorCheck(relayer.logAnchor!.status(), stuck.lastSuccessAt! + 61_000), /^no successful anchoring pass for 61 s/);
  await fund(balance);
  await waitFor(async () => relayer.logAnchor!.status().anchoredTreeSize === unpaid.treeSize, 15_000, 50);
  t.equal((await relayer.health()).checks.logAnchor, 'ok');
  t.equal(await metric('govrelay_log_anchor_tree_size'), unpaid.treeSize);
  t.equal((await anchoredHeads()).at(-1)?.treeSize, unpaid.treeSize, 'on chain, once funded');
});

t.test('/health and /metrics have no anchoring parts without LOG_ANCHOR_ADDRESS', async (t) => {
  const relayer = await createRelayer(stack.config, { logger: pino({ level: 'silent' }) });
  t.teardown(() => relayer.close());
  t.notOk('logAnchor' in (await relayer.health()).checks);
  t.notMatch(await relayer.metrics(), /govrelay_log_anchor_/);
});
