/**
 * Relayer parts on their own: the Redis nonce allocator (concurrent allocations never collide, the
 * chain's count raises it), error classification (transient vs permanent), the backoff, the
 * identifiers anyone can recompute, and the transaction sender on a local chain that does not mine
 * on its own (stuck → re-sent with higher fees; resumed by another process; nonce gap filled; nonce
 * taken from outside).
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { UnrecoverableError } from 'bullmq';
import { Interface, makeError, Transaction, ZeroHash, type JsonRpcProvider } from 'ethers';
import { NonceManager } from '../../relayer/nonce-manager.js';
import { classifyError, decodeRevert, PermanentError, toJobError, TransientError } from '../../core/executions/errors.js';
import { jitteredBackoff, MAX_BACKOFF_MS, stepFor } from '../../core/executions/jobs.js';
import { ROLES, TIMELOCK_ABI } from '../../core/executions/abi.js';
import { executionPlan, governorTimelockSalt, hashOperationBatch, toBatch } from '../../core/executions/operation.js';
import { TxSender, type SenderSettings } from '../../relayer/tx-sender.js';
import { deployContract, startLocalChain } from '../../scripts/local-chain.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const silent = { info() {}, warn() {}, error() {}, debug() {} };

function fakeProvider(pending: () => number): JsonRpcProvider {
  return { getTransactionCount: async () => pending() } as unknown as JsonRpcProvider;
}

t.test('nonce allocator: concurrent allocations from several processes never collide', async (t) => {
  const prefix = `test-nonce-${randomBytes(4).toString('hex')}`;
  const connections = Array.from({ length: 4 }, () => new Redis(REDIS_URL));
  t.teardown(async () => {
    const keys = await connections[0]!.keys(`${prefix}*`);
    if (keys.length) await connections[0]!.del(...keys);
    for (const c of connections) await c.quit();
  });
  let chainPending = 7;
  const address = '0x00000000000000000000000000000000000000aa';
  // One manager per connection: four "processes" sharing the key in Redis.
  const managers = connections.map(
    (redis) => new NonceManager({ redis, provider: fakeProvider(() => chainPending), redisPrefix: prefix, chainId: 31337, address }),
  );
  const nonces = await Promise.all(Array.from({ length: 400 }, (_, i) => managers[i % managers.length]!.allocate()));
  t.equal(new Set(nonces).size, 400, '400 allocations, 400 distinct nonces');
  t.same(
    [...nonces].sort((a, b) => a - b),
    Array.from({ length: 400 }, (_, i) => 7 + i),
    "contiguous from the chain's pending count",
  );

  // The key was used outside the relayer: the chain is ahead, and the allocator follows it.
  chainPending = 1000;
  t.equal(await managers[0]!.allocate(), 1000);
  t.equal(await managers[1]!.allocate(), 1001);
  // The chain behind the counter (our own transactions still pending): the counter wins.
  chainPending = 900;
  t.equal(await managers[2]!.allocate(), 1002);
  await managers[3]!.resync();
  t.equal((await managers[3]!.snapshot()).next, 1003, 'resync never lowers the counter');
  chainPending = 1001;
  t.same(await managers[0]!.gaps(1004), [1001, 1002, 1003], 'gaps: nonces below the one we wait on that the node has nothing for');
  t.equal(managers[0]!.key, `${prefix}:nonce:31337:${address}`);
});

t.test('error classification: reverts and missing roles are permanent, node trouble is transient', async (t) => {
  const timelock = new Interface(TIMELOCK_ABI);
  const callException = (data: string | null) =>
    makeError('execution reverted', 'CALL_EXCEPTION', {
      action: 'call',
      data,
      reason: null,
      transaction: { to: null, data: '0x' },
      invocation: null,
      revert: null,
    });

  const missingRole = classifyError(
    callException(timelock.encodeErrorResult('AccessControlUnauthorizedAccount', ['0x00000000000000000000000000000000000000aa', ROLES.PROPOSER_ROLE])),
  );
  t.type(missingRole, PermanentError);
  t.equal((missingRole as PermanentError).code, 'missing-role');
  t.match(missingRole.message, /PROPOSER_ROLE/, 'the role is named');

  const alreadyScheduled = classifyError(callException(timelock.encodeErrorResult('TimelockUnexpectedOperationState', [ZeroHash, ZeroHash])));
  t.type(alreadyScheduled, PermanentError);
  t.equal((alreadyScheduled as PermanentError).code, 'reverted');
  t.match(alreadyScheduled.message, /TimelockUnexpectedOperationState/);

  t.type(classifyError(callException(null)), TransientError, 'a call failure without revert data (a flaky node) is transient');
  t.type(classifyError(makeError('request timeout', 'TIMEOUT', { operation: 'eth_call', reason: 'timeout' })), TransientError);
  t.type(classifyError(makeError('network error', 'NETWORK_ERROR', { event: 'x' })), TransientError);
  t.type(classifyError(makeError('bad response', 'SERVER_ERROR', { request: null as never, response: null as never })), TransientError);
  t.type(classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8545'), { code: 'ECONNREFUSED' })), TransientError);
  t.type(classifyError(new Error('503 Service Unavailable')), TransientError);
  t.type(classifyError(makeError('invalid address', 'INVALID_ARGUMENT', { argument: 'to', value: 'x' })), PermanentError, 'a programming error is permanent');
  const ours = new PermanentError('code changed', 'code-hash-changed');
  t.equal(classifyError(ours), ours, 'our own errors keep their kind');

  t.type(toJobError(ours), UnrecoverableError, 'permanent → BullMQ UnrecoverableError (no retry)');
  const transient = new TransientError('later');
  t.equal(toJobError(transient), transient);
  t.equal(decodeRevert('0x'), null);
});

t.test('backoff: exponential, capped, with jitter', async (t) => {
  t.equal(
    jitteredBackoff(1000, 1, () => 1),
    1000,
  );
  t.equal(
    jitteredBackoff(1000, 1, () => 0),
    500,
    'at least half',
  );
  t.equal(
    jitteredBackoff(1000, 4, () => 1),
    8000,
  );
  t.equal(
    jitteredBackoff(1000, 40, () => 1),
    MAX_BACKOFF_MS,
    'capped',
  );
  const samples = Array.from({ length: 50 }, () => jitteredBackoff(1000, 3));
  t.ok(samples.every((s) => s >= 2000 && s <= 4000));
  t.ok(new Set(samples).size > 10, 'jittered');
  t.equal(stepFor('timelock', 'queued'), 'schedule');
  t.equal(stepFor('timelock', 'scheduled'), 'timelock-execute');
  t.equal(stepFor('governor', 'voting'), 'governor-queue');
  t.equal(stepFor('timelock', 'executed'), null);
});

t.test('identifiers: the operation id and the Governor salt match the contracts', async (t) => {
  const chain = await startLocalChain();
  t.teardown(() => chain.stop());
  const [deployer, relayer] = chain.wallets;
  const timelock = await deployContract(deployer!, 'DaoTimelock', [60, [relayer!.address], [relayer!.address], deployer!.address]);
  const payload = { targets: ['0x' + '11'.repeat(20), '0x' + '22'.repeat(20)], values: ['0', '5'], calldatas: ['0x1234', '0x'] };
  const id = `0x${randomBytes(32).toString('hex')}`;
  const plan = executionPlan({ id, title: 'x', executionMode: 'timelock', payload, rules: { settings: { executor: String(timelock.target) } } });
  t.equal(plan.salt, id, 'salt = proposal id');
  t.equal(plan.operationId, await timelock.getFunction('hashOperationBatch')(payload.targets, payload.values, payload.calldatas, ZeroHash, id));
  const governor = '0x' + 'ab'.repeat(20);
  const descriptionHash = `0x${'cd'.repeat(32)}`;
  const salt = governorTimelockSalt(governor, descriptionHash);
  t.equal(salt, `0x${((BigInt(governor) << 96n) ^ BigInt(descriptionHash)).toString(16).padStart(64, '0')}`);
  t.equal(
    hashOperationBatch(toBatch(payload), ZeroHash, salt),
    await timelock.getFunction('hashOperationBatch')(payload.targets, payload.values, payload.calldatas, ZeroHash, salt),
  );
  t.throws(() => executionPlan({ id, title: 'x', executionMode: '', payload: null, rules: { settings: {} } }), /not executable/);
});

t.test('transaction sender on a chain that does not mine by itself', async (t) => {
  const chain = await startLocalChain();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `test-sender-${randomBytes(4).toString('hex')}`;
  t.teardown(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await chain.stop();
  });
  const provider = chain.provider;
  const wallet = chain.wallets[3]!;
  const recipient = chain.wallets[4]!.address;
  const settings: SenderSettings = { confirmations: 1, stuckTimeoutMs: 400, feeBumpPercent: 20, maxFeePerGas: null, pollIntervalMs: 50 };
  const nonces = new NonceManager({ redis, provider, redisPrefix: prefix, chainId: chain.chainId, address: wallet.address });
  const makeSender = (signal?: AbortSignal) =>
    new TxSender({ provider, wallet, nonces, redis, redisPrefix: prefix, chainId: chain.chainId, settings, logger: silent, ...(signal ? { signal } : {}) });
  await provider.send('evm_setAutomine', [false]);
  const mine = () => provider.send('evm_mine', []);
  const waitUntil = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
  };

  await t.test('stuck: re-sent with the same nonce and higher fees; the mined version is found', async (t) => {
    const initial = await provider.getFeeData();
    const sender = makeSender();
    const sending = sender.send({ key: 'stuck', to: recipient, data: '0x', value: 1n, label: 'test' });
    await waitUntil(async () => ((await sender.pending('stuck'))?.hashes?.length ?? 0) >= 3);
    // A version is recorded before it is broadcast: wait until the node holds the third one.
    const before = (await sender.pending('stuck'))!;
    await waitUntil(async () => (await provider.getTransaction(before.hashes![2]!)) !== null);
    t.ok(before.hashes!.length >= 3, `re-sent ${before.hashes!.length - 1} times before the block`);
    await mine();
    const outcome = await sending;
    t.equal(outcome.status, 'confirmed');
    if (outcome.status !== 'confirmed') return;
    const mined = (await provider.getTransaction(outcome.hash))!;
    t.equal(mined.from, wallet.address);
    t.equal(mined.nonce, before.nonce, 'same nonce');
    t.ok(mined.maxFeePerGas! >= (initial.maxFeePerGas! * 144n) / 100n, `fees raised 20 % per re-send (${initial.maxFeePerGas} → ${mined.maxFeePerGas})`);
    t.ok(mined.maxPriorityFeePerGas! >= (initial.maxPriorityFeePerGas! * 144n) / 100n);
    t.equal(await sender.pending('stuck'), null, 'the record is gone once confirmed');
  });

  await t.test('a relayer stopped after the broadcast: another one resumes the same transaction', async (t) => {
    const controller = new AbortController();
    const first = makeSender(controller.signal);
    const intent = { key: 'resume', to: recipient, data: '0x', value: 2n, label: 'test' };
    const sending = first.send(intent);
    await waitUntil(async () => Boolean((await first.pending('resume'))?.raw));
    const record = (await first.pending('resume'))!;
    controller.abort();
    await t.rejects(sending, /shutting down/);
    const counter = (await nonces.snapshot()).next;
    const second = makeSender();
    const resumed = second.send(intent);
    await new Promise((r) => setTimeout(r, 100));
    await mine();
    const outcome = await resumed;
    t.equal(outcome.status, 'confirmed');
    const mined = outcome.status === 'confirmed' ? (await provider.getTransaction(outcome.hash))! : null;
    t.equal(mined?.nonce, record.nonce, 'the same nonce: no second transaction');
    t.equal((await nonces.snapshot()).next, counter, 'no nonce allocated by the resume');
  });

  await t.test('a nonce gap (allocated, never sent) is filled so the next transaction mines', async (t) => {
    const lost = await nonces.allocate(); // a process died right after allocating
    const sender = makeSender();
    const sending = sender.send({ key: 'gap', to: recipient, data: '0x', value: 3n, label: 'test' });
    await waitUntil(async () => (await provider.getTransactionCount(wallet.address, 'pending')) > lost);
    await mine();
    const outcome = await sending;
    t.equal(outcome.status, 'confirmed');
    t.ok((await provider.getTransactionCount(wallet.address, 'latest')) > lost + 1, 'the gap nonce and ours are both used');
  });

  await t.test('the nonce taken by a transaction that is not ours: superseded, and the caller re-reads the chain', async (t) => {
    const sender = makeSender();
    const sending = sender.send({ key: 'taken', to: recipient, data: '0x', value: 4n, label: 'test' });
    await waitUntil(async () => Boolean((await sender.pending('taken'))?.raw));
    const record = (await sender.pending('taken'))!;
    const ours = Transaction.from(record.raw!);
    // Someone with the key replaces it from outside with a much higher fee.
    const outside = await wallet.signTransaction({
      to: wallet.address,
      value: 0n,
      nonce: record.nonce!,
      gasLimit: 21_000n,
      chainId: chain.chainId,
      type: 2,
      maxFeePerGas: ours.maxFeePerGas! * 10n,
      maxPriorityFeePerGas: ours.maxPriorityFeePerGas! * 10n,
    });
    await provider.broadcastTransaction(outside);
    await mine();
    const outcome = await sending;
    t.equal(outcome.status, 'superseded');
  });
  await provider.send('evm_setAutomine', [true]);
});
