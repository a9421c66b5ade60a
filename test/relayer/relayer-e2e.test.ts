/**
 * The execution relay end to end, on a real stack (hardhat chain, PostgreSQL, Redis): a treasury grant
 * goes from a signed proposal through the temperature and consensus checks (signed votes from several
 * wallets, one of them delegated), is scheduled by the relayer into the DAO's TimelockController with
 * the operation id anyone can recompute, waits out the 7-day delay (evm_increaseTime) and executes
 * exactly once. Then the same through the Governor's on-chain vote, and a guardian cancelling during
 * the delay, after which the relayer never executes.
 */
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { Contract, type Wallet } from 'ethers';
import { createSpace, latestBlock, startStack, TOKEN, waitFor, type TestStack } from '../helpers/stack.js';
import { connectWs, type WsClient } from '../helpers/ws-client.js';
import { deployContract, mineBlocks } from '../../scripts/local-chain.js';
import { loadArtifact } from '../../scripts/compile-contracts.js';
import { SEVEN_DAYS } from '../../scripts/deploy.js';
import { hashPayload } from '../../core/proposals/payload.js';
import { executionPlan, operationIdFor } from '../../core/executions/operation.js';
import { TIMELOCK_TOPICS } from '../../core/executions/chain.js';
import { GOVERNOR_ABI } from '../../core/executions/abi.js';
import { GRANT, operationLogs, passGrant, TREASURY } from '../helpers/relay-flow.js';

const stagePeriods = {
  temperature: { votingType: 'proposal', period: 4, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
  consensus: { votingType: 'basic', period: 4, quorum: { kind: 'supply-fraction', bps: 500 }, passThresholdBps: 6000 },
};

async function execution(stack: TestStack, id: string): Promise<any> {
  return (await stack.get(`/api/proposals/${id}`)).body.executionStatus;
}

/**
 * Funds the treasury (the timelock), delegates dave → carol and creates the space (once per stack),
 * then passes a grant through both stages (helpers/relay-flow.ts passGrant), noting the block and
 * time at which its consensus check closed.
 */
async function passGrantFromTreasury(
  stack: TestStack,
  mode: 'timelock' | 'governor',
  title: string,
  options: { token?: Contract; space?: Record<string, unknown> } = {},
): Promise<{ id: string; proposal: any; queuedAt: { block: number; ms: number } }> {
  const dao = stack.dao!;
  const [, , , carol, dave, , grantee] = stack.wallets as Wallet[];
  if ((await stack.get('/api/spaces/blocktrack')).status === 404) {
    await (await stack.token.getFunction('mint')(dao.addresses.timelock, TREASURY)).wait();
    await (await (stack.token.connect(dave!) as Contract).getFunction('delegate')(carol!.address)).wait();
    const space = await createSpace(stack, 'blocktrack', {
      executor: dao.addresses.timelock,
      governor: dao.addresses.governor,
      ...stagePeriods,
      ...options.space,
    });
    if (space.status !== 200) throw new Error(JSON.stringify(space.body));
    await mineBlocks(stack.chain.provider, 1);
  }
  let queuedAt: { block: number; ms: number } | undefined;
  // carol votes with 25 + dave's delegated 9.
  const grant = await passGrant(stack, title, {
    execution: mode,
    grantee: grantee!.address,
    body: 'Fund course material for the learn-to-earn track.',
    ...(options.token ? { token: options.token } : {}),
    onQueued: async (id) => {
      const history = (await stack.get(`/api/proposals/${id}/history`)).body.items;
      // The consensus check closed at the recorded transition time; the chain was at this block then (1 s blocks, polled every 20 ms).
      queuedAt = { block: await latestBlock(stack), ms: Date.parse(history.at(-1).at) };
    },
  });
  return { id: grant.id, proposal: grant.proposal, queuedAt: queuedAt! };
}

async function listenWs(app: FastifyInstance, proposalId: string): Promise<WsClient> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const client = await connectWs(app);
  client.send({ type: 'subscribe', proposal: proposalId });
  await client.next((m) => m.type === 'subscribed');
  return client;
}

