/**
 * Transitions are durable: with the server stopped across a stage's deadline, or restarted in the
 * middle of a stage, the stage still closes on time and counts every acknowledged vote, without
 * any request arriving.
 */
import t from 'tap';
import pg from 'pg';
import { createSpace, latestBlock, startStack, TOKEN, waitFor, type TestStack } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';

async function propose(stack: TestStack, title: string): Promise<string> {
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
      kind: 'default',
    }),
  );
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return r.body.id;
}

t.test('a stage closes on time across a restart, with no request arriving', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  // No sweeper ticks during the test (the first runs at start): the timers must do the work.
  t.equal(
    (
      await createSpace(stack, 'blocktrack', {
        temperature: { votingType: 'proposal', period: 4, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
        consensus: { votingType: 'basic', period: 600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
      })
    ).status,
    200,
  );
  await mineBlocks(stack.chain.provider, 1);
  const midStage = await propose(stack, 'Restarted in the middle of the stage');
  const acrossDeadline = await propose(stack, 'Server down across the deadline');
  for (const id of [midStage, acrossDeadline]) {
    const bob = stack.wallets[2]!;
    const r = await stack.submit(
      await stack.sign(bob, 'Vote', { from: bob.address, space: 'blocktrack', proposal: id, stage: 1, timestamp: nowSeconds(), choice: '1', reason: '' }),
    );
    t.equal(r.status, 200);
  }

  // Stop the server in the middle of the temperature check.
  await stack.app.close();
  const db = new pg.Client({ connectionString: stack.db.url });
  await db.connect();
  t.teardown(() => db.end());
  const state = async (id: string) => (await db.query('SELECT state FROM proposals WHERE id = $1', [id])).rows[0].state as string;

  // Wait past the deadline with no server running: nothing may change.
  await new Promise((r) => setTimeout(r, 4500));
  t.equal(await state(acrossDeadline), 'temperature', 'nothing moves while no server runs');

  // A new instance (long sweep interval: only its start-up sweep and the BullMQ timers act).
  await stack.startApp({ LIFECYCLE_SWEEP_INTERVAL_MS: 3_600_000 });
  for (const id of [midStage, acrossDeadline]) {
    await waitFor(async () => (await state(id)) === 'consensus', 15_000);
    const result = await db.query('SELECT scores, voter_count, passed FROM stage_results WHERE proposal_id = $1 AND stage = 1', [id]);
    t.same(result.rows[0], { scores: [(50n * TOKEN).toString(), '0', '0'], voter_count: 1, passed: true }, 'the vote taken before the restart counts');
    const transitions = await db.query('SELECT from_state, to_state, cause FROM proposal_transitions WHERE proposal_id = $1 ORDER BY id', [id]);
    t.equal(transitions.rows.length, 2);
    t.match(transitions.rows[1], { from_state: 'temperature', to_state: 'consensus' });
    t.ok(['schedule', 'sweep'].includes(transitions.rows[1].cause), `closed by ${transitions.rows[1].cause}`);
  }
});

t.test('a timer restarted mid-stage fires on time (BullMQ delayed job survives the restart)', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  t.equal(
    (
      await createSpace(stack, 'blocktrack', {
        temperature: { votingType: 'proposal', period: 5, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
        consensus: { votingType: 'basic', period: 600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
      })
    ).status,
    200,
  );
  await mineBlocks(stack.chain.provider, 1);
  const id = await propose(stack, 'Timer survives');
  const bob = stack.wallets[2]!;
  t.equal(
    (
      await stack.submit(
        await stack.sign(bob, 'Vote', { from: bob.address, space: 'blocktrack', proposal: id, stage: 1, timestamp: nowSeconds(), choice: '1', reason: '' }),
      )
    ).status,
    200,
  );
  await stack.app.close();
  // Restart at once, with no sweeper after start-up: only the stored delayed job can close the stage.
  const restarted = await stack.startApp({ LIFECYCLE_SWEEP_INTERVAL_MS: 3_600_000 });
  const db = new pg.Client({ connectionString: stack.db.url });
  await db.connect();
  t.teardown(() => db.end());
  const end: Date = (await db.query('SELECT temperature_end FROM proposals WHERE id = $1', [id])).rows[0].temperature_end;
  await waitFor(async () => (await db.query('SELECT state FROM proposals WHERE id = $1', [id])).rows[0].state === 'consensus', 15_000, 50);
  const transition = (await db.query("SELECT at, cause FROM proposal_transitions WHERE proposal_id = $1 AND to_state = 'consensus'", [id])).rows[0];
  t.equal(transition.cause, 'schedule', 'the delayed job fired');
  const lateness = transition.at.getTime() - end.getTime();
  t.ok(lateness >= 0 && lateness < 2000, `closed ${lateness} ms after the deadline`);
  void restarted;
});
