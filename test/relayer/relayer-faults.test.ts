/**
 * Fault tolerance of the execution relay against its infrastructure (relayer/README.md "Why the fault
 * cases hold"), with real relayer processes, a redis-server of this file's own (AOF on, restarted by
 * the test; the shared Redis is never touched) and a JSON-RPC proxy between the relayer and the node:
 *
 * - Redis restarted (AOF): while scheduleBatch is in flight, and again during the delay;
 * - Redis restarted with every key lost (no persistence): jobs, nonce counter, in-flight records and the
 *   reconciler's cursor are gone, while scheduleBatch is in flight and again during the delay;
 * - RPC errors and timeouts: 503s, dropped connections, a response lost after the node took the
 *   transaction, requests that hang past RELAYER_RPC_TIMEOUT_MS: retried with backoff;
 * - permanent errors (a revert: the relayer key lacks PROPOSER_ROLE; a changed target code hash): not
 *   retried, nothing sent, the execution failed with the reason; an operator retry then completes it once.
 *
 * Each case ends with assertExecutedOnce: CallScheduled once, CallExecuted once, the grant paid once,
 * one scheduleBatch and one executeBatch sent, and the executions row equal to the chain.
 */
import t from 'tap';
import { latestBlock, waitFor } from '../helpers/stack.js';
import { startFaultRig, sleep } from '../helpers/fault-rig.js';
import type { LogLine } from '../helpers/relayer-child.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { startRpcProxy, type RpcProxy } from '../helpers/rpc-proxy.js';
import { assertExecutedOnce, balanceOf, GRANT, operationLogs, passGrant, TREASURY, unhandledLine, waitForStatus } from '../helpers/relay-flow.js';
import { deployContract, mineBlocks } from '../../scripts/local-chain.js';
import { loadArtifact } from '../../scripts/compile-contracts.js';
import { SEVEN_DAYS } from '../../scripts/deploy.js';
import { stepJobId } from '../../core/executions/jobs.js';
import { TIMELOCK_TOPICS } from '../../core/executions/chain.js';
import { createRelayer } from '../../relayer/relayer.js';

const redisServer = await startRedisServer('aof');
let proxyToClose: RpcProxy | undefined;
let rig: Awaited<ReturnType<typeof startFaultRig>>;
try {
  rig = await startFaultRig(t, {
    config: { REDIS_URL: redisServer.url },
    redisRestarts: true,
    beforeClose: async () => {
      await proxyToClose?.close();
      // The stack's teardown deletes its keys: Redis must be up for it.
      if (!redisServer.running) await redisServer.start().catch(() => undefined);
    },
    afterClose: () => redisServer.close(),
  });
} catch (error) {
  await redisServer.close();
  throw error;
}
const { stack, pool, queue, children, provider, dao, probe, logsOf, jobState } = rig;
const proxy = await startRpcProxy(stack.chain.rpcUrl);
proxyToClose = proxy;

t.test(
  'Redis restarted (AOF on) while scheduleBatch is in flight and again during the delay: jobs, nonce counter and in-flight record survive; scheduled once, executed once',
  async (t) => {
    t.teardown(() => children.stopAll());
    const fromBlock = (await latestBlock(stack)) + 1;
    const treasury = await balanceOf(stack, dao.addresses.timelock);
    t.teardown(() => provider.send('evm_setAutomine', [true]));
    const a = await children.spawnRelayer('A', stack.config);
    const grant = await passGrant(stack, 'Redis restarted with AOF', { beforeClose: () => provider.send('evm_setAutomine', [false]) });
    const sending = await a.waitForLog((l) => l.msg === 'sending transaction' && l.label === 'scheduleBatch');
    const hash = String(sending.txHash);
    await probe.inPool(hash);
    const counter = await probe.nonceCounter();

    await redisServer.restart(300);
    t.pass('Redis shut down and started again on its AOF directory, with scheduleBatch pending');
    t.match(await probe.txRecord(grant.id, 'schedule'), { nonce: sending.nonce, hashes: [hash] }, 'the in-flight record survived');
    t.equal(await probe.nonceCounter(), counter, 'the nonce counter survived');
    t.equal(await jobState('schedule', grant.id), 'active', 'the running schedule job survived');
    await provider.send('evm_mine', []);
    await provider.send('evm_setAutomine', [true]);
    const scheduled = await waitForStatus(pool, grant.id, 'scheduled');
    t.equal(scheduled.scheduleTx, hash, 'recorded: the transaction sent before the restart');

    await waitFor(async () => (await jobState('timelock-execute', grant.id)) === 'delayed', 10_000, 50);
    await redisServer.restart(300);
    t.equal(await jobState('timelock-execute', grant.id), 'delayed', 'the execute job, delayed until the ready time, survived a second restart');
    await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
    await provider.send('evm_mine', []);
    await waitForStatus(pool, grant.id, 'executed');
    await sleep(1500);
    await assertExecutedOnce(t, stack, pool, grant, fromBlock);
    t.equal(await balanceOf(stack, dao.addresses.timelock), treasury - GRANT, 'the treasury paid once');
    t.same(await probe.inFlight(grant.id), [], 'no in-flight transaction record left');
    t.same(
      logsOf(a, unhandledLine).map((l) => l.msg),
      [],
      'no unhandled errors in the relayer',
    );
    t.ok(a.running, 'the relayer rode out both restarts');
    await a.stop();
  },
);