const latency: string[] = [];
t.teardown(() => {
  if (latency.length) console.log(`# relay latency\n${latency.map((l) => `#   ${l}`).join('\n')}`);
});

t.test('timelock path: the voted payload is scheduled once with the recomputable id, waits 7 days, and executes once', async (t) => {
  const stack = await startStack({ dao: {}, config: { RELAYER_CONFIRMATIONS: 2 } });
  t.teardown(() => stack.close());
  const dao = stack.dao!;
  const provider = stack.chain.provider;
  t.equal(await dao.timelock.getFunction('getMinDelay')(), BigInt(SEVEN_DAYS), 'the timelock delay is 7 days');
  // A chain that produces blocks on its own (one a second), as a real one does.
  const ticker = setInterval(() => void provider.send('evm_mine', []).catch(() => undefined), 1000);
  t.teardown(() => clearInterval(ticker));
  const relayer = await stack.startRelayer();
  const grantee = stack.wallets[6]!;

  const { id, proposal, queuedAt } = await passGrantFromTreasury(stack, 'timelock', 'Grant 5 BTK to the Education sub-DAO');
  t.equal(proposal.executionStatus.status, 'queued');
  const ws = await listenWs(stack.app, id);
  t.teardown(() => ws.close());

  const scheduled = await waitFor(
    async () => {
      const e = await execution(stack, id);
      return e?.status === 'scheduled' ? e : null;
    },
    30_000,
    100,
  );
  const scheduledMs = Date.now();
  const scheduleReceipt = (await provider.getTransactionReceipt(scheduled.scheduleTx))!;

  // Anyone recomputes the operation id from the signed proposal: salt = proposal id, predecessor 0.
  const space = (await stack.get('/api/spaces/blocktrack')).body;
  const recomputed = operationIdFor({
    id,
    title: proposal.title,
    executionMode: proposal.execution,
    payload: proposal.payload,
    rules: { settings: space.settings },
  });
  t.equal(scheduled.operationId, recomputed, 'recorded operation id = recomputed from the signed proposal');
  const onChainId = await dao.timelock.getFunction('hashOperationBatch')(
    proposal.payload.targets,
    proposal.payload.values,
    proposal.payload.calldatas,
    `0x${'0'.repeat(64)}`,
    id,
  );
  t.equal(onChainId, recomputed, 'and = TimelockController.hashOperationBatch(payload, 0x0, salt = proposal id)');
  t.equal(hashPayload(proposal.payload), proposal.payloadHash, 'the scheduled payload is the one whose hash the author signed');
  const scheduledLogs = await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, recomputed);
  t.equal(scheduledLogs.length, 1, 'CallScheduled once');
  t.equal(scheduledLogs[0]!.transactionHash, scheduled.scheduleTx);
  const scheduleBlock = (await provider.getBlock(scheduleReceipt.blockNumber))!;
  t.equal(Date.parse(scheduled.eta) / 1000, scheduleBlock.timestamp + SEVEN_DAYS, 'ETA = schedule block time + 7 days');
  t.equal(await dao.timelock.getFunction('getOperationState')(recomputed), 1n, 'Waiting');
  latency.push(
    `timelock: consensus close → schedule tx mined ${scheduleReceipt.blockNumber - queuedAt.block} block(s) later (1 s blocks); status 'scheduled' with 2 confirmations ${scheduledMs - queuedAt.ms} ms after the close`,
  );

  const dryRun = await relayer.operator.dryRun(id);
  t.equal(dryRun.step, 'timelock-execute');
  t.equal(dryRun.simulation?.ok, false, 'a dry run before the ready time is refused by the timelock');
  t.match(dryRun.simulation?.error, /TimelockUnexpectedOperationState/);
  const status = await relayer.operator.getStatus(id);
  t.equal(status.chain.operationState, 'Waiting');
  t.ok(
    status.pins.every((p) => p.ok),
    'target code hashes unchanged',
  );
  t.equal(status.jobs.find((j) => j.name === 'timelock-execute')?.state, 'delayed', 'the execute job waits for the ETA');

  const before = {
    treasury: await stack.token.getFunction('balanceOf')(dao.addresses.timelock),
    grantee: await stack.token.getFunction('balanceOf')(grantee.address),
  };
  await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
  await provider.send('evm_mine', []);
  const readyBlock = await latestBlock(stack);
  const readyMs = Date.now();

  const executed = await waitFor(
    async () => {
      const e = await execution(stack, id);
      return e?.status === 'executed' ? e : null;
    },
    30_000,
    100,
  );
  const executedMs = Date.now();
  latency.push(
    `timelock: ready (block ${readyBlock}) → execute tx mined ${Number(executed.executeBlock) - readyBlock} block(s) later; status 'executed' ${executedMs - readyMs} ms after the ready block`,
  );

  const executedLogs = await operationLogs(stack, TIMELOCK_TOPICS.CallExecuted, recomputed);
  t.equal(executedLogs.length, 1, 'CallExecuted once');
  t.equal(executedLogs[0]!.transactionHash, executed.executeTx, 'recorded execute tx = the chain');
  t.equal(String(executedLogs[0]!.blockNumber), executed.executeBlock, 'recorded execute block = the chain');
  t.equal(await dao.timelock.getFunction('getOperationState')(recomputed), 3n, 'Done');

  // Let the relayer and the reconciler run a few more rounds: nothing more happens.
  await new Promise((r) => setTimeout(r, 1500));
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallExecuted, recomputed)).length, 1, 'still executed once');
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, recomputed)).length, 1, 'still scheduled once');
  t.equal(await stack.token.getFunction('balanceOf')(grantee.address), before.grantee + GRANT, 'the grantee received the grant exactly once');
  t.equal(await stack.token.getFunction('balanceOf')(dao.addresses.timelock), before.treasury - GRANT, 'the treasury paid it exactly once');
  const final = await execution(stack, id);
  t.equal(final.status, 'executed');
  t.equal(final.operationId, recomputed);

  const statuses = ws.messages.filter((m) => m.type === 'execution').map((m) => m.status);
  t.same(statuses, ['scheduled', 'executed'], 'WebSocket subscribers saw scheduled, then executed');
  t.equal(ws.messages.find((m) => m.type === 'execution' && m.status === 'executed').detail.txHash, executed.executeTx);

  // The proposal's lifecycle ends in `executed`: a recorded transition caused by the chain, pushed over the WebSocket.
  t.equal((await stack.get(`/api/proposals/${id}`)).body.state, 'executed', 'the proposal state is executed');
  const lifecycleEnd = (await stack.get(`/api/proposals/${id}/history`)).body.items.at(-1);
  t.same([lifecycleEnd.from, lifecycleEnd.to, lifecycleEnd.cause], ['queued', 'executed', 'chain'], 'recorded as queued → executed, cause chain');
  const pushed = await ws.next((m) => m.type === 'lifecycle' && m.to === 'executed');
  t.same([pushed.from, pushed.cause], ['queued', 'chain'], 'and pushed to WebSocket subscribers');
});

