/**
 * Fault tolerance of the execution relay when a relayer process dies, with real relayer processes
 * (relayer/main.ts, children of the test, SIGKILLed) on a real chain, PostgreSQL and Redis
 * (relayer/README.md "Why the fault cases hold"):
 *
 * - killed between send and confirm: a relayer SIGKILLed with its scheduleBatch broadcast but not
 *   mined (the chain does not mine meanwhile), then the next one with its executeBatch likewise; the
 *   next relayer records each mined transaction from the chain and sends nothing; when the dead
 *   relayers' jobs come back (BullMQ stalled-job takeover once their locks expire) they send nothing
 *   and leave no in-flight record behind;
 * - killed between schedule and execute: a fresh relayer executes once the delay is over.
 *
 * Two relayers at once: relayer-faults-twin.test.ts. Redis and RPC faults: relayer-faults.test.ts.
 * Each case ends with assertExecutedOnce (helpers/relay-flow.ts): CallScheduled once, CallExecuted
 * once, the grant paid once, one scheduleBatch and one executeBatch sent, the executions row = the chain.
 */
import t from 'tap';
import { latestBlock, waitFor } from '../helpers/stack.js';
import { startFaultRig, sleep } from '../helpers/fault-rig.js';
import { assertExecutedOnce, balanceOf, GRANT, operationLogs, passGrant, unhandledLine, waitForStatus } from '../helpers/relay-flow.js';
import { SEVEN_DAYS } from '../../scripts/deploy.js';
import { TIMELOCK_TOPICS } from '../../core/executions/chain.js';

const { stack, pool, children, provider, dao, probe, logsOf, jobState } = await startFaultRig(t);
const statusOf = async (id: string) => (await pool.query('SELECT status FROM executions WHERE proposal_id = $1', [id])).rows[0].status as string;

t.test(
  "killed between send and confirm (scheduleBatch, then executeBatch): the mined transaction is recorded from the chain, never sent again; the dead relayer's jobs come back and send nothing",
  async (t) => {
    t.teardown(() => children.stopAll());
    const fromBlock = (await latestBlock(stack)) + 1;
    const treasury = await balanceOf(stack, dao.addresses.timelock);
    t.teardown(() => provider.send('evm_setAutomine', [true]));

    // Job locks of 5 s (RELAYER_JOB_LOCK_MS; 30 s by default): the dead relayers' jobs come back sooner.
    const config = { ...stack.config, RELAYER_JOB_LOCK_MS: 5000 };
    // The chain stops mining just before the proposal passes: A's scheduleBatch stays pending.
    const a = await children.spawnRelayer('A', config);
    const grant = await passGrant(stack, 'Killed between send and confirm', { beforeClose: () => provider.send('evm_setAutomine', [false]) });
    const scheduleSend = await a.waitForLog((l) => l.msg === 'sending transaction' && l.label === 'scheduleBatch');
    const scheduleHash = String(scheduleSend.txHash);
    await probe.inPool(scheduleHash);
    await a.kill();
    t.pass(`relayer A SIGKILLed with scheduleBatch ${scheduleHash} (nonce ${scheduleSend.nonce}) in the node's pool, not mined`);
    t.equal(await provider.getTransactionReceipt(scheduleHash), null, 'not mined');
    t.equal(await statusOf(grant.id), 'queued', 'nothing recorded yet');
    const record = (await probe.txRecord(grant.id, 'schedule'))!;
    t.match(record, { nonce: scheduleSend.nonce, hashes: [scheduleHash] }, 'the signed transaction was stored in Redis before the broadcast');
    t.equal(await jobState('schedule', grant.id), 'active', 'the schedule job is left active, locked by a dead process');
    await provider.send('evm_mine', []);
    await provider.send('evm_setAutomine', [true]);

    const b = await children.spawnRelayer('B', config);
    const scheduled = await waitForStatus(pool, grant.id, 'scheduled');
    t.equal(scheduled.scheduleTx, scheduleHash, 'B records the transaction A sent (from the chain)');

    // Again for the execute step: B broadcasts executeBatch on a chain that does not mine, and is killed.
    await provider.send('evm_setAutomine', [false]);
    await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
    await provider.send('evm_mine', []);
    const executeSend = await b.waitForLog((l) => l.msg === 'sending transaction' && l.label === 'executeBatch');
    const executeHash = String(executeSend.txHash);
    await probe.inPool(executeHash);
    await b.kill();
    t.pass(`relayer B SIGKILLed with executeBatch ${executeHash} (nonce ${executeSend.nonce}) in the node's pool, not mined`);
    await provider.send('evm_mine', []);
    await provider.send('evm_setAutomine', [true]);
    const counter = await probe.nonceCounter();

    const c = await children.spawnRelayer('C', config);
    const executed = await waitForStatus(pool, grant.id, 'executed');
    t.equal(executed.executeTx, executeHash, 'C records the transaction B sent (from the chain)');
    await sleep(1500); // more reconciler rounds: nothing else happens
    await assertExecutedOnce(t, stack, pool, grant, fromBlock);
    t.equal(await balanceOf(stack, dao.addresses.timelock), treasury - GRANT, 'the treasury paid once');

    // The two jobs the dead relayers held come back once their locks expire and a stalled-job check has
    // seen them twice; C runs them: they find the execution settled, send nothing, and drop the records.
    // (Before, a job finding its execution settled left its record behind, reported in flight forever.)
    const started = Date.now();
    await waitFor(
      async () => (await jobState('schedule', grant.id)) === 'completed' && (await jobState('timelock-execute', grant.id)) === 'completed',
      60_000,
      250,
    );
    t.pass(`both stalled jobs taken over and completed by C within ${Math.round((Date.now() - started) / 1000)} s`);
    t.equal(logsOf(c, (l) => l.msg === 'sending transaction').length, 0, 'C sent no transaction at all');
    t.equal(await probe.nonceCounter(), counter, 'and allocated no nonce');
    t.same(await probe.inFlight(grant.id), [], 'no in-flight transaction record left behind');
    await assertExecutedOnce(t, stack, pool, grant, fromBlock);
    t.same(
      logsOf(c, unhandledLine).map((l) => l.msg),
      [],
      'no unhandled transaction errors in C',
    );
    await c.stop();
  },
);

