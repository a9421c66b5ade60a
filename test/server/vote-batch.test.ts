/**
 * The vote hot path: POST /api/messages/batch (per-item results, duplicates inside one batch,
 * nothing stored for refused items), tree heads signed natively that verify like ethers signatures, and
 * the group-commit writer keeping the tally equal to a recount after re-votes.
 */
import t from 'tap';
import pg from 'pg';
import { getBytes, keccak256, recoverAddress, SigningKey, toUtf8Bytes } from 'ethers';
import { createSpace, latestBlock, startStack, TOKEN, type TestStack } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import { dollarTagFor } from '../../server/votes/vote-writer.js';
import { ReceiptSigner } from '../../server/messages/receipt.js';
import { receiptLogProblems } from '../helpers/log-check.js';
import { tallyStage } from '../../server/votes/stage-tally.js';
import { computeTally } from '../../server/tally/tally.js';
import { findProposal } from '../../core/proposals/repository.js';

t.test('native tree-head signatures are byte-identical to ethers signatures and recover to the signer', async (t) => {
  const key = '0x' + '11'.repeat(32);
  const signer = new ReceiptSigner(key);
  const ethersKey = new SigningKey(key);
  for (let i = 0; i < 20; i++) {
    const digest = keccak256(toUtf8Bytes(`tree head ${i}`));
    const signature = signer.signDigest(getBytes(digest));
    t.equal(signature, ethersKey.sign(digest).serialized);
    t.equal(recoverAddress(digest, signature), signer.address);
  }
});

async function setup(t: any, holders?: Record<number, bigint>) {
  const stack = await startStack(holders ? { holders } : {});
  t.teardown(() => stack.close());
  const [, alice] = stack.wallets as any[];
  t.equal((await createSpace(stack, 'blocktrack')).status, 200);
  await mineBlocks(stack.chain.provider, 1);
  const snapshot = (await latestBlock(stack)) - 1;
  const created = await stack.submit(
    await stack.sign(alice, 'Proposal', {
      from: alice.address,
      space: 'blocktrack',
      timestamp: nowSeconds(),
      title: 'Batch',
      body: 'b',
      discussion: '',
      choices: ['For', 'Against', 'Abstain'],
      votingType: 'basic',
      snapshot,
      execution: '',
      payloadHash: ZERO_HASH,
      idea: '',
      kind: 'default',
    }),
  );
  t.equal(created.status, 200, JSON.stringify(created.body));
  return { stack, proposalId: created.body.id as string };
}

function voteEnvelope(stack: TestStack, index: number, proposal: string, choice: string, timestamp: number) {
  const wallet = stack.wallets[index]!;
  return stack.sign(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal, stage: 1, timestamp, choice, reason: '' });
}

async function postBatch(stack: TestStack, body: unknown) {
  const response = await stack.app.inject({ method: 'POST', url: '/api/messages/batch', payload: body as object });
  return { status: response.statusCode, body: response.json(), headers: response.headers, bytes: response.rawPayload };
}

