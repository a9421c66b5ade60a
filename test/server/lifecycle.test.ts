/**
 * The whole off-chain story on a real stack: a space, an executable proposal, signed votes through
 * the temperature and consensus checks (delegation, re-votes, a transfer after the snapshot), the
 * timed transitions, the final tallies, the hand-off to the execution queue, and a recomputation
 * of the result from the published signed messages.
 */
import t from 'tap';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Contract, Interface } from 'ethers';
import { createSpace, latestBlock, startStack, TOKEN, waitFor, type TestStack } from '../helpers/stack.js';
import { nowSeconds, proposalMessage } from '../helpers/messages.js';
import { receiptLogProblems } from '../helpers/log-check.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { hashPayload } from '../../core/proposals/payload.js';
import { bullPrefix, executionJobId, QUEUE_NAMES } from '../../core/queues.js';
import { computeTally } from '../../server/tally/tally.js';
import type { TallyVote, VotingType } from '../../core/tally/types.js';

const erc20 = new Interface(['function transfer(address to, uint256 amount) returns (bool)']);

async function vote(stack: TestStack, index: number, proposal: string, stage: number, choice: string, timestamp = nowSeconds()) {
  const wallet = stack.wallets[index]!;
  return stack.submit(
    await stack.sign(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal, stage, timestamp, choice, reason: `voter ${index}` }),
  );
}

async function stateOf(stack: TestStack, id: string): Promise<string> {
  return (await stack.get(`/api/proposals/${id}`)).body.state;
}