t.test(
  'Redis restarted with every key lost (no persistence) while scheduleBatch is in flight and again during the delay: what is missing is re-created; nothing is sent twice',
  async (t) => {
    t.teardown(() => children.stopAll());
    const fromBlock = (await latestBlock(stack)) + 1;
    const treasury = await balanceOf(stack, dao.addresses.timelock);
    t.teardown(() => provider.send('evm_setAutomine', [true]));
    const a = await children.spawnRelayer('A', stack.config);
    const grant = await passGrant(stack, 'Redis restarted without persistence', { beforeClose: () => provider.send('evm_setAutomine', [false]) });
    const sending = await a.waitForLog((l) => l.msg === 'sending transaction' && l.label === 'scheduleBatch');
    const hash = String(sending.txHash);
    await probe.inPool(hash);

    await redisServer.restartEmpty(300);
    t.equal(await probe.txRecord(grant.id, 'schedule'), null, 'Redis came back empty: the in-flight record is gone');
    t.equal(await probe.nonceCounter(), null, 'so is the nonce counter');
    // The reconciler finds the execution queued with no job and queues its schedule step again.
    await waitFor(async () => (await queue.getJob(stepJobId('schedule', grant.id))) !== undefined, 10_000, 50);
    t.pass('the reconciler re-created the schedule job');
    await sleep(2000); // the re-created step runs while the first transaction is still pending
    await provider.send('evm_mine', []);
    await provider.send('evm_setAutomine', [true]);
    const scheduled = await waitForStatus(pool, grant.id, 'scheduled');
    t.equal(scheduled.scheduleTx, hash, 'recorded: the transaction sent before Redis lost everything');
    const reports = await waitFor(
      async () => {
        const lines = logsOf(a, (l) => l.msg === 'operation scheduled');
        return lines.length >= 2 ? lines : null;
      },
      10_000,
      50,
    );
    t.same(
      reports.map((l) => l.txHash),
      [hash, hash],
      "both runners of the step (the lost job and the re-created one) report the one transaction: the second shared the first's send",
    );
    t.equal(logsOf(a, (l) => l.msg === 'sending transaction' && l.label === 'scheduleBatch').length, 1, 'scheduleBatch signed and sent once');

    // Every runner of the schedule step is done and the execute job waits for the ready time.
    await waitFor(
      async () => (await jobState('schedule', grant.id)) === 'completed' && (await jobState('timelock-execute', grant.id)) === 'delayed',
      10_000,
      50,
    );
    await sleep(500);
    const beforeSecondLoss = a.logs.length;
    const lostAt = Date.now();
    await redisServer.restartEmpty(300);
    const execute = await queue.getJob(stepJobId('timelock-execute', grant.id));
    t.ok(!execute || execute.timestamp >= lostAt, 'Redis came back empty again: the delayed execute job is gone (any job there now is a new one)');
    await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
    await provider.send('evm_mine', []);
    await waitForStatus(pool, grant.id, 'executed');
    await sleep(1500);
    await assertExecutedOnce(t, stack, pool, grant, fromBlock);
    t.ok(
      a.logs.slice(beforeSecondLoss).some((l) => l.msg === 'reconciler queued the step an unfinished execution needs' && l.step === 'timelock-execute'),
      'the reconciler re-created the execute job from the row',
    );
    t.equal(await balanceOf(stack, dao.addresses.timelock), treasury - GRANT, 'the treasury paid once');
    t.same(await probe.inFlight(grant.id), [], 'no in-flight transaction record left');
    t.same(
      logsOf(a, unhandledLine).map((l) => l.msg),
      [],
      'no unhandled errors in the relayer',
    );
    await a.stop();
  },
);

