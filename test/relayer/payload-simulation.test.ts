/**
 * The payload, simulated and re-checked (issue 18 item 5) on the real stack (hardhat chain with the
 * DAO, PostgreSQL, Redis, an in-process relayer):
 *
 * - a grant is simulated as a whole batch from the timelock (an eth_call state override) at creation,
 *   when the consensus check opens and right before the relayer schedules; GET /api/proposals/:id
 *   returns all three, each with the treasury's outflow and the grantee's inflow;
 * - a payload whose outflow grows between the vote and scheduling (a payee that raises its claim after
 *   the vote: same code, so the code-hash pin cannot see it) is not scheduled: the execution fails with
 *   `simulation-worse` naming the outflow, and nothing reaches the timelock;
 * - a payload that succeeded when voted and reverts before scheduling is not scheduled either, with the
 *   decoded revert.
 */
import t from 'tap';
import { Interface, type Contract } from 'ethers';
import { latestBlock, startStack, TOKEN, waitFor, type TestStack } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { castVote, GRANT, operationLogs, passGrant, setupTreasury, waitForStatus } from '../helpers/relay-flow.js';
import { deployContract } from '../../scripts/local-chain.js';
import { hashPayload } from '../../core/proposals/payload.js';
import { operationIdFor } from '../../core/executions/operation.js';
import { TIMELOCK_TOPICS } from '../../core/executions/chain.js';
import pg from 'pg';