t.test('governor path: proposed on the Governor, voted on chain, queued into the timelock, executed once', async (t) => {
  const stack = await startStack({ dao: { governor: { votingDelay: 1, votingPeriod: 10 } } });
  t.teardown(() => stack.close());
  const dao = stack.dao!;
  const provider = stack.chain.provider;
  await stack.startRelayer();
  const [, alice, bob, carol, , , grantee] = stack.wallets as Wallet[];

  const { id, proposal, queuedAt } = await passGrantFromTreasury(stack, 'governor', 'Upgrade the grants module');
  const space = (await stack.get('/api/spaces/blocktrack')).body;
  const plan = executionPlan({ id, title: proposal.title, executionMode: proposal.execution, payload: proposal.payload, rules: { settings: space.settings } });

  await waitFor(async () => (await execution(stack, id))?.status === 'voting', 30_000, 100);
  const governor = new Contract(dao.addresses.governor, GOVERNOR_ABI, provider);
  const onChainProposalId = await governor.getFunction('hashProposal')(
    proposal.payload.targets,
    proposal.payload.values,
    proposal.payload.calldatas,
    plan.descriptionHash,
  );
  t.equal(onChainProposalId.toString(), plan.governorProposalId, 'Governor proposal id = recomputed from the signed proposal and its description');
  const created = await provider.getLogs({ address: dao.addresses.governor, fromBlock: queuedAt.block, toBlock: 'latest' });
  t.equal(created.length, 1, 'proposed once');
  latency.push(`governor: consensus close → propose: ${created[0]!.blockNumber - queuedAt.block} blocks (automine)`);

  // The on-chain vote: token holders vote with their delegated ERC20Votes power.
  await mineBlocks(provider, 2);
  t.equal(await governor.getFunction('state')(plan.governorProposalId), 1n, 'Active');
  for (const [wallet, support] of [
    [alice, 1],
    [bob, 0],
    [carol, 1],
  ] as const) {
    await (await (governor.connect(wallet!) as Contract).getFunction('castVote')(plan.governorProposalId, support)).wait();
  }
  await mineBlocks(provider, 11);
  const scheduled = await waitFor(
    async () => {
      const e = await execution(stack, id);
      return e?.status === 'scheduled' ? e : null;
    },
    30_000,
    100,
  );
  t.equal(scheduled.operationId, plan.operationId, 'the Governor queued the operation id derived from the proposal (salt = governor ^ descriptionHash)');
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, plan.operationId)).length, 1, 'CallScheduled once');
  t.equal(await governor.getFunction('state')(plan.governorProposalId), 5n, 'Queued');

  const before = await stack.token.getFunction('balanceOf')(grantee!.address);
  await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
  await provider.send('evm_mine', []);
  const executed = await waitFor(
    async () => {
      const e = await execution(stack, id);
      return e?.status === 'executed' ? e : null;
    },
    30_000,
    100,
  );
  await new Promise((r) => setTimeout(r, 1000));
  const executedLogs = await operationLogs(stack, TIMELOCK_TOPICS.CallExecuted, plan.operationId);
  t.equal(executedLogs.length, 1, 'CallExecuted once');
  t.equal(executedLogs[0]!.transactionHash, executed.executeTx);
  t.equal(await governor.getFunction('state')(plan.governorProposalId), 7n, 'Executed');
  t.equal(await stack.token.getFunction('balanceOf')(grantee!.address), before + GRANT, 'the grant was paid exactly once');
});