t.test('killed between schedule and execute: a fresh relayer executes once the delay is over, once', async (t) => {
  t.teardown(() => children.stopAll());
  const fromBlock = (await latestBlock(stack)) + 1;
  const treasury = await balanceOf(stack, dao.addresses.timelock);
  const a = await children.spawnRelayer('A', stack.config);
  const grant = await passGrant(stack, 'Killed between schedule and execute');
  const scheduled = await waitForStatus(pool, grant.id, 'scheduled');
  await a.kill();
  t.pass(`relayer A SIGKILLed as soon as 'scheduled' was recorded (execute job: ${(await jobState('timelock-execute', grant.id)) ?? 'not queued yet'})`);
  t.equal(
    scheduled.scheduleTx,
    (await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, grant.plan.operationId))[0]?.transactionHash,
    'the row names the schedule transaction on chain',
  );

  // The relayer stays down while the delay passes.
  await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
  await provider.send('evm_mine', []);
  await sleep(1000);
  t.equal(await statusOf(grant.id), 'scheduled', 'nothing happens while no relayer runs');

  const b = await children.spawnRelayer('B', stack.config);
  await waitForStatus(pool, grant.id, 'executed');
  await sleep(1500);
  await assertExecutedOnce(t, stack, pool, grant, fromBlock);
  t.equal(await balanceOf(stack, dao.addresses.timelock), treasury - GRANT, 'the treasury paid once');
  t.equal(
    logsOf(b, (l) => l.msg === 'sending transaction')
      .map((l) => l.label)
      .join(),
    'executeBatch',
    'B sent only the executeBatch',
  );
  t.same(await probe.inFlight(grant.id), [], 'no in-flight transaction record left');
  t.same(
    logsOf(b, unhandledLine).map((l) => l.msg),
    [],
    'no unhandled transaction errors in B',
  );
  await b.stop();
});
