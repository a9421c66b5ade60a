/**
 * Live results: WebSocket subscribers see tally updates (coalesced) and lifecycle events, and a
 * subscriber on one server instance sees votes that landed on another (Redis pub/sub).
 */
import t from 'tap';
import { createSpace, latestBlock, startStack, TOKEN } from '../helpers/stack.js';
import { connectWs as connect } from '../helpers/ws-client.js';
import { nowSeconds } from '../helpers/messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';

t.test('tally updates and lifecycle events reach subscribers on every instance', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const instanceA = stack.app;
  const instanceB = await stack.startApp();
  await instanceA.listen({ port: 0, host: '127.0.0.1' });
  await instanceB.listen({ port: 0, host: '127.0.0.1' });

  t.equal(
    (
      await createSpace(stack, 'blocktrack', {
        temperature: { votingType: 'proposal', period: 600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
      })
    ).status,
    200,
  );
  await mineBlocks(stack.chain.provider, 1);
  const alice = stack.wallets[1]!;
  const created = await stack.submit(
    await stack.sign(alice, 'Proposal', {
      from: alice.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      title: 'Colour of the logo',
      body: '',
      discussion: '',
      choices: ['Blue', 'Green'],
      votingType: 'single-choice',
      snapshot: (await latestBlock(stack)) - 1,
      execution: '',
      payloadHash: ZERO_HASH,
      idea: '',
      kind: 'default',
    }),
  );
  t.equal(created.status, 200);
  const proposal: string = created.body.id;

  const onB = await connect(instanceB);
  const spaceWatcher = await connect(instanceA);
  t.teardown(() => {
    onB.socket.close();
    spaceWatcher.socket.close();
  });
  onB.send({ type: 'subscribe', proposal });
  spaceWatcher.send({ type: 'subscribe', space: 'blocktrack' });
  await onB.next((m) => m.type === 'subscribed' && m.topic === `proposal:${proposal}`);
  await spaceWatcher.next((m) => m.type === 'subscribed');

  // A burst of 16 votes and re-votes lands on instance A within a few hundred milliseconds.
  const t0 = nowSeconds();
  for (let round = 0; round < 4; round++) {
    await Promise.all(
      [1, 2, 3, 4].map(async (index) => {
        const wallet = stack.wallets[index]!;
        const choice = round === 3 && index === 2 ? '2' : '1';
        const r = await stack.submit(
          await stack.sign(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal, stage: 1, timestamp: t0 + round, choice, reason: '' }),
          instanceA,
        );
        t.equal(r.status, 200, JSON.stringify(r.body));
      }),
    );
  }
  const expected = [(134n * TOKEN).toString(), (50n * TOKEN).toString()];
  const final = await onB.next((m) => m.type === 'tally' && m.tally.scores[0] === expected[0] && m.tally.scores[1] === expected[1]);
  t.equal(final.proposalId, proposal);
  t.equal(final.stage, 1);
  t.equal(final.tally.voterCount, 4);
  const tallies = onB.messages.filter((m) => m.type === 'tally');
  t.ok(tallies.length >= 1 && tallies.length <= 6, `16 votes were coalesced into ${tallies.length} tally messages`);
  await spaceWatcher.next((m) => m.type === 'tally' && m.tally.scores[1] === expected[1]);

  // A lifecycle event caused on instance B reaches the space subscriber on instance A.
  const cancel = await stack.submit(
    await stack.sign(alice, 'CancelProposal', { from: alice.address, space: 'blocktrack', proposal, timestamp: nowSeconds() }),
    instanceB,
  );
  t.equal(cancel.status, 200);
  const event = await spaceWatcher.next((m) => m.type === 'lifecycle');
  t.match(event, { proposalId: proposal, spaceId: 'blocktrack', from: 'temperature', to: 'cancelled', cause: 'message' });

  onB.send({ type: 'unsubscribe', proposal });
  await onB.next((m) => m.type === 'unsubscribed');
  onB.send({ type: 'ping' });
  await onB.next((m) => m.type === 'pong');
});