t.test('batch endpoint: mixed items, duplicates in one batch, nothing stored for refused items', async (t) => {
  const { stack, proposalId } = await setup(t);
  const t0 = nowSeconds();
  const good1 = await voteEnvelope(stack, 1, proposalId, '1', t0);
  const good2 = await voteEnvelope(stack, 2, proposalId, '2', t0);
  const zeroPower = await voteEnvelope(stack, 7, proposalId, '1', t0);
  const badSig = { ...(await voteEnvelope(stack, 3, proposalId, '1', t0)), sig: good1.sig };
  const badChoice = await voteEnvelope(stack, 3, proposalId, '9', t0);
  const space = await stack.sign(stack.wallets[0]!, 'Space', { from: stack.wallets[0]!.address, space: 'other', timestamp: t0, settings: '{}' });

  const { status, body, headers, bytes } = await postBatch(stack, [good1, good1, good2, zeroPower, badSig, badChoice, space, { nonsense: true }]);
  t.equal(status, 200, JSON.stringify(body));
  // The answer is written as bytes (server/joined-text.ts): still JSON in UTF-8, its length declared.
  t.equal(headers['content-type'], 'application/json; charset=utf-8');
  t.equal(Number(headers['content-length']), bytes.length);
  const results = body.results as any[];
  t.equal(results.length, 8);
  t.ok(results[0].ok, 'first vote accepted');
  t.match(results[0], { id: /^0x[0-9a-f]{64}$/, type: 'Vote' });
  t.equal(results[1].ok, false);
  t.equal(results[1].code, 'DUPLICATE', 'the same vote twice in one batch: the second is a duplicate');
  t.ok(results[2].ok, 'second voter accepted');
  t.equal(results[3].code, 'ZERO_POWER');
  t.equal(results[4].status, 401, 'a signature by someone else is refused');
  t.equal(results[5].code, 'CHOICE_OUT_OF_RANGE');
  t.equal(results[6].code, 'BATCH_VOTES_ONLY');
  t.equal(results[7].ok, false);

  const info = await stack.get('/api/info');
  for (const [r, sent] of [
    [results[0], good1],
    [results[2], good2],
  ] as const) {
    t.same(receiptLogProblems(r, sent.sig, info.body.receiptSigner), [], 'receipt verifies: signed tree head, inclusion proof');
  }

  const pool = new pg.Pool({ connectionString: stack.config.DATABASE_URL, max: 1 });
  t.teardown(() => pool.end());
  const votes = await pool.query('SELECT voter FROM votes WHERE proposal_id = $1 ORDER BY voter', [proposalId]);
  t.same(votes.rows.map((r) => r.voter).sort(), [stack.wallets[1]!.address, stack.wallets[2]!.address].map((a) => a.toLowerCase()).sort());
  const messages = await pool.query(`SELECT count(*)::int AS n FROM signed_messages WHERE proposal_id = $1 AND type = 'Vote'`, [proposalId]);
  t.equal(messages.rows[0].n, 2, 'only the accepted votes are in the signed-message log');

  // A replay in a later batch, and a stale vote, are refused with their codes; a newer vote replaces.
  const again = await postBatch(stack, [good1, await voteEnvelope(stack, 2, proposalId, '3', t0 - 5), await voteEnvelope(stack, 1, proposalId, '3', t0 + 1)]);
  t.same(
    again.body.results.map((r: any) => r.code ?? 'ok'),
    ['DUPLICATE', 'STALE_VOTE', 'ok'],
  );

  t.equal((await postBatch(stack, { not: 'an array' })).status, 400);
  t.equal((await postBatch(stack, new Array(501).fill(good1))).body.code, 'BATCH_TOO_LARGE');
});

t.test('concurrent votes and re-votes: the stored tally equals a recount, one row per voter', async (t) => {
  const { stack, proposalId } = await setup(t);
  const t0 = nowSeconds();
  // Every voter votes, then re-votes twice, all sent at once (single requests and a batch).
  const first = await Promise.all([1, 2, 3, 4].map((i) => voteEnvelope(stack, i, proposalId, '1', t0 - 2)));
  const second = await Promise.all([1, 2, 3, 4].map((i) => voteEnvelope(stack, i, proposalId, '2', t0 - 1)));
  const third = await Promise.all([1, 3].map((i) => voteEnvelope(stack, i, proposalId, '3', t0)));
  const singles = await Promise.all([...first, ...third].map((e) => stack.submit(e)));
  const batch = await postBatch(stack, second);
  t.ok(
    singles.every((r) => r.status === 200 || r.body.code === 'STALE_VOTE'),
    JSON.stringify(singles.map((r) => r.body.code)),
  );
  t.ok(batch.body.results.every((r: any) => r.ok || r.code === 'STALE_VOTE'));

  const pool = new pg.Pool({ connectionString: stack.config.DATABASE_URL, max: 1 });
  t.teardown(() => pool.end());
  const rows = await pool.query<{ voter: string; timestamp: string; choice: number; power: string }>(
    'SELECT voter, timestamp::text, choice, power::text FROM votes WHERE proposal_id = $1 AND stage = 1',
    [proposalId],
  );
  t.equal(rows.rows.length, 4, 'one row per voter');
  for (const row of rows.rows) {
    const index = stack.wallets.findIndex((w) => w.address.toLowerCase() === row.voter);
    t.equal(Number(row.timestamp), [1, 3].includes(index) ? t0 : t0 - 1, `voter ${index}: the newest vote is counted`);
  }
  const proposal = (await findProposal(pool, proposalId))!;
  const tally = await tallyStage(pool, proposal, 1);
  const recount = computeTally(
    'basic',
    ['For', 'Against', 'Abstain'],
    rows.rows.map((r) => ({ voter: r.voter, choice: r.choice, power: BigInt(r.power), powerByStrategy: [BigInt(r.power)] })),
    1,
  );
  t.same(tally.scores, recount.scores);
  t.equal(tally.voterCount, 4);
  const accepted = singles.filter((r) => r.status === 200).length + batch.body.results.filter((r: any) => r.ok).length;
  const messages = await pool.query(`SELECT count(*)::int AS n FROM signed_messages WHERE proposal_id = $1 AND type = 'Vote'`, [proposalId]);
  t.equal(messages.rows[0].n, accepted, 'every acknowledged vote, and only those, is in the log');
});

