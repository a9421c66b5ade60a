/**
 * Fault tolerance of the execution relay with two relayer processes at once on one key, one queue,
 * one database and one chain (relayer/README.md "Why the fault cases hold"):
 *
 * - both busy: three proposals pass together and each relayer takes jobs (one job at a time each),
 *   so both send with the shared key at the same moment: one nonce sequence, no collision;
 * - both run the same step: the relayer sending executeBatch is paused (SIGSTOP) past its job lock
 *   with the transaction pending; BullMQ hands the job to the other (at-least-once delivery), which
 *   finds the in-flight record and follows the same transaction; the paused one wakes up (SIGCONT) and
 *   finishes its run too. Nothing is sent twice and the row is recorded once.
 *
 * Each case ends with assertExecutedOnce (helpers/relay-flow.ts): CallScheduled once, CallExecuted
 * once, the grant paid once, one scheduleBatch and one executeBatch sent, the executions row = the chain.
 */
import t from 'tap';
import { latestBlock, waitFor } from '../helpers/stack.js';
import { startFaultRig, sleep } from '../helpers/fault-rig.js';
import type { LogLine } from '../helpers/relayer-child.js';
import { stepJobId } from '../../core/executions/jobs.js';
import { assertExecutedOnce, balanceOf, GRANT, passGrant, passGrants, unhandledLine, waitForStatus } from '../helpers/relay-flow.js';
import { SEVEN_DAYS } from '../../scripts/deploy.js';

const { stack, pool, queue, children, provider, dao, probe, logsOf } = await startFaultRig(t);

t.test('two relayer processes at once, both busy: three proposals, each scheduled once and executed once, one nonce sequence', async (t) => {
  t.teardown(() => children.stopAll());
  const fromBlock = (await latestBlock(stack)) + 1;
  const treasury = await balanceOf(stack, dao.addresses.timelock);
  // One job at a time each: with three proposals passing together, both relayers must take work.
  const config = { ...stack.config, RELAYER_CONCURRENCY: 1 };
  const relayers = [await children.spawnRelayer('A', config), await children.spawnRelayer('B', config)];
  const grants = await passGrants(stack, ['Twin relayers: first', 'Twin relayers: second', 'Twin relayers: third']);
  for (const grant of grants) await waitForStatus(pool, grant.id, 'scheduled');
  await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
  await provider.send('evm_mine', []);
  for (const grant of grants) await waitForStatus(pool, grant.id, 'executed');
  await sleep(1500);

  for (const grant of grants)
    await t.test(grant.title, async (t) => {
      await assertExecutedOnce(t, stack, pool, grant, fromBlock);
      t.same(await probe.inFlight(grant.id), [], 'no in-flight transaction record left');
    });
  t.equal(await balanceOf(stack, dao.addresses.timelock), treasury - 3n * GRANT, 'the treasury paid three grants, once each');

  const sends = relayers.flatMap((r) => logsOf(r, (l) => l.msg === 'sending transaction').map((l): LogLine => ({ ...l, relayer: r.name })));
  t.pass(`who sent what: ${sends.map((s) => `${s.relayer}:${s.label}@${s.nonce}`).join(' ')}`);
  t.same(new Set(sends.map((s) => s.relayer)), new Set(['A', 'B']), 'both relayers sent transactions with the shared key');
  t.equal(sends.length, 6, 'six transactions sent in all (one schedule and one execute per proposal)');
  t.equal(new Set(sends.map((s) => s.key)).size, 6, 'each (proposal, step) sent once, by one of the two');
  const nonces = sends.map((s) => Number(s.nonce)).sort((x, y) => x - y);
  t.same(
    nonces,
    Array.from({ length: 6 }, (_, i) => nonces[0]! + i),
    `no nonce handed out twice, none skipped (${nonces.join(', ')})`,
  );
  const confirmed = relayers.flatMap((r) => logsOf(r, (l) => l.msg === 'transaction confirmed'));
  for (const grant of grants) {
    const row = (await pool.query('SELECT schedule_tx, execute_tx FROM executions WHERE proposal_id = $1', [grant.id])).rows[0];
    t.ok(
      confirmed.some((l) => l.txHash === row.schedule_tx) && confirmed.some((l) => l.txHash === row.execute_tx),
      `${grant.title}: the recorded hashes are the ones the relayers confirmed`,
    );
  }
  for (const r of relayers)
    t.same(
      logsOf(r, unhandledLine).map((l) => l.msg),
      [],
      `no unhandled transaction errors in ${r.name}`,
    );
  await Promise.all(relayers.map((r) => r.stop()));
});

