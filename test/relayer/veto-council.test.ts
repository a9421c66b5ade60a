/**
 * The veto council (issue 18 item 4) on the real stack: relayer processes (relayer/main.ts children),
 * a hardhat chain whose timelock keeps the relayer's CANCELLER_ROLE (deployDao relayerCancels),
 * PostgreSQL and Redis.
 *
 * - settings: a council whose threshold exceeds its members, or that lists a member twice, is refused naming the field;
 * - refusals: a veto before the operation is in the timelock, from a non-member, twice from one member,
 *   after the operation is ready, and after it was cancelled;
 * - the k-th veto makes the relayer cancel the operation through the timelock exactly once, with the
 *   relayer SIGKILLed between the veto and the cancel (its cancel transaction in the node's pool, not
 *   mined): the next relayer records the cancel from the chain and sends nothing; the dead relayer's job
 *   comes back and sends nothing; nothing executes after the delay; the vetoes are published messages;
 * - veto vs execute: a veto reaching the threshold after the execute step loaded the execution (and before
 *   the deadline) stops the execute before it sends, and the operation is cancelled; a veto inside the
 *   guard interval before the ETA is refused with VETO_WINDOW_CLOSED naming the deadline.
 */
import t from 'tap';
import { HDNodeWallet, type Wallet } from 'ethers';
import { createSpace, latestBlock, waitFor } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { startFaultRig, sleep } from '../helpers/fault-rig.js';
import { balanceOf, operationLogs, passGrant, proposeGrant, relayerTransactions, unhandledLine, waitForStatus } from '../helpers/relay-flow.js';
import { DEV_MNEMONIC } from '../../scripts/local-chain.js';
import { SEVEN_DAYS } from '../../scripts/deploy.js';
import { TIMELOCK_TOPICS, timelockInterface } from '../../core/executions/chain.js';
import { VETO_GUARD_SECONDS } from '../../core/executions/veto-window.js';
import { createRelayer } from '../../relayer/relayer.js';
import { formatDryRun } from '../../relayer/cli.js';
import { timelockExecuteStep } from '../../relayer/steps/timelock.js';

// The council: development accounts 6, 7 and 8 (the stack's wallets of those indexes), 2 of 3 to veto.
const devAddress = (i: number) => HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).address;
const council = { members: [devAddress(6), devAddress(7), devAddress(8)], threshold: 2 };

