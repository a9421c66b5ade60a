/**
 * Incremental live tallies: the in-memory count equals a database recount after every round of
 * concurrent votes and re-votes, also when re-seeds from the database run in the middle of them;
 * and the snapshot arithmetic that decides which votes a seed already holds agrees with PostgreSQL.
 * With two instances, each converges to the recount after the last vote, whichever instance took it.
 */
import t from 'tap';
import pg from 'pg';
import { startStack, createSpace, latestBlock, waitFor, TOKEN, type TestStack } from '../helpers/stack.js';
import { connectWs } from '../helpers/ws-client.js';
import { nowSeconds } from '../helpers/messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import { findProposal } from '../../core/proposals/repository.js';
import { tallyStage, tallyToJson } from '../../server/votes/stage-tally.js';
import { parsePgSnapshot, snapshotContains } from '../../server/votes/live-tally.js';

const VOTERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

t.test('which committed transactions a snapshot contains, as PostgreSQL sees it', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const pool = new pg.Pool({ connectionString: stack.config.DATABASE_URL, max: 4 });
  t.teardown(() => pool.end());
  const [early, late, reader, after] = await Promise.all([pool.connect(), pool.connect(), pool.connect(), pool.connect()]);
  t.teardown(() => [early, late, reader, after].forEach((c) => c.release()));
  const xidOf = async (client: pg.PoolClient) => BigInt((await client.query('SELECT pg_current_xact_id()::text AS x')).rows[0].x);

  await early.query('BEGIN');
  const earlyXid = await xidOf(early);
  await early.query('COMMIT');
  await late.query('BEGIN');
  const lateXid = await xidOf(late); // in progress when the snapshot is taken, committed after
  await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  const snapshot = parsePgSnapshot((await reader.query('SELECT pg_current_snapshot()::text AS s')).rows[0].s);
  await late.query('COMMIT');
  await after.query('BEGIN');
  const afterXid = await xidOf(after); // started after the snapshot
  await after.query('COMMIT');

  const visible = async (xid: bigint) =>
    (await reader.query('SELECT pg_visible_in_snapshot($1::text::xid8, pg_current_snapshot()) AS v', [xid.toString()])).rows[0].v as boolean;
  for (const [name, xid, expected] of [
    ['committed before', earlyXid, true],
    ['in progress at', lateXid, false],
    ['started after', afterXid, false],
  ] as const) {
    t.equal(snapshotContains(snapshot, xid), expected, `a transaction ${name} the snapshot`);
    t.equal(await visible(xid), expected, `PostgreSQL agrees for the transaction ${name} the snapshot`);
  }
  await reader.query('COMMIT');
  t.same(parsePgSnapshot('10:20:12,15'), { xmin: 10n, xmax: 20n, inProgress: new Set([12n, 15n]) });
});