t.test('governor path, defeated on chain: the proposal ends defeated (cause chain) and nothing is queued', async (t) => {
  const stack = await startStack({ dao: { governor: { votingDelay: 1, votingPeriod: 10 } } });
  t.teardown(() => stack.close());
  const dao = stack.dao!;
  const provider = stack.chain.provider;
  await stack.startRelayer();

  const { id, proposal } = await passGrantFromTreasury(stack, 'governor', 'A grant the token holders turn down');
  const space = (await stack.get('/api/spaces/blocktrack')).body;
  const plan = executionPlan({ id, title: proposal.title, executionMode: proposal.execution, payload: proposal.payload, rules: { settings: space.settings } });
  await waitFor(async () => (await execution(stack, id))?.status === 'voting', 30_000, 100);

  // Nobody votes on chain: the Governor's 4% quorum is not reached, so its vote ends Defeated.
  const governor = new Contract(dao.addresses.governor, GOVERNOR_ABI, provider);
  await mineBlocks(provider, 13);
  t.equal(await governor.getFunction('state')(plan.governorProposalId), 3n, 'Defeated on the Governor');

  const state = await waitFor(
    async () => {
      const body = (await stack.get(`/api/proposals/${id}`)).body;
      return body.state === 'defeated' ? body.state : null;
    },
    30_000,
    100,
  );
  t.equal(state, 'defeated', 'the proposal follows the chain: queued → defeated');
  const last = (await stack.get(`/api/proposals/${id}/history`)).body.items.at(-1);
  t.match(last, { from: 'queued', to: 'defeated', cause: 'chain' }, 'recorded as a transition caused by the chain');
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, plan.operationId)).length, 0, 'never queued into the timelock');
});

t.test('guardian cancel during the delay: recorded as cancelled from the chain, and the relayer never executes', async (t) => {
  const stack = await startStack({ dao: {} });
  t.teardown(() => stack.close());
  const dao = stack.dao!;
  const provider = stack.chain.provider;
  const relayer = await stack.startRelayer();
  const grantee = stack.wallets[6]!;

  const { id } = await passGrantFromTreasury(stack, 'timelock', 'A grant the guardian stops');
  const scheduled = await waitFor(
    async () => {
      const e = await execution(stack, id);
      return e?.status === 'scheduled' ? e : null;
    },
    30_000,
    100,
  );
  const before = {
    treasury: await stack.token.getFunction('balanceOf')(dao.addresses.timelock),
    grantee: await stack.token.getFunction('balanceOf')(grantee.address),
  };

  // The relayer key cannot cancel (its CANCELLER_ROLE was revoked at deploy); the guardian can.
  const asRelayer = dao.timelock.connect(dao.relayerWallet) as Contract;
  await t.rejects(asRelayer.getFunction('cancel').staticCall(scheduled.operationId), /AccessControlUnauthorizedAccount|reverted/);
  await (await (dao.timelock.connect(dao.guardianWallet) as Contract).getFunction('cancel')(scheduled.operationId)).wait();

  const cancelled = await waitFor(
    async () => {
      const e = await execution(stack, id);
      return e?.status === 'cancelled' ? e : null;
    },
    30_000,
    100,
  );
  t.equal(cancelled.reason, 'cancelled on chain');
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.Cancelled, scheduled.operationId)).length, 1);
  const cancelledState = await waitFor(
    async () => {
      const p = (await stack.get(`/api/proposals/${id}`)).body;
      return p.state === 'cancelled' ? p : null;
    },
    10_000,
    100,
  );
  t.equal(cancelledState.state, 'cancelled', 'the proposal state follows: cancelled');
  const lastTransition = (await stack.get(`/api/proposals/${id}/history`)).body.items.at(-1);
  t.same([lastTransition.from, lastTransition.to, lastTransition.cause], ['queued', 'cancelled', 'chain'], 'recorded as queued → cancelled, cause chain');

  await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
  await provider.send('evm_mine', []);
  // Give the worker and several reconciler rounds every chance to act.
  await new Promise((r) => setTimeout(r, 2500));
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallExecuted, scheduled.operationId)).length, 0, 'never executed');
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, scheduled.operationId)).length, 1, 'never scheduled again');
  t.equal(await stack.token.getFunction('balanceOf')(grantee.address), before.grantee, 'no grant paid');
  t.equal(await stack.token.getFunction('balanceOf')(dao.addresses.timelock), before.treasury, 'treasury untouched');
  t.equal((await execution(stack, id)).status, 'cancelled');

  // Even an operator retry does not bring it back: the chain says cancelled.
  const retried = await relayer.operator.retry(id);
  t.equal(retried.status, 'cancelled');
  t.equal(retried.step, null);
  t.equal(await dao.timelock.getFunction('getOperationState')(scheduled.operationId), 0n, 'on chain the id is Unset again…');
  const dryRun = await relayer.operator.dryRun(id);
  t.equal(dryRun.step, null, '…but the relayer knows it was cancelled');
  t.match(dryRun.action, /cancelled/);
  await new Promise((r) => setTimeout(r, 1000));
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, scheduled.operationId)).length, 1, 'and never schedules it again');
});