t.test(
  'two relayer processes run the same step: the sender paused past its job lock, the other takes the job over and follows the same transaction; executed once, recorded once',
  async (t) => {
    t.teardown(() => children.stopAll());
    t.teardown(() => provider.send('evm_setAutomine', [true]));
    const fromBlock = (await latestBlock(stack)) + 1;
    const treasury = await balanceOf(stack, dao.addresses.timelock);
    // Job locks of 5 s (RELAYER_JOB_LOCK_MS; 30 s by default) for a quick takeover; no fee bump while the
    // transaction waits, so both relayers follow one hash.
    const config = { ...stack.config, RELAYER_JOB_LOCK_MS: 5000, RELAYER_STUCK_TX_TIMEOUT_MS: 300_000 };
    const a = await children.spawnRelayer('A', config);
    const grant = await passGrant(stack, 'Two relayers, one step');
    await waitForStatus(pool, grant.id, 'scheduled');
    const b = await children.spawnRelayer('B', config);

    // The operation becomes ready on a chain that does not mine: whichever relayer runs the execute step
    // broadcasts executeBatch and waits.
    await provider.send('evm_setAutomine', [false]);
    await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
    await provider.send('evm_mine', []);
    const isSend = (l: LogLine) => l.msg === 'sending transaction' && l.label === 'executeBatch';
    const [sender, other] = await Promise.any([a.waitForLog(isSend).then(() => [a, b] as const), b.waitForLog(isSend).then(() => [b, a] as const)]);
    const sent = logsOf(sender, isSend)[0]!;
    const hash = String(sent.txHash);
    await probe.inPool(hash);
    const counter = await probe.nonceCounter();
    sender.signal('SIGSTOP');
    t.teardown(() => sender.signal('SIGCONT'));
    t.pass(`relayer ${sender.name} paused (SIGSTOP) with executeBatch ${hash} (nonce ${sent.nonce}) pending`);

    // BullMQ: the paused relayer's lock expires and a stalled-job check moves the job to the other.
    const started = Date.now();
    await waitFor(
      async () => {
        const job = await queue.getJob(stepJobId('timelock-execute', grant.id));
        return job && job.stalledCounter >= 1 && (await job.getState()) === 'active';
      },
      60_000,
      250,
    );
    t.pass(`relayer ${other.name} took the execute job over ${Math.round((Date.now() - started) / 1000)} s after the pause`);
    await sleep(1000); // it reads the chain and finds the in-flight record
    t.equal(logsOf(other, isSend).length, 0, `${other.name} did not send a new executeBatch: it follows the one in flight`);
    t.equal(await probe.nonceCounter(), counter, 'no nonce allocated by the takeover');

    await provider.send('evm_mine', []);
    await provider.send('evm_setAutomine', [true]);
    const confirmed = await other.waitForLog((l) => l.msg === 'transaction confirmed' && l.step === 'timelock-execute', 20_000);
    t.equal(confirmed.txHash, hash, `${other.name} confirmed the paused relayer's transaction`);
    const executed = await waitForStatus(pool, grant.id, 'executed');
    t.equal(executed.executeTx, hash, 'recorded: the one transaction');

    // The paused relayer wakes up in the middle of its run, holding a job it no longer owns: whatever its
    // run ends with (the same receipt, or a transient error on a connection closed meanwhile), BullMQ
    // refuses its state change, and nothing is sent or recorded again.
    const recorded = executed.updatedAt.getTime();
    const fromLine = sender.logs.length;
    sender.signal('SIGCONT');
    const woke = await sender.waitForLog((l) => l.step === 'timelock-execute' || l.msg === 'execution worker error', 20_000, fromLine);
    const detail = woke.txHash ?? woke.reason ?? (woke.err as { message?: string } | undefined)?.message ?? '';
    t.pass(`${sender.name} woke up: "${woke.msg}" ${String(detail).slice(0, 120)}`);
    await sleep(3000);
    t.equal(logsOf(sender, isSend).length, 1, `${sender.name} sent nothing more`);
    t.equal(await probe.nonceCounter(), counter, 'no nonce allocated by either');
    t.equal(
      await (await queue.getJob(stepJobId('timelock-execute', grant.id)))!.getState(),
      'completed',
      'the execute job is completed (by the relayer holding it)',
    );
    t.equal(
      (await pool.query('SELECT updated_at FROM executions WHERE proposal_id = $1', [grant.id])).rows[0].updated_at.getTime(),
      recorded,
      'the row was not written again',
    );
    await assertExecutedOnce(t, stack, pool, grant, fromBlock);
    t.equal(await balanceOf(stack, dao.addresses.timelock), treasury - GRANT, 'the treasury paid once');
    t.same(await probe.inFlight(grant.id), [], 'no in-flight transaction record left');
    for (const r of [a, b])
      t.same(
        logsOf(r, unhandledLine).map((l) => l.msg),
        [],
        `no unhandled transaction errors in ${r.name}`,
      );
    t.ok(sender.running && other.running, 'both relayers still running');
    await Promise.all([a.stop(), b.stop()]);
  },
);