// Stages of 8 s (the fault tests' 3 s leave no room for a loaded machine: a vote may come too late).
const TOKEN = 10n ** 18n;
const stages = {
  temperature: { votingType: 'proposal', period: 8, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
  consensus: { votingType: 'basic', period: 8, quorum: { kind: 'supply-fraction', bps: 500 }, passThresholdBps: 6000 },
};
const { stack, pool, children, provider, dao, probe, logsOf, jobState } = await startFaultRig(t, {
  dao: { relayerCancels: true },
  space: { council, ...stages },
});
const [member1, member2, member3] = [stack.wallets[6]!, stack.wallets[7]!, stack.wallets[8]!];
t.equal(member1.address, council.members[0], 'the council members are the stack wallets 6 to 8');

async function veto(wallet: Wallet, proposal: string, reason = 'a hostile grant') {
  return stack.submit(await stack.sign(wallet, 'Veto', { from: wallet.address, space: 'blocktrack', proposal, timestamp: nowSeconds(), reason }));
}

/** The relayer's mined cancel transactions of this operation since fromBlock. */
async function cancelsSent(fromBlock: number, operationId: string) {
  return (await relayerTransactions(stack, fromBlock)).filter(
    (s) => s.fn === 'cancel' && String(timelockInterface.parseTransaction({ data: s.tx.data })!.args[0]).toLowerCase() === operationId,
  );
}

t.test('council settings are validated, naming the field', async (t) => {
  const tooHigh = await createSpace(stack, 'council-bad', { council: { members: council.members, threshold: 4 } });
  t.equal(tooHigh.status, 400);
  t.equal(tooHigh.body.code, 'INVALID_SETTINGS');
  t.match(tooHigh.body.message, /\/council\/threshold: 4 vetoes needed, but the council has 3 members/);
  const twice = await createSpace(stack, 'council-bad', { council: { members: [council.members[0]!, council.members[0]!.toLowerCase()], threshold: 1 } });
  t.equal(twice.status, 400);
  t.match(twice.body.message, /\/council\/members: each member may be listed once/);
  const zero = await createSpace(stack, 'council-bad', { council: { members: council.members, threshold: 0 } });
  t.equal(zero.status, 400);
  t.match(zero.body.message, /\/council\/threshold/);
  t.equal((await stack.get('/api/spaces/council-bad')).status, 404, 'nothing stored');
  const space = (await stack.get('/api/spaces/blocktrack')).body;
  t.same(space.settings.council, { members: council.members.map((a) => a.toLowerCase()), threshold: 2 }, 'the valid council is stored (addresses lowercase)');
});

t.test('a veto is refused outside the timelock delay, from a non-member, and twice from one member', async (t) => {
  const id = await proposeGrant(stack, { title: 'Not queued yet', grantee: devAddress(12) });
  const early = await veto(member1, id);
  t.equal(early.status, 409);
  t.equal(early.body.code, 'NOT_IN_TIMELOCK', early.body.message);
  const outsider = await veto(stack.wallets[1]!, id);
  t.equal(outsider.status, 403);
  t.equal(outsider.body.code, 'NOT_COUNCIL_MEMBER');
  const wrongSpace = await stack.submit(
    await stack.sign(member1, 'Veto', { from: member1.address, space: 'other', proposal: id, timestamp: nowSeconds(), reason: '' }),
  );
  t.equal(wrongSpace.body.code, 'SPACE_MISMATCH');
  const messages = (await stack.get(`/api/proposals/${id}/messages`)).body.items;
  t.same(
    messages.map((m: { type: string }) => m.type),
    ['Proposal'],
    'refused vetoes are not stored',
  );

  // Scheduled, the relayer stopped, then the chain's clock past the ETA: too late.
  const a = await children.spawnRelayer('ready', stack.config);
  const grant = await passGrant(stack, 'Ready before the veto');
  await waitForStatus(pool, grant.id, 'scheduled');
  await a.stop();
  const first = await veto(member1, grant.id, 'first');
  t.equal(first.status, 200, 'a member vetoes while the operation waits');
  const again = await veto(member1, grant.id, 'again, with another reason');
  t.equal(again.status, 409);
  t.equal(again.body.code, 'ALREADY_VETOED', 'one veto per member');
  const row = await waitForStatus(pool, grant.id, 'scheduled');
  await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
  await provider.send('evm_mine', []);
  const head = (await provider.getBlock('latest', false))!;
  t.ok(head.timestamp * 1000 >= row.eta!.getTime(), `the chain's clock (${head.timestamp}) reached the ETA (${row.eta!.getTime() / 1000})`);
  const late = await veto(member2, grant.id);
  t.equal(late.status, 409);
  t.equal(late.body.code, 'VETO_WINDOW_CLOSED', late.body.message);
  const proposal = (await stack.get(`/api/proposals/${grant.id}`)).body;
  t.match(proposal.veto, { council: { threshold: 2 }, thresholdReached: false, vetoedAt: null }, 'one veto of two: nothing to cancel');
  t.same(
    proposal.veto.vetoes.map((v: { member: string; reason: string }) => [v.member, v.reason]),
    [[member1.address.toLowerCase(), 'first']],
  );
  // Leave the ready operation to a relayer so the next case starts clean.
  const b = await children.spawnRelayer('ready-2', stack.config);
  await waitForStatus(pool, grant.id, 'executed');
  await b.stop();
});

t.test('the k-th veto cancels the operation once, across a relayer killed between the veto and the cancel', async (t) => {
  t.teardown(() => children.stopAll());
  t.teardown(() => provider.send('evm_setAutomine', [true]));
  const fromBlock = (await latestBlock(stack)) + 1;
  const config = { ...stack.config, RELAYER_JOB_LOCK_MS: 5000 };
  const a = await children.spawnRelayer('A', config);
  const grant = await passGrant(stack, 'Vetoed by the council');
  const scheduled = await waitForStatus(pool, grant.id, 'scheduled');
  const operationId = grant.plan.operationId;
  t.equal(scheduled.operationId, operationId);

  const first = await veto(member2, grant.id, 'the grantee is the proposer');
  t.equal(first.status, 200);
  t.equal((await waitForStatus(pool, grant.id, 'scheduled')).vetoedAt, null, 'one veto of two: not vetoed yet');

  // The chain stops mining: A's cancel stays in the node's pool; A is killed there.
  await provider.send('evm_setAutomine', [false]);
  const second = await veto(member3, grant.id, 'agreed');
  t.equal(second.status, 200, 'the second veto reaches the threshold');
  const cancelSend = await a.waitForLog((l) => l.msg === 'sending transaction' && l.label === 'cancel', 90_000);
  const cancelHash = String(cancelSend.txHash);
  await probe.inPool(cancelHash);
  await a.kill();
  t.pass(`relayer A SIGKILLed with cancel ${cancelHash} (nonce ${cancelSend.nonce}) in the node's pool, not mined`);
  t.equal(await jobState('veto-cancel', grant.id), 'active', 'its veto-cancel job is left active, locked by a dead process');
  t.match(await probe.txRecord(grant.id, 'veto-cancel'), { hashes: [cancelHash] }, 'the signed cancel was stored in Redis before the broadcast');
  await provider.send('evm_mine', []);
  await provider.send('evm_setAutomine', [true]);

  const b = await children.spawnRelayer('B', config);
  const cancelled = await waitForStatus(pool, grant.id, 'cancelled');
  t.ok(cancelled.vetoedAt, 'the execution records when the threshold was reached');
  await waitFor(async () => (await stack.get(`/api/proposals/${grant.id}`)).body.state === 'cancelled', 20_000, 100);
  t.pass('the proposal moved queued → cancelled (cause chain)');
  const history = (await stack.get(`/api/proposals/${grant.id}/history`)).body.items;
  t.match(history.at(-1), { from: 'queued', to: 'cancelled', cause: 'chain' });

  // The dead relayer's job comes back once its lock expires; B runs it: settled, nothing sent.
  await waitFor(async () => (await jobState('veto-cancel', grant.id)) === 'completed', 60_000, 250);
  t.equal(logsOf(b, (l) => l.msg === 'sending transaction').length, 0, 'B sent no transaction at all');
  t.same(await probe.inFlight(grant.id), [], 'no in-flight transaction record left behind');

  // The delay passes: nothing executes.
  await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
  await provider.send('evm_mine', []);
  await sleep(2000);
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.Cancelled, operationId)).length, 1, 'Cancelled once on chain');
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallExecuted, operationId)).length, 0, 'never executed');
  t.equal(await dao.timelock.getFunction('getOperationState')(operationId), 0n, 'the operation is Unset (cancelled)');
  const cancels = await cancelsSent(fromBlock, operationId);
  t.same(
    cancels.map((c) => [c.tx.hash, c.status]),
    [[cancelHash, 1]],
    'the relayer sent exactly one cancel, the one A signed',
  );
  t.equal(await balanceOf(stack, grant.grantee), 0n, 'the grantee got nothing');
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, operationId)).length, 1, 'scheduled once (the veto does not re-schedule)');

  const proposal = (await stack.get(`/api/proposals/${grant.id}`)).body;
  t.match(proposal.veto, { thresholdReached: true, council: { threshold: 2 } });
  t.ok(proposal.veto.vetoedAt, 'vetoedAt published');
  t.same(
    proposal.veto.vetoes.map((v: { member: string; reason: string }) => [v.member, v.reason]),
    [
      [member2.address.toLowerCase(), 'the grantee is the proposer'],
      [member3.address.toLowerCase(), 'agreed'],
    ],
  );
  t.equal(proposal.executionStatus.status, 'cancelled');
  const messages = (await stack.get(`/api/proposals/${grant.id}/messages`)).body.items;
  const vetoMessages = messages.filter((m: { type: string }) => m.type === 'Veto');
  t.equal(vetoMessages.length, 2, 'both vetoes are published messages of the proposal');
  t.equal(vetoMessages[1].envelope.data.message.reason, 'agreed', 'as signed');
  const late = await veto(member1, grant.id);
  t.equal(late.body.code, 'NOT_IN_TIMELOCK', 'no veto once the operation is gone');
  t.same(
    logsOf(b, unhandledLine).map((l) => l.msg),
    [],
    'no unhandled transaction errors in B',
  );
  await b.stop();
});