t.test('RPC errors and timeouts between the relayer and the node: retried with backoff; scheduled once, executed once', async (t) => {
  t.teardown(() => children.stopAll());
  const fromBlock = (await latestBlock(stack)) + 1;
  const treasury = await balanceOf(stack, dao.addresses.timelock);
  const backoffMs = 50;
  // A reconciler pass every 200 ms: one that ran a ready execute job at once would cut its backoff short.
  const r = await children.spawnRelayer('R', {
    ...stack.config,
    RPC_URL: proxy.url,
    RELAYER_RPC_TIMEOUT_MS: 500,
    RELAYER_BACKOFF_MS: backoffMs,
    RELAYER_RECONCILE_INTERVAL_MS: 200,
  });
  t.teardown(() => proxy.clear());
  /** Attempt k+1 starts no sooner than the backoff after failure k: base × 2^(k-1), at least half of it (jitter). */
  const backoffGaps = (retries: LogLine[]) => retries.slice(1).map((l, i) => ({ gap: l.time - retries[i]!.time, min: 0.5 * backoffMs * 2 ** i }));

  // The schedule step: two 503s and a dropped connection on its first reads, a simulation that hangs
  // past the timeout, and a broadcast whose answer is lost after the node took the transaction.
  proxy.inject({ mode: 'http-503', count: 2, methods: ['eth_getCode'] });
  proxy.inject({ mode: 'reset', count: 1, methods: ['eth_call'] });
  proxy.inject({ mode: 'hang', count: 1, methods: ['eth_estimateGas'] });
  proxy.inject({ mode: 'drop-response', count: 1, methods: ['eth_sendRawTransaction'] });
  const grant = await passGrant(stack, 'Through a failing RPC');
  const scheduled = await waitForStatus(pool, grant.id, 'scheduled', 60_000);
  t.same(proxy.pending(), [], 'every fault of the schedule phase was hit');
  // The row may come from the reconciler while the step waits out a backoff; let the step finish.
  await waitFor(async () => (await jobState('schedule', grant.id)) === 'completed', 30_000, 100);
  const scheduleJob = (await queue.getJob(stepJobId('schedule', grant.id)))!;
  t.ok(scheduleJob.attemptsMade >= 4, `the schedule job completed after ${scheduleJob.attemptsMade} failed attempts (503 ×2, reset, timeout, …)`);
  const scheduleRetries = logsOf(r, (l) => l.msg === 'step failed; will retry' && l.step === 'schedule');
  t.ok(scheduleRetries.length >= 4, `${scheduleRetries.length} transient failures of the schedule step logged as "will retry"`);
  const scheduleGaps = backoffGaps(scheduleRetries);
  t.ok(
    scheduleGaps.every((g) => g.gap >= g.min),
    `retries wait the exponential backoff: gaps ${scheduleGaps.map((g) => g.gap).join(', ')} ms ≥ ${scheduleGaps.map((g) => g.min).join(', ')} ms`,
  );
  t.ok(
    scheduleRetries.some((l) => /timeout/i.test(String(l.reason))),
    'a request that hung failed after RELAYER_RPC_TIMEOUT_MS',
  );
  t.equal(
    logsOf(r, (l) => l.msg === 'sending transaction' && l.label === 'scheduleBatch').length,
    1,
    'scheduleBatch signed and sent once, although its answer was lost',
  );
  t.equal(scheduled.scheduleTx, (await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, grant.plan.operationId))[0]?.transactionHash);

  // The execute step, once the operation is ready: a broadcast that hangs (it never reaches the node),
  // then five 503s on the receipt. The operation stays ready all along: retries must still back off.
  proxy.inject({ mode: 'hang', count: 1, methods: ['eth_sendRawTransaction'] });
  proxy.inject({ mode: 'http-503', count: 5, methods: ['eth_getTransactionReceipt'] });
  await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
  await provider.send('evm_mine', []);
  await waitForStatus(pool, grant.id, 'executed', 60_000);
  t.same(proxy.pending(), [], 'every fault of the execute phase was hit');
  t.ok(
    logsOf(r, (l) => l.msg === 'broadcast failed; will re-send').length >= 1,
    'the hung broadcast timed out and was sent again (the same signed transaction)',
  );
  t.equal(logsOf(r, (l) => l.msg === 'sending transaction' && l.label === 'executeBatch').length, 1, 'executeBatch signed once');
  const executeRetries = logsOf(r, (l) => l.msg === 'step failed; will retry' && l.step === 'timelock-execute');
  t.ok(executeRetries.length >= 5, `${executeRetries.length} transient failures of the execute step logged as "will retry"`);
  const executeGaps = backoffGaps(executeRetries);
  t.ok(
    executeGaps.every((g) => g.gap >= g.min),
    `a ready operation's retries wait the backoff too: gaps ${executeGaps.map((g) => g.gap).join(', ')} ms ≥ ${executeGaps.map((g) => g.min).join(', ')} ms`,
  );
  await waitFor(async () => (await jobState('timelock-execute', grant.id)) === 'completed', 30_000, 100);
  await sleep(1000);
  await assertExecutedOnce(t, stack, pool, grant, fromBlock);
  t.equal(await balanceOf(stack, dao.addresses.timelock), treasury - GRANT, 'the treasury paid once');
  t.same(await probe.inFlight(grant.id), [], 'no in-flight transaction record left');
  t.same(
    logsOf(r, unhandledLine).map((l) => l.msg),
    [],
    'no unhandled errors in the relayer',
  );
  const injected = new Map<string, number>();
  for (const f of proxy.faulted()) injected.set(`${f.fault} ${f.methods.join('+')}`, (injected.get(`${f.fault} ${f.methods.join('+')}`) ?? 0) + 1);
  t.pass(`faults injected: ${[...injected].map(([k, n]) => `${k} ×${n}`).join('; ')}`);
  await r.stop();
});