t.test('refusals: an operation past the grace period and a target whose code changed are never executed', async (t) => {
  const stack = await startStack({ dao: {} });
  t.teardown(() => stack.close());
  const dao = stack.dao!;
  const provider = stack.chain.provider;
  const relayer = await stack.startRelayer();
  const grantee = stack.wallets[6]!;
  const scheduledRow = (id: string) =>
    waitFor(
      async () => {
        const e = await execution(stack, id);
        return e?.status === 'scheduled' ? e : null;
      },
      30_000,
      100,
    );

  // Expiry: scheduled, then the relayer is down for longer than the delay plus the space's grace period (1 h).
  const expired = await passGrantFromTreasury(stack, 'timelock', 'A grant nobody executed in time', { space: { executionGracePeriod: 3600 } });
  const expiredRow = await scheduledRow(expired.id);
  await relayer.close();
  await provider.send('evm_increaseTime', [SEVEN_DAYS + 3600 + 60]);
  await provider.send('evm_mine', []);
  const restarted = await stack.startRelayer();
  const failed = await waitFor(
    async () => {
      const e = await execution(stack, expired.id);
      return e?.status === 'failed' ? e : null;
    },
    30_000,
    100,
  );
  t.match(failed.reason, /^expired: /, 'failed with reason expired');
  t.equal(await dao.timelock.getFunction('getOperationState')(expiredRow.operationId), 2n, 'still Ready on chain (the timelock has no expiry)…');
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallExecuted, expiredRow.operationId)).length, 0, '…but the relayer did not execute it');
  const expiredStatus = await restarted.operator.getStatus(expired.id);
  const job = expiredStatus.jobs.find((j) => j.name === 'timelock-execute')!;
  t.equal(job.state, 'failed');
  t.equal(job.attemptsMade, 1, 'a permanent error is not retried');

  // Pinning: the target is redeployed with other code between the vote and the execution.
  const other = await deployContract(stack.wallets[0]!, 'GovToken', ['Other', 'OTH', stack.wallets[0]!.address]);
  await (await other.getFunction('mint')(dao.addresses.timelock, TREASURY)).wait();
  await mineBlocks(provider, 1);
  const swapped = await passGrantFromTreasury(stack, 'timelock', 'A grant whose token is swapped', { token: other });
  const swappedRow = await scheduledRow(swapped.id);
  await provider.send('hardhat_setCode', [String(other.target), loadArtifact('ReputationRegistry').deployedBytecode]);
  await provider.send('evm_increaseTime', [SEVEN_DAYS + 1]);
  await provider.send('evm_mine', []);
  const refused = await waitFor(
    async () => {
      const e = await execution(stack, swapped.id);
      return e?.status === 'failed' ? e : null;
    },
    30_000,
    100,
  );
  t.match(refused.reason, /^code-hash-changed: the code of target/, 'failed: the target code hash changed');
  t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallExecuted, swappedRow.operationId)).length, 0, 'not executed');
  t.equal(await stack.token.getFunction('balanceOf')(grantee.address), 0n, 'nothing was paid from either grant');
});