t.test('veto vs execute near the ETA: a veto committed after the execute step loaded stops the execute; after the deadline a veto is refused', async (t) => {
  t.teardown(() => children.stopAll());
  const a = await children.spawnRelayer('race', stack.config);
  const raced = await passGrant(stack, 'Vetoed while the execute step runs');
  const racedRow = await waitForStatus(pool, raced.id, 'scheduled');
  await a.stop();
  t.equal((await veto(member1, raced.id, 'first of two')).status, 200);

  // The execute step run in-process with the relayer's own chain reader, sender and recorder. Its first
  // chain read (after it loaded the execution, not vetoed) is where the race is forced: the threshold's
  // veto commits there, before the deadline, then the chain's clock passes the ETA so the step goes on.
  const tools = await createRelayer(stack.config, { worker: false, reconciler: false });
  t.teardown(() => tools.close());
  let vetoInStep: { status: number; body: { code?: string; message?: string } } | null = null;
  const chain = Object.create(tools.chain) as typeof tools.chain;
  chain.operation = async (timelock, operationId) => {
    if (!vetoInStep) {
      vetoInStep = await veto(member2, raced.id, 'second, while the execute step runs');
      await provider.send('evm_setNextBlockTimestamp', [racedRow.eta!.getTime() / 1000 + 1]);
      await provider.send('evm_mine', []);
    }
    return tools.chain.operation(timelock, operationId);
  };
  const fromBlock = (await latestBlock(stack)) + 1;
  const ctx = { pool, chain, sender: tools.sender, recorder: tools.recorder, logger: tools.logger, pollIntervalMs: 200 };
  const result = await timelockExecuteStep(ctx, raced.id);
  t.equal(vetoInStep!.status, 200, `the veto reaching the threshold was accepted mid-step ${vetoInStep!.body.message ?? ''}`);
  t.ok((await waitForStatus(pool, raced.id, 'scheduled')).vetoedAt, 'its transaction marked the execution vetoed');
  t.match(result, { kind: 'done', next: { step: 'veto-cancel' } }, 'the execute step hands over to veto-cancel');
  t.equal(
    (await relayerTransactions(stack, fromBlock)).filter((s) => s.fn === 'executeBatch').length,
    0,
    'no executeBatch was sent, though the operation is ready',
  );
  t.equal(await dao.timelock.getFunction('getOperationState')(raced.plan.operationId), 2n, 'the operation is Ready, not Done');

  // The operator's dry run says what the relayer does now: cancel, not execute.
  const dry = await tools.operator.dryRun(raced.id);
  t.match(dry, { step: 'veto-cancel', action: 'cancel' });
  t.equal(dry.to?.toLowerCase(), raced.plan.timelock.toLowerCase(), 'cancel on the timelock');
  t.same(
    dry.remaining.map((s) => s.step),
    ['veto-cancel'],
    'the only remaining step is veto-cancel: no execute',
  );
  t.equal(dry.simulation?.ok, true, "the cancel simulates from the relayer's address (it holds CANCELLER_ROLE)");
  t.match(dry.refusal, /^vetoed by the council at .*: the relayer cancels the operation instead of executing it$/);
  t.match(formatDryRun(dry), /1\. veto-cancel: cancel on 0x[0-9a-fA-F]{40}, now/, 'the CLI prints the cancel step');
  const vetoJson = (await stack.get(`/api/proposals/${raced.id}`)).body.veto;
  t.equal(vetoJson.deadline, new Date(racedRow.eta!.getTime() - VETO_GUARD_SECONDS * 1000).toISOString(), 'the API names the veto deadline');

  // The accepted veto is not ignored: a relayer cancels the ready operation.
  const b = await children.spawnRelayer('race-cancel', stack.config);
  await waitForStatus(pool, raced.id, 'cancelled');
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallExecuted, raced.plan.operationId)).length, 0, 'never executed');
  t.equal(await balanceOf(stack, raced.grantee), 0n, 'the grantee got nothing');
  await b.stop();

  // Another operation (scheduled now, so its ETA is far from the first's): the chain's clock inside the
  // guard interval before its ETA.
  const d = await children.spawnRelayer('race-schedule', stack.config);
  const closed = await passGrant(stack, 'Vetoed after the deadline');
  const closedRow = await waitForStatus(pool, closed.id, 'scheduled');
  await d.stop();
  const deadline = closedRow.eta!.getTime() / 1000 - VETO_GUARD_SECONDS;
  const head = (await provider.getBlock('latest', false))!;
  t.ok(head.timestamp < deadline, 'the second operation is still before its veto deadline');
  t.equal((await veto(member1, closed.id, 'in time')).status, 200, 'a veto before the deadline is accepted');
  await provider.send('evm_setNextBlockTimestamp', [deadline]);
  await provider.send('evm_mine', []);
  const late = await veto(member2, closed.id, 'too late');
  t.equal(late.status, 409);
  t.equal(late.body.code, 'VETO_WINDOW_CLOSED', late.body.message);
  t.equal(late.body.details.deadline, new Date(deadline * 1000).toISOString(), 'the refusal names the deadline');
  t.match(late.body.message, new RegExp(`until ${new Date(deadline * 1000).toISOString()}, ${VETO_GUARD_SECONDS} s before`));
  t.match((await stack.get(`/api/proposals/${closed.id}`)).body.veto, { thresholdReached: false, vetoedAt: null }, 'the refused veto changed nothing');
  // Leave the operation to a relayer once ready, so the file ends clean.
  await provider.send('evm_setNextBlockTimestamp', [closedRow.eta!.getTime() / 1000 + 1]);
  await provider.send('evm_mine', []);
  const c = await children.spawnRelayer('race-execute', stack.config);
  await waitForStatus(pool, closed.id, 'executed');
  await c.stop();
});
