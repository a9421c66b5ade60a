/**
 * Off-chain delegation across two server instances on the same database and Redis: a Delegate
 * accepted on A counts for a vote cast on B; the live tallies of both instances equal a recount of
 * the database after every step; overriding votes and a delegate's vote sent at the same moment to
 * both instances, and an Undelegate racing the proposal's creation on the other instance, end with
 * the same power and tally on both.
 */
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import type { Wallet } from 'ethers';
import { mineBlocks } from '../../scripts/local-chain.js';
import { TOKEN, createProposal, createSpace, startStack, waitFor, type TestStack } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import type { TestContext } from '../helpers/eip712.js';
import { findProposal } from '../../core/proposals/repository.js';
import { tallyStage, tallyToJson } from '../../server/votes/stage-tally.js';

// Re-seeds every second: an instance counts the other's votes at its next re-seed (server/votes/live-tally.ts).
const stack: TestStack = await startStack({
  holders: { 1: 100n * TOKEN, 2: 50n * TOKEN, 3: 25n * TOKEN, 4: 9n * TOKEN },
  config: { TALLY_RESEED_INTERVAL_MS: 1000 },
});
t.teardown(() => stack.close());
const w = stack.wallets as Wallet[];
const a = stack.app;
const b = await stack.startApp();
const pool = a.db.pool;

let clock = nowSeconds() - 900;
const tick = () => ++clock;
const STAGE = { votingType: 'proposal', period: 900, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 };
const hundredths = (s: string) => BigInt(s) / (TOKEN / 100n);

async function delegateOn(app: FastifyInstance, i: number, to: number, bps: number) {
  const envelope = await stack.sign(w[i]!, 'Delegate', {
    from: w[i]!.address,
    space: 'blocktrack',
    timestamp: tick(),
    expiry: 0,
    delegates: [w[to]!.address],
    shares: [bps],
  });
  return stack.submit(envelope, app);
}

let voteClock = nowSeconds();
async function voteOn(app: FastifyInstance, proposalId: string, i: number, choice: number) {
  const envelope = await stack.sign(w[i]!, 'Vote', {
    from: w[i]!.address,
    space: 'blocktrack',
    proposal: proposalId,
    stage: 1,
    timestamp: ++voteClock,
    choice: String(choice),
    reason: '',
  });
  return stack.submit(envelope, app);
}

/**
 * Scores in hundredths of a token, once the tally each instance serves (its live tally, or a recount
 * when it holds none of this stage) equals a recount of the database.
 */
async function scores(t: TestContext, proposalId: string) {
  const proposal = (await findProposal(pool, proposalId))!;
  const final = tallyToJson(await tallyStage(pool, proposal, 1));
  for (const [name, app] of [
    ['A', a],
    ['B', b],
  ] as const) {
    const served = await waitFor(async () => {
      const { body } = await stack.get(`/api/proposals/${proposalId}/tally?stage=1`, app);
      return JSON.stringify(body.tally) === JSON.stringify(final) && body.tally;
    });
    t.same(served, final, `instance ${name}: the live tally equals a recount of the database`);
  }
  return final.scores.map(hundredths);
}

t.test('a Delegate accepted on A counts for a vote on B; both live tallies equal a recount', async (t) => {
  t.equal((await createSpace(stack, 'blocktrack', { delegation: 'offchain', temperature: STAGE })).status, 200);
  // #3 (25) lends all to #6 on A; #1 (100) lends 30 % to #6 on B.
  t.equal((await delegateOn(a, 3, 6, 10_000)).status, 200);
  t.equal((await delegateOn(b, 1, 6, 3000)).status, 200);
  await mineBlocks(stack.chain.provider, 2);
  const proposalId = await createProposal(stack, 'two instances', { app: a });

  for (const app of [a, b]) {
    const six = (await stack.get(`/api/proposals/${proposalId}/power/${w[6]!.address}`, app)).body;
    t.equal(six.receivedTotal.total, (55n * TOKEN).toString(), '#6 receives 25 + 30 on either instance');
  }
  t.equal((await voteOn(b, proposalId, 6, 1)).status, 200, '#6 votes on B with power delegated on A and B');
  t.same(await scores(t, proposalId), [5500n, 0n, 0n]);

  // At the same moment: #3 overrides on B, #1 overrides on A, #6 changes its vote on A and #2 votes on B.
  const answers = await Promise.all([voteOn(b, proposalId, 3, 2), voteOn(a, proposalId, 1, 3), voteOn(a, proposalId, 6, 2), voteOn(b, proposalId, 2, 1)]);
  t.same(
    answers.map((r) => r.status),
    [200, 200, 200, 200],
  );
  // #6 keeps nothing (its delegators voted); #3 Against 25, #1 Abstain 100, #2 For 50.
  t.same(await scores(t, proposalId), [5000n, 2500n, 10_000n], 'the overrides took their shares out, whichever instance counted them');
});

t.test('an Undelegate racing the creation of a proposal on the other instance: both instances agree', async (t) => {
  // #4 (9) lends all to #7; then undelegates on B while a proposal is created on A.
  t.equal((await delegateOn(a, 4, 7, 10_000)).status, 200);
  await mineBlocks(stack.chain.provider, 2);
  const undelegate = await stack.sign(w[4]!, 'Undelegate', { from: w[4]!.address, space: 'blocktrack', timestamp: nowSeconds() });
  const [undelegated, proposalId] = await Promise.all([
    // A refusal here is the documented DELEGATION_RACE (retryable): it arrived before the proposal and committed after.
    stack.submit(undelegate, b),
    createProposal(stack, 'race', { app: a }),
  ]);
  t.ok(undelegated.status === 200 || undelegated.body.code === 'DELEGATION_RACE', `Undelegate: ${undelegated.status} ${undelegated.body.code ?? ''}`);
  const received = await Promise.all(
    [a, b].map(async (app) => (await stack.get(`/api/proposals/${proposalId}/power/${w[7]!.address}`, app)).body.receivedTotal.total),
  );
  t.equal(received[0], received[1], `#7 receives the same on A and B (${received[0]})`);
  t.ok(received[0] === '0' || received[0] === (9n * TOKEN).toString(), 'either the delegation or the undelegation, never a mix');

  // Whatever the race decided, #7's vote (B) and #4's override (A) tally the same on both instances.
  const seven = await voteOn(b, proposalId, 7, 1);
  if (received[0] === '0') t.equal(seven.body.code, 'ZERO_POWER', '#7 has no power without the delegation');
  else t.equal(seven.status, 200);
  t.equal((await voteOn(a, proposalId, 4, 2)).status, 200);
  t.same(await scores(t, proposalId), [0n, 900n, 0n], "#4's 9 count Against, on both instances");
});