t.test('reasons with quotes, backslashes and other scripts are stored and served verbatim', async (t) => {
  const { stack, proposalId } = await setup(t, { 1: 100n * TOKEN, 2: 50n * TOKEN, 3: 25n * TOKEN, 4: 9n * TOKEN, 5: 4n * TOKEN });
  const t0 = nowSeconds();
  // Five voters with power (wallets 1 to 5). The last reason holds the dollar-quote tag the vote
  // writer uses right now (this process runs the app), so its batch must be quoted with another.
  const reasons = [
    "it's C:\\path\\",
    "\\'; DROP TABLE votes; --",
    '"quoted" \\" $$ $tag$ E\'x\'',
    'ünïcødé 投票 🗳️\n\ttabs',
    `holds the writer's tag ${dollarTagFor([])} inside`,
  ];
  const envelopes = await Promise.all(
    reasons.map((reason, i) => {
      const wallet = stack.wallets[i + 1]!;
      return stack.sign(wallet, 'Vote', { from: wallet.address, space: 'blocktrack', proposal: proposalId, stage: 1, timestamp: t0, choice: '1', reason });
    }),
  );
  const [single, ...rest] = envelopes;
  t.equal((await stack.submit(single)).status, 200);
  const batch = await postBatch(stack, rest);
  t.ok(
    batch.body.results.every((r: any) => r.ok),
    JSON.stringify(batch.body),
  );
  t.equal(Number(batch.headers['content-length']), batch.bytes.length, 'the declared length is the length of the bytes sent');

  const pool = new pg.Pool({ connectionString: stack.config.DATABASE_URL, max: 1 });
  t.teardown(() => pool.end());
  const { rows } = await pool.query<{ voter: string; reason: string; message_id: string }>(
    'SELECT voter, reason, message_id FROM votes WHERE proposal_id = $1',
    [proposalId],
  );
  t.equal(rows.length, reasons.length);
  for (const [i, reason] of reasons.entries()) {
    const row = rows.find((r) => r.voter === stack.wallets[i + 1]!.address.toLowerCase())!;
    t.equal(row.reason, reason, `reason ${JSON.stringify(reason)} stored as sent`);
    const served = await stack.get(`/api/messages/${row.message_id}`);
    t.same(served.body.envelope, envelopes[i], 'the envelope is served as it was signed');
  }
});

t.test('a reason with a NUL character is refused on its own; the votes batched with it are stored', async (t) => {
  const { stack, proposalId } = await setup(t);
  const t0 = nowSeconds();
  const wallets = [1, 2, 3].map((i) => stack.wallets[i]!);
  const envelopes = await Promise.all(
    wallets.map((wallet, i) =>
      stack.sign(wallet, 'Vote', {
        from: wallet.address,
        space: 'blocktrack',
        proposal: proposalId,
        stage: 1,
        timestamp: t0,
        choice: '1',
        reason: i === 1 ? 'a\u0000b' : 'fine',
      }),
    ),
  );
  const { body } = await postBatch(stack, envelopes);
  t.same(
    body.results.map((r: any) => r.code ?? 'ok'),
    ['ok', 'INVALID_MESSAGE', 'ok'],
    JSON.stringify(body),
  );
  t.match(body.results[1], { status: 400, message: /reason: contains a NUL character/ });
});