t.test('an executable proposal goes through both stages and is queued for execution', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const [admin, alice, , carol, dave, , grantee, latecomer] = stack.wallets as [any, any, any, any, any, any, any, any];

  // dave delegates his 9 tokens to carol before the snapshot: carol votes with 25 + 9.
  await (await (stack.token.connect(dave) as Contract).getFunction('delegate')(carol.address)).wait();

  const space = await createSpace(stack, 'blocktrack', { executor: admin.address });
  t.equal(space.status, 200, JSON.stringify(space.body));
  const info = await stack.get('/api/info');
  const stored = await stack.get(`/api/messages/${space.body.id}`);
  t.same(receiptLogProblems(space.body, stored.body.signature, info.body.receiptSigner), [], 'the receipt (signed tree head, inclusion proof) checks out');

  await mineBlocks(stack.chain.provider, 1);
  const snapshot = (await latestBlock(stack)) - 1;
  const payload = { targets: [stack.token.target as string], values: ['0'], calldatas: [erc20.encodeFunctionData('transfer', [grantee.address, 5n * TOKEN])] };
  const proposalEnvelope = await stack.sign(
    alice,
    'Proposal',
    {
      from: alice.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      title: 'Grant 5 BTK to the education sub-DAO',
      body: 'Fund course material.',
      discussion: 'https://discord.com/channels/1/2/3',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot,
      execution: 'timelock',
      payloadHash: hashPayload(payload),
      idea: '',
      kind: 'default',
    },
    { payload },
  );
  const created = await stack.submit(proposalEnvelope);
  t.equal(created.status, 200, JSON.stringify(created.body));
  const id: string = created.body.id;
  const proposal = (await stack.get(`/api/proposals/${id}`)).body;
  t.equal(proposal.state, 'temperature');
  t.same(
    proposal.targetCodeHashes.map((h: any) => h.target),
    [String(stack.token.target).toLowerCase()],
    'target code hash recorded',
  );
  t.match(proposal.targetCodeHashes[0].codeHash, /^0x[0-9a-f]{64}$/);

  // Tokens moved after the snapshot never count.
  await (await (stack.token.connect(alice) as Contract).getFunction('transfer')(latecomer.address, 10n * TOKEN)).wait();
  await (await (stack.token.connect(latecomer) as Contract).getFunction('delegate')(latecomer.address)).wait();
  const late = await vote(stack, 7, id, 1, '1');
  t.equal(late.status, 400);
  t.equal(late.body.code, 'ZERO_POWER');
  t.equal((await stack.get(`/api/proposals/${id}/power/${alice.address}`)).body.power, (100n * TOKEN).toString(), 'alice keeps her snapshot power');

  // Temperature check: bob first votes Against, then changes his mind with a newer vote.
  const t0 = nowSeconds();
  t.equal((await vote(stack, 1, id, 1, '1', t0)).status, 200);
  t.equal((await vote(stack, 2, id, 1, '2', t0)).status, 200);
  t.equal((await vote(stack, 3, id, 1, '1', t0)).status, 200);
  t.equal((await vote(stack, 2, id, 1, '1', t0 + 1)).status, 200, 'a newer vote replaces the older one');
  const stale = await vote(stack, 2, id, 1, '3', t0 - 1);
  t.equal(stale.status, 409);
  t.equal(stale.body.code, 'STALE_VOTE');
  const early = await vote(stack, 1, id, 2, '1');
  t.equal(early.body.code, 'STAGE_CLOSED', 'consensus votes are refused during the temperature check');

  const live = await stack.get(`/api/proposals/${id}/tally?stage=1`);
  t.same(live.body.tally.scores, [(184n * TOKEN).toString(), '0', '0'], 'live tally: alice 100 + bob 50 + carol 25 + dave 9 (delegated)');
  t.equal(live.body.final, false);

  await waitFor(async () => (await stateOf(stack, id)) === 'consensus');
  const afterTemperature = (await stack.get(`/api/proposals/${id}`)).body;
  t.equal(afterTemperature.results[0].passed, true);
  t.equal(afterTemperature.results[0].voterCount, 3);
  t.equal(afterTemperature.results[0].scores[0], (184n * TOKEN).toString());

  const t1 = nowSeconds();
  t.equal((await vote(stack, 1, id, 2, '1', t1)).status, 200);
  t.equal((await vote(stack, 2, id, 2, '2', t1)).status, 200);
  t.equal((await vote(stack, 3, id, 2, '1', t1)).status, 200);
  const lateTemperature = await vote(stack, 1, id, 1, '2', t1 + 1);
  t.equal(lateTemperature.body.code, 'STAGE_CLOSED', 'temperature votes are refused once it closed');

  await waitFor(async () => (await stateOf(stack, id)) === 'queued');
  const final = (await stack.get(`/api/proposals/${id}`)).body;
  const consensus = final.results[1];
  t.same(consensus.scores, [(134n * TOKEN).toString(), (50n * TOKEN).toString(), '0']);
  t.equal(consensus.quorum, ((184n * TOKEN) / 10n).toString(), 'quorum: 10% of the supply at the snapshot');
  t.equal(consensus.quorumReached, true);
  t.equal(consensus.passed, true, '134 / 184 = 72.8% > 60%');
  t.equal(final.executionStatus.status, 'queued');

  // Timed transitions are made by their timer, or by the sweeper if it gets there first.
  const history = (await stack.get(`/api/proposals/${id}/history`)).body.items;
  t.same(
    history.map((h: any) => [h.from, h.to, h.cause === 'sweep' ? 'schedule' : h.cause]),
    [
      [null, 'temperature', 'created'],
      ['temperature', 'consensus', 'schedule'],
      ['consensus', 'queued', 'schedule'],
    ],
  );

  const connection = new Redis(stack.config.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_NAMES.execution, { connection, prefix: bullPrefix(stack.config.REDIS_PREFIX) });
  const job = await queue.getJob(executionJobId(id));
  t.same(job?.data, { proposalId: id }, 'the relayer finds the proposal on the execution queue');
  await queue.close();
  await connection.quit();

  // Anyone can recompute the result from the published signed messages and powers.
  const messages: any[] = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page: any = (await stack.get(`/api/proposals/${id}/messages?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).body;
    messages.push(...page.items);
    cursor = page.nextCursor;
  }
  t.equal(messages.filter((m) => m.type === 'Vote').length, 7, 'every accepted vote is published, replaced ones included');
  for (const stage of [1, 2]) {
    const latest = new Map<string, any>();
    for (const m of messages.filter((m) => m.type === 'Vote' && m.envelope.data.message.stage === stage)) {
      const previous = latest.get(m.from);
      if (!previous || Number(m.envelope.data.message.timestamp) > Number(previous.envelope.data.message.timestamp)) latest.set(m.from, m);
    }
    const votes: TallyVote[] = [];
    for (const [voter, m] of latest) {
      const power = (await stack.get(`/api/proposals/${id}/power/${voter}`)).body;
      votes.push({ voter, choice: JSON.parse(m.envelope.data.message.choice), power: BigInt(power.power), powerByStrategy: power.byStrategy.map(BigInt) });
    }
    const stored = final.results[stage - 1];
    const recomputed = computeTally(stored.votingType as VotingType, stored.choices, votes, 1);
    t.same(recomputed.scores.map(String), stored.scores, `stage ${stage} recomputes exactly`);
    t.equal(recomputed.totalPower.toString(), stored.totalPower);
  }
});

t.test('a proposal that misses quorum is defeated; moderators cancel; advance by the author', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const [, alice, bob, , , moderator] = stack.wallets as any[];
  t.equal(
    (
      await createSpace(stack, 'blocktrack', {
        advance: 'author',
        temperature: { votingType: 'proposal', period: 5, quorum: { kind: 'absolute', power: (60n * TOKEN).toString() }, passThresholdBps: 5000 },
      })
    ).status,
    200,
  );
  await mineBlocks(stack.chain.provider, 1);
  const snapshot = (await latestBlock(stack)) - 1;
  const propose = async (title: string) => {
    const r = await stack.submit(await stack.sign(alice, 'Proposal', proposalMessage(alice, 'blocktrack', snapshot, { title })));
    t.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.id as string;
  };
  const lowTurnout = await propose('Low turnout');
  const cancelled = await propose('Cancelled by a moderator');
  const advanced = await propose('Advanced by the author');

  t.equal((await vote(stack, 2, lowTurnout, 1, '1')).status, 200, 'bob alone (50) is below the quorum of 60');
  t.equal((await vote(stack, 1, advanced, 1, '2')).status, 200);

  const cancel = async (index: number) =>
    stack.submit(
      await stack.sign(stack.wallets[index]!, 'CancelProposal', {
        from: stack.wallets[index]!.address,
        space: 'blocktrack',
        proposal: cancelled,
        timestamp: nowSeconds(),
      }),
    );
  t.equal((await cancel(2)).body.code, 'NOT_ALLOWED_TO_CANCEL', 'a stranger cannot cancel');
  t.equal((await cancel(5)).status, 200, `moderator ${moderator.address} cancels`);
  t.equal(await stateOf(stack, cancelled), 'cancelled');
  t.equal((await vote(stack, 1, cancelled, 1, '1')).body.code, 'STAGE_CLOSED');

  await waitFor(async () => (await stateOf(stack, lowTurnout)) === 'defeated');
  const defeated = (await stack.get(`/api/proposals/${lowTurnout}`)).body.results[0];
  t.equal(defeated.quorumReached, false);
  t.equal(defeated.outcome, 'defeated:no-quorum');

  await waitFor(async () => (await stateOf(stack, advanced)) === 'awaiting-advance');
  const advance = async (index: number) =>
    stack.submit(
      await stack.sign(stack.wallets[index]!, 'AdvanceProposal', {
        from: stack.wallets[index]!.address,
        space: 'blocktrack',
        proposal: advanced,
        timestamp: nowSeconds(),
      }),
    );
  t.equal((await advance(2)).body.code, 'NOT_AUTHOR');
  t.equal((await advance(1)).status, 200);
  t.equal(await stateOf(stack, advanced), 'consensus');
  const history = (await stack.get(`/api/proposals/${advanced}/history`)).body.items;
  t.same(history.at(-1), { ...history.at(-1), from: 'awaiting-advance', to: 'consensus', cause: 'message' });
  void bob;
});
