/**
 * Late-quorum extension (issue 18 item 3): a stage that first reaches quorum less than
 * `lateQuorumExtension` before its end closes that long after the moment quorum was reached, once;
 * the move is a lifecycle transition with its cause, pushed over the WebSocket, decided from the
 * committed votes, and the extended end survives a server restart. A quorum reached in time moves
 * nothing.
 */
import t from 'tap';
import pg from 'pg';
import { createSpace, latestBlock, startStack, TOKEN, waitFor, type TestStack } from '../helpers/stack.js';
import { connectWs } from '../helpers/ws-client.js';
import { nowSeconds } from '../helpers/messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import type { FastifyInstance } from 'fastify';

const EXTENSION = 15;

async function propose(stack: TestStack, title: string, kind: string): Promise<string> {
  const alice = stack.wallets[1]!;
  const r = await stack.submit(
    await stack.sign(alice, 'Proposal', {
      from: alice.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      title,
      body: '',
      discussion: '',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot: (await latestBlock(stack)) - 1,
      execution: '',
      payloadHash: ZERO_HASH,
      idea: '',
      kind,
    }),
  );
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return r.body.id;
}

async function vote(stack: TestStack, index: number, proposal: string, app?: FastifyInstance) {
  const wallet = stack.wallets[index]!;
  return stack.submit(
    await stack.sign(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal, stage: 1, timestamp: nowSeconds(), choice: '1', reason: '' }),
    app,
  );
}

t.test('a late quorum extends the stage once, from the committed votes, across a restart', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const quorum = { kind: 'absolute', power: (60n * TOKEN).toString() };
  const created = await createSpace(stack, 'blocktrack', {
    // 10 s is shorter than the extension, so any quorum in this stage is late.
    temperature: { votingType: 'basic', period: 10, quorum, passThresholdBps: 5000 },
    consensus: { votingType: 'basic', period: 600, quorum, passThresholdBps: 5000 },
    lateQuorumExtension: EXTENSION,
    kinds: {
      default: {},
      // Quorum reached at once is 11 s before this kind's end, more than its 5 s extension: in time.
      slow: { temperature: { votingType: 'basic', period: 16, quorum, passThresholdBps: 5000 }, lateQuorumExtension: 5 },
    },
  });
  t.equal(created.status, 200, JSON.stringify(created.body));
  await mineBlocks(stack.chain.provider, 1);

  await stack.app.listen({ port: 0, host: '127.0.0.1' });
  const ws = await connectWs(stack.app);
  t.teardown(() => ws.close());

  const late = await propose(stack, 'Quorum comes late', 'default');
  const inTime = await propose(stack, 'Quorum comes in time', 'slow');
  ws.send({ type: 'subscribe', proposal: late });
  await ws.next((m) => m.type === 'subscribed');

  const rules = (await stack.get(`/api/proposals/${late}/rules`)).body;
  t.equal(rules.lateQuorumExtension, EXTENSION, 'the rules show the extension');
  t.equal((await stack.get(`/api/proposals/${inTime}/rules`)).body.lateQuorumExtension, 5, "a kind's own extension");
  const originalEnd = new Date(rules.stages[0].end);

  // Bob (50 BTK) is below the quorum; once this instance's live tally holds his vote, Alice's 100 BTK reach it.
  t.equal((await vote(stack, 2, late)).status, 200);
  await waitFor(async () => stack.app.gov.liveTally.countedPower(late, 1) === 50n * TOKEN);
  const aliceVote = await vote(stack, 1, late);
  t.equal(aliceVote.status, 200);
  t.equal((await vote(stack, 1, inTime)).status, 200);

  const history = async (id: string, app?: FastifyInstance) => (await stack.get(`/api/proposals/${id}/history`, app)).body.items as any[];
  const extension = await waitFor(async () => (await history(late)).find((h) => h.cause === 'late-quorum'));
  const aliceAt = new Date((await stack.get(`/api/proposals/${late}/votes/${stack.wallets[1]!.address}`)).body.items[0].receivedAt);
  const extendedEnd = new Date(aliceAt.getTime() + EXTENSION * 1000);
  t.match(extension, { from: 'temperature', to: 'temperature', cause: 'late-quorum' }, 'recorded as a transition with its cause');
  t.match(extension.detail, {
    stage: 1,
    previousEnd: originalEnd.toISOString(),
    end: extendedEnd.toISOString(),
    quorumReachedAt: aliceAt.toISOString(),
    extension: EXTENSION,
    quorum: (60n * TOKEN).toString(),
  });
  t.ok(extendedEnd > originalEnd, 'the end moved later');
  t.equal((await stack.get(`/api/proposals/${late}`)).body.temperature.end, extendedEnd.toISOString(), 'the proposal shows the new end');
  const pushed = await ws.next((m) => m.type === 'lifecycle' && m.cause === 'late-quorum');
  t.match(pushed, { proposalId: late, from: 'temperature', to: 'temperature', detail: { end: extendedEnd.toISOString() } }, 'pushed over the WebSocket');

  // Restart: a new instance reads the moved end back, and votes are taken until then.
  ws.close();
  await stack.app.close();
  const restarted = await stack.startApp();
  await new Promise((r) => setTimeout(r, Math.max(0, originalEnd.getTime() + 300 - Date.now())));
  const afterRestart = (await stack.get(`/api/proposals/${late}`, restarted)).body;
  t.equal(afterRestart.temperature.end, extendedEnd.toISOString(), 'the extended end survives the restart');
  t.equal(afterRestart.state, 'temperature', 'still open after its original end');
  const carol = await vote(stack, 3, late, restarted);
  t.equal(carol.status, 200, `a vote after the original end counts: ${JSON.stringify(carol.body)}`);

  const db = new pg.Client({ connectionString: stack.db.url });
  await db.connect();
  t.teardown(() => db.end());
  await waitFor(async () => (await db.query('SELECT state FROM proposals WHERE id = $1', [late])).rows[0].state === 'consensus', 30_000);
  const transitions = await history(late, restarted);
  t.equal(transitions.filter((h) => h.cause === 'late-quorum').length, 1, 'extended once');
  const close = transitions.find((h) => h.from === 'temperature' && h.to === 'consensus');
  t.ok(new Date(close.at) >= extendedEnd, 'closed at the extended end, not the original one');
  const result = (await db.query('SELECT voter_count FROM stage_results WHERE proposal_id = $1 AND stage = 1', [late])).rows[0];
  t.equal(result.voter_count, 3, "the vote taken in the extension is in the stage's result");

  // Quorum reached 11 s before the end with a 5 s extension: nothing moves.
  await waitFor(async () => (await db.query('SELECT state FROM proposals WHERE id = $1', [inTime])).rows[0].state === 'consensus', 30_000);
  const inTimeHistory = await history(inTime, restarted);
  t.equal(inTimeHistory.filter((h) => h.cause === 'late-quorum').length, 0, 'a quorum reached in time extends nothing');
});
