/**
 * Incremental live tallies: the in-memory count equals a database recount after every round of
 * concurrent votes and re-votes, also when re-seeds from the database run in the middle of them;
 * and the snapshot arithmetic that decides which votes a seed already holds agrees with PostgreSQL.
 */
import t from 'tap';
import pg from 'pg';
import { startStack, createSpace, latestBlock, TOKEN, type TestStack } from '../helpers/stack.js';
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

async function openProposal(stack: TestStack) {
  t.equal((await createSpace(stack, 'blocktrack')).status, 200);
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