t.test(
  'permanent errors are not retried: the key lacks PROPOSER_ROLE (revert), a target code hash changed; nothing is sent and the execution fails with the reason',
  async (t) => {
    t.teardown(() => children.stopAll());
    const fromBlock = (await latestBlock(stack)) + 1;
    const treasury = await balanceOf(stack, dao.addresses.timelock);
    const outsider = stack.wallets[17]!;
    const outsiderNonce = await provider.getTransactionCount(outsider.address);
    const w = await children.spawnRelayer('W', { ...stack.config, RELAYER_PRIVATE_KEY: outsider.privateKey });
    const grant = await passGrant(stack, 'Scheduled by a key without the role');
    const failed = await waitForStatus(pool, grant.id, 'failed');
    t.match(
      failed.reason,
      new RegExp(`^missing-role: missing role: AccessControlUnauthorizedAccount\\(${outsider.address}, PROPOSER_ROLE\\)`),
      `failed with the decoded reason: ${failed.reason}`,
    );
    await sleep(2000); // reconciler rounds and backoff time: nothing is retried
    const job = (await queue.getJob(stepJobId('schedule', grant.id)))!;
    t.equal(await job.getState(), 'failed', 'the job failed for good');
    t.equal(job.attemptsMade, 1, 'after one attempt: not retried');
    t.equal(logsOf(w, (l) => l.msg === 'step failed; will retry').length, 0, 'no retry logged');
    t.equal(await provider.getTransactionCount(outsider.address), outsiderNonce, 'nothing was sent (the simulation refused it)');
    t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, grant.plan.operationId)).length, 0, 'nothing scheduled');
    t.equal((await pool.query('SELECT status FROM executions WHERE proposal_id = $1', [grant.id])).rows[0].status, 'failed', 'still failed');
    await w.stop();

    // The operator fixes the key and retries: the execution completes, once.
    const operatorTools = await createRelayer(stack.config, { worker: false, reconciler: false });
    t.teardown(() => operatorTools.close());
    t.same(await operatorTools.operator.retry(grant.id), { status: 'queued', step: 'schedule' }, 'operator retry: back to queued, schedule queued again');
    const g = await children.spawnRelayer('G', stack.config);
    await waitForStatus(pool, grant.id, 'scheduled');
    await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
    await provider.send('evm_mine', []);
    await waitForStatus(pool, grant.id, 'executed');
    await sleep(1000);
    await assertExecutedOnce(t, stack, pool, grant, fromBlock);
    t.equal(await balanceOf(stack, dao.addresses.timelock), treasury - GRANT, 'the treasury paid once');

    // A target whose code changes between the vote and the schedule (Tornado Cash 2023).
    const other = await deployContract(stack.wallets[0]!, 'GovToken', ['Other', 'OTH', stack.wallets[0]!.address]);
    await (await other.getFunction('mint')(dao.addresses.timelock, TREASURY)).wait();
    await mineBlocks(provider, 1);
    const nonceBefore = await provider.getTransactionCount(dao.relayerWallet.address);
    const swapped = await passGrant(stack, 'A grant whose token is swapped before the schedule', {
      token: other,
      beforeClose: () => provider.send('hardhat_setCode', [String(other.target), loadArtifact('ReputationRegistry').deployedBytecode]),
    });
    const refused = await waitForStatus(pool, swapped.id, 'failed');
    t.match(refused.reason, /^code-hash-changed: the code of target/, `failed with the reason: ${refused.reason}`);
    await sleep(1500);
    const swappedJob = (await queue.getJob(stepJobId('schedule', swapped.id)))!;
    t.equal(swappedJob.attemptsMade, 1, 'not retried');
    t.equal(await provider.getTransactionCount(dao.relayerWallet.address), nonceBefore, 'nothing was sent');
    t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, swapped.plan.operationId)).length, 0, 'nothing scheduled');
    t.same(
      logsOf(g, (l) => l.level >= 50).map((l) => l.msg),
      [],
      'no errors in the relayer',
    );
    await g.stop();
  },
);