const stack: TestStack = await startStack({ dao: {} });
const pool = new pg.Pool({ connectionString: stack.db.url, max: 2 });
t.teardown(async () => {
  await pool.end();
  await stack.close();
});
// Stages of 8 s: room for the votes on a loaded machine.
const stages = {
  temperature: { votingType: 'proposal', period: 8, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
  consensus: { votingType: 'basic', period: 8, quorum: { kind: 'supply-fraction', bps: 500 }, passThresholdBps: 6000 },
};
await setupTreasury(stack, stages);
const dao = stack.dao!;
const timelock = dao.addresses.timelock.toLowerCase();
const token = String(stack.token.target).toLowerCase();
await stack.startRelayer();

const erc20 = new Interface(['function approve(address spender, uint256 amount) returns (bool)']);
const claimAbi = new Interface(['function claim()']);

/** Alice proposes `calls` in blocktrack; alice and carol vote For in both stages, bob Against. */
async function propose(title: string, payload: { targets: string[]; values: string[]; calldatas: string[] }): Promise<string> {
  const alice = stack.wallets[1]!;
  const created = await stack.submit(
    await stack.sign(
      alice,
      'Proposal',
      {
        from: alice.address,
        space: 'blocktrack',
        timestamp: nowSeconds(),
        title,
        body: 'b',
        discussion: '',
        choices: ['For', 'Against', 'Abstain'],
        votingType: 'basic',
        snapshot: (await latestBlock(stack)) - 1,
        execution: 'timelock',
        payloadHash: hashPayload(payload),
        idea: '',
        kind: 'default',
      },
      { payload },
    ),
  );
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
  return created.body.id as string;
}

async function vote(ids: string[], stage: 1 | 2): Promise<void> {
  const [, alice, bob, carol] = stack.wallets;
  for (const id of ids) {
    await castVote(stack, id, alice!, stage, '1');
    await castVote(stack, id, bob!, stage, '2');
    await castVote(stack, id, carol!, stage, '1');
  }
}

const proposalOf = async (id: string) => (await stack.get(`/api/proposals/${id}`)).body;

t.test('a grant is simulated at creation, when the consensus check opens and before scheduling, with the balance changes', async (t) => {
  const grant = await passGrant(stack, 'A simulated grant');
  await waitForStatus(pool, grant.id, 'scheduled');
  const proposal = await proposalOf(grant.id);
  t.same(
    proposal.simulations.map((s: { phase: string }) => s.phase),
    ['created', 'consensus', 'schedule'],
    'three simulations, in phase order',
  );
  for (const s of proposal.simulations) {
    t.match(s, { method: 'state-override', ok: true, failedCall: null, error: null, executor: timelock }, `${s.phase}: the whole batch succeeds`);
    t.same(
      s.balanceChanges.map((c: { token: string; account: string; delta: string }) => [c.token, c.account, c.delta]),
      [
        [token, timelock, (-GRANT).toString()],
        [token, grant.grantee.toLowerCase(), GRANT.toString()],
      ],
      `${s.phase}: the treasury pays the grant, the grantee receives it`,
    );
  }
  t.equal(BigInt(proposal.simulations[0].balanceChanges[0].before), 1000n * TOKEN, 'read from the treasury as it was');
  t.equal((await stack.get('/api/proposals?space=blocktrack')).body.items[0].simulations.length, 0, 'lists carry no simulations');
});

t.test('an outflow that grew since the vote, or a batch that reverts now, is not scheduled', async (t) => {
  const owner = stack.wallets[0]!;
  const claims: Contract[] = [];
  for (const amount of [5n * TOKEN, 5n * TOKEN]) claims.push(await deployContract(owner, 'AdjustableClaim', [String(stack.token.target), amount]));
  const payloadFor = (claim: Contract) => ({
    targets: [String(stack.token.target), String(claim.target)],
    values: ['0', '0'],
    calldatas: [erc20.encodeFunctionData('approve', [String(claim.target), 100n * TOKEN]), claimAbi.encodeFunctionData('claim')],
  });
  const grows = await propose('A claim that grows after the vote', payloadFor(claims[0]!));
  const reverts = await propose('A claim that reverts after the vote', payloadFor(claims[1]!));
  await vote([grows, reverts], 1);
  for (const id of [grows, reverts]) await waitFor(async () => (await proposalOf(id)).state === 'consensus', 30_000, 100);
  await vote([grows, reverts], 2);
  await waitFor(async () => (await proposalOf(grows)).simulations.length === 2 && (await proposalOf(reverts)).simulations.length === 2, 10_000, 100);
  for (const id of [grows, reverts]) {
    const voted = (await proposalOf(id)).simulations[1];
    t.match(voted, { phase: 'consensus', ok: true }, 'the batch succeeded when the consensus check opened');
    t.same(
      voted.balanceChanges.filter((c: { account: string }) => c.account === timelock).map((c: { delta: string }) => c.delta),
      [(-5n * TOKEN).toString()],
      'the treasury paid 5 BTK then',
    );
  }
  // After the vote, before scheduling: one payee raises its claim to 50 BTK, the other beyond its allowance.
  await (await (claims[0]!.connect(owner) as Contract).getFunction('setAmount')(50n * TOKEN)).wait();
  await (await (claims[1]!.connect(owner) as Contract).getFunction('setAmount')(500n * TOKEN)).wait();

  const grew = await waitForStatus(pool, grows, 'failed', 40_000);
  t.match(
    grew.reason,
    new RegExp(`^simulation-worse: not scheduled: the executor's outflow of ${token} grew from ${5n * TOKEN} to ${50n * TOKEN} since the vote`),
    grew.reason ?? '',
  );
  const reverted = await waitForStatus(pool, reverts, 'failed', 40_000);
  t.match(reverted.reason, /^simulation-worse: not scheduled: the batch reverts now \(call 1: ERC20InsufficientAllowance\(/, reverted.reason ?? '');
  t.match(reverted.reason, /it succeeded when voted/);

  const space = (await stack.get('/api/spaces/blocktrack')).body;
  for (const id of [grows, reverts]) {
    const proposal = await proposalOf(id);
    t.equal(proposal.executionStatus.status, 'failed', 'operator-visible in the proposal API');
    const operationId = operationIdFor({
      id,
      title: proposal.title,
      executionMode: 'timelock',
      payload: proposal.payload,
      rules: { settings: space.settings },
    });
    t.equal((await operationLogs(stack, TIMELOCK_TOPICS.CallScheduled, operationId)).length, 0, 'nothing was scheduled in the timelock');
    t.same(
      proposal.simulations.map((s: { phase: string }) => s.phase),
      ['created', 'consensus', 'schedule'],
    );
  }
  const schedule = (await proposalOf(grows)).simulations[2];
  t.same(
    schedule.balanceChanges.filter((c: { account: string }) => c.account === timelock).map((c: { delta: string }) => c.delta),
    [(-50n * TOKEN).toString()],
    'the schedule simulation shows the 50 BTK outflow',
  );
  t.match((await proposalOf(reverts)).simulations[2], { ok: false, failedCall: 1, balanceChanges: null, error: /^ERC20InsufficientAllowance\(/ });
  t.equal(await stack.token.getFunction('balanceOf')(dao.addresses.timelock), 1000n * TOKEN, 'nothing left the treasury');
});