async function openProposal(stack: TestStack, settings: Record<string, unknown> = {}) {
  t.equal((await createSpace(stack, 'blocktrack', settings)).status, 200);
  await mineBlocks(stack.chain.provider, 1);
  const author = stack.wallets[1]!;
  const created = await stack.submit(
    await stack.sign(author, 'Proposal', {
      from: author.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      title: 'Live',
      body: 'b',
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
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
  return created.body.id as string;
}

t.test('the live count equals a recount after concurrent votes, re-votes and re-seeds', async (t) => {
  const holders = Object.fromEntries(VOTERS.map((i) => [i, BigInt(i) * 7n * TOKEN + BigInt(i)]));
  const stack = await startStack({ holders, config: { TALLY_RESEED_INTERVAL_MS: 1000 } });
  t.teardown(() => stack.close());
  await stack.app.listen({ port: 0, host: '127.0.0.1' });
  const proposalId = await openProposal(stack);
  const subscriber = await connectWs(stack.app);
  t.teardown(() => subscriber.close());
  subscriber.send({ type: 'subscribe', proposal: proposalId });
  await subscriber.next((m) => m.type === 'subscribed');

  const pool = new pg.Pool({ connectionString: stack.config.DATABASE_URL, max: 2 });
  t.teardown(() => pool.end());
  const proposal = (await findProposal(pool, proposalId))!;
  const live = stack.app.gov.liveTally;
  const t0 = nowSeconds() - 30;

  for (let round = 0; round < 6; round++) {
    // Voters re-vote with a newer timestamp each round; some skip a round; a re-seed runs meanwhile.
    const envelopes = await Promise.all(
      VOTERS.filter((i) => (i + round) % 4 !== 0).map((i) => {
        const wallet = stack.wallets[i]!;
        return stack.sign(wallet, 'Vote', {
          from: wallet.address,
          space: 'blocktrack',
          proposal: proposalId,
          stage: 1,
          timestamp: t0 + round,
          choice: String(1 + ((i * 5 + round) % 3)),
          reason: '',
        });
      }),
    );
    const submitted = Promise.all(envelopes.map((e) => stack.submit(e)));
    const resyncs = [live.resync(proposalId, 1), new Promise((r) => setTimeout(r, 2)).then(() => live.resync(proposalId, 1))];
    const responses = await submitted;
    await Promise.all(resyncs);
    t.ok(
      responses.every((r) => r.status === 200),
      `round ${round}: all accepted ${JSON.stringify(responses.filter((r) => r.status !== 200).map((r) => r.body))}`,
    );
    const recount = tallyToJson(await tallyStage(pool, proposal, 1));
    t.same(live.current(proposalId, 1), recount, `round ${round}: the live count equals the recount`);
  }

  const recount = tallyToJson(await tallyStage(pool, proposal, 1));
  const update = await subscriber.next((m) => m.type === 'tally' && JSON.stringify(m.tally) === JSON.stringify(recount));
  t.equal(update.stage, 1);
  t.ok(Number.isInteger(update.at) && update.at <= Date.now(), 'the update says when it was taken');
  const over = await stack.get(`/api/proposals/${proposalId}/tally?stage=1`);
  t.same(over.body.tally, recount, 'the tally endpoint serves the live count');
});

t.test('every instance converges to the recount after the last vote, whichever instance took the votes', async (t) => {
  const holders = Object.fromEntries(VOTERS.map((i) => [i, BigInt(i) * 7n * TOKEN + BigInt(i)]));
  const reseedMs = 1000;
  const stack = await startStack({ holders, config: { TALLY_RESEED_INTERVAL_MS: reseedMs } });
  t.teardown(() => stack.close());
  const instanceA = stack.app;
  const instanceB = await stack.startApp();
  await instanceA.listen({ port: 0, host: '127.0.0.1' });
  await instanceB.listen({ port: 0, host: '127.0.0.1' });
  // Stage 1 stays open for the whole test: a closed stage's tally is its stored recount, not the live one.
  const proposalId = await openProposal(stack, {
    temperature: { votingType: 'proposal', period: 600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
  });
  const onA = await connectWs(instanceA);
  const onB = await connectWs(instanceB);
  t.teardown(() => {
    onA.close();
    onB.close();
  });
  for (const ws of [onA, onB]) {
    ws.send({ type: 'subscribe', proposal: proposalId });
    await ws.next((m) => m.type === 'subscribed');
  }
  const pool = new pg.Pool({ connectionString: stack.config.DATABASE_URL, max: 2 });
  t.teardown(() => pool.end());
  const proposal = (await findProposal(pool, proposalId))!;
  const t0 = nowSeconds() - 30;
  const vote = async (i: number, choice: string, target: typeof instanceA, timestamp = t0) => {
    const wallet = stack.wallets[i]!;
    const envelope = await stack.sign(wallet, 'Vote', {
      from: wallet.address,
      space: 'blocktrack',
      proposal: proposalId,
      stage: 1,
      timestamp,
      choice,
      reason: '',
    });
    const r = await stack.submit(envelope, target);
    t.equal(r.status, 200, JSON.stringify(r.body));
  };
  const recount = async () => tallyToJson(await tallyStage(pool, proposal, 1));
  const tallyOn = async (app: typeof instanceA) => {
    const { body } = await stack.get(`/api/proposals/${proposalId}/tally?stage=1`, app);
    if (body.final !== false) t.fail('the stage closed: the endpoint serves its stored recount, not the live tally');
    return body.tally;
  };
  // Bounded: a re-seed interval plus publish rounds and a recount, with room for a loaded machine.
  const bound = reseedMs * 6;
  /** Both instances' tally endpoints and the latest tally message on each one's subscriber equal the recount. */
  const converged = async (label: string) => {
    const expected = await recount();
    const same = (x: unknown) => JSON.stringify(x) === JSON.stringify(expected);
    const last = (ws: typeof onA) => ws.messages.filter((m) => m.type === 'tally').at(-1)?.tally;
    const started = Date.now();
    const ok = await waitFor(
      async () => same(await tallyOn(instanceA)) && same(await tallyOn(instanceB)) && same(last(onA)) && same(last(onB)),
      bound,
      50,
    ).catch(() => false);
    if (ok) t.pass(`${label}: converged after ${Date.now() - started} ms`);
    else
      t.fail(`${label}: not converged within ${bound} ms`, {
        expected,
        a: await tallyOn(instanceA),
        b: await tallyOn(instanceB),
        wsA: last(onA),
        wsB: last(onB),
      });
    // And it stays converged: no stale tally is published afterwards.
    await new Promise((r) => setTimeout(r, reseedMs * 2));
    t.same(await tallyOn(instanceA), expected, `${label}: instance A still serves the recount`);
    t.same(await tallyOn(instanceB), expected, `${label}: instance B still serves the recount`);
    t.same(last(onA), expected, `${label}: the last tally message on instance A is the recount`);
    t.same(last(onB), expected, `${label}: the last tally message on instance B is the recount`);
    return expected;
  };

  // Instance B counts the stage (one vote of its own), then votes go only through instance A.
  await vote(1, '1', instanceB);
  await waitFor(async () => instanceB.gov.liveTally.current(proposalId, 1));
  await Promise.all([2, 3, 4, 5, 6].map((i) => vote(i, String(1 + (i % 3)), instanceA)));
  await vote(3, '3', instanceA, t0 + 1); // a re-vote: same voter count, other scores
  const first = await converged('votes only through A');
  t.equal((first as { voterCount: number }).voterCount, 6);
  t.ok(instanceB.gov.liveTally.current(proposalId, 1), 'instance B still counts the stage in memory (not a recount per request)');

  // Now the last votes land on B right after A's: A must pick them up without a vote of its own.
  await Promise.all([7, 8].map((i) => vote(i, '2', instanceA)));
  await instanceA.gov.liveTally.resync(proposalId, 1); // any re-seed of A's runs before B's vote, not after it
  await vote(9, '1', instanceB);
  const second = await converged('the last vote through B');
  t.equal((second as { voterCount: number }).voterCount, 9);
});

t.test('a re-seed that fails (the database away) is tried again: the instance still converges', async (t) => {
  const holders = Object.fromEntries(VOTERS.map((i) => [i, BigInt(i) * 5n * TOKEN]));
  const stack = await startStack({ holders, config: { TALLY_RESEED_INTERVAL_MS: 1000 } });
  t.teardown(() => stack.close());
  const instanceA = stack.app;
  const instanceB = await stack.startApp();
  const proposalId = await openProposal(stack, {
    temperature: { votingType: 'proposal', period: 600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
  });
  const pool = new pg.Pool({ connectionString: stack.config.DATABASE_URL, max: 2 });
  t.teardown(() => pool.end());
  const proposal = (await findProposal(pool, proposalId))!;
  const vote = async (i: number, target: typeof instanceA) => {
    const wallet = stack.wallets[i]!;
    const envelope = await stack.sign(wallet, 'Vote', {
      from: wallet.address,
      space: 'blocktrack',
      proposal: proposalId,
      stage: 1,
      timestamp: nowSeconds() - 30,
      choice: '1',
      reason: '',
    });
    t.equal((await stack.submit(envelope, target)).status, 200);
  };

  await vote(1, instanceB);
  await waitFor(async () => instanceB.gov.liveTally.current(proposalId, 1));
  // B's next two recounts fail as they would while PostgreSQL restarts (the step the outage hits).
  const live = instanceB.gov.liveTally as unknown as { recount(stage: unknown): Promise<unknown> };
  const recount = live.recount.bind(live);
  let failures = 0;
  live.recount = (stage) => (failures++ < 2 ? Promise.reject(new Error('Connection terminated unexpectedly')) : recount(stage));

  await Promise.all([2, 3, 4].map((i) => vote(i, instanceA)));
  const expected = tallyToJson(await tallyStage(pool, proposal, 1));
  const converged = await waitFor(async () => JSON.stringify(instanceB.gov.liveTally.current(proposalId, 1)) === JSON.stringify(expected), 30_000, 50).catch(
    () => false,
  );
  t.ok(failures >= 2, `B's re-seeds failed ${Math.min(failures, 2)} times first`);
  t.ok(converged, "B's live tally equals the recount after its failed re-seeds were retried");
  t.equal((instanceB.gov.liveTally.current(proposalId, 1) as { voterCount: number }).voterCount, 4);
});
