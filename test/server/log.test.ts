/**
 * The verifiable message log on the real stack: every receipt (single messages and batch items)
 * carries a tree head signed by the receipt key and an inclusion proof that verifies with the
 * test's own RFC 9162 code; the endpoints' heads, proofs and leaves agree with a mirror rebuilt
 * from the leaves; bad input answers 4xx with its code; two server instances append to one log in
 * one order; a closed stage names the tree size it was counted at, signed, and its tally is the
 * stage's votes among those leaves.
 */
import t from 'tap';
import pg from 'pg';
import { recoverAddress, solidityPackedKeccak256, keccak256, toUtf8Bytes } from 'ethers';
import { createSpace, latestBlock, startStack, TOKEN, waitFor, type TestStack } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';
import { mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import { consistencyProblems, mirrorLog, mirrorProblems, receiptLogProblems, type HeadJson, type LogJson } from '../helpers/log-check.js';
import { unhex, verifyInclusion } from '../helpers/merkle-reference.js';

const VOTERS = 12;
let stack: TestStack;
let receiptSigner: string;
const heads = new Map<number, HeadJson>();
/** Every receipt received, with the signature it was for. */
const receipts: { id: string; receivedAt: string; receipt: LogJson; signature: string }[] = [];

t.before(async () => {
  // One receipt key for every instance, as in a deployment (the second instance signs heads too).
  const holders = Object.fromEntries(Array.from({ length: VOTERS }, (_, i) => [i + 1, BigInt(i + 1) * TOKEN]));
  stack = await startStack({ holders, config: { RECEIPT_PRIVATE_KEY: `0x${'5a'.repeat(32)}` } });
  receiptSigner = (await stack.get('/api/info')).body.receiptSigner;
});
t.teardown(() => stack?.close());

function keep(body: any, signature: string) {
  receipts.push({ id: body.id, receivedAt: body.receivedAt, receipt: body.receipt, signature });
  heads.set(body.receipt.treeHead.treeSize, body.receipt.treeHead);
}

async function propose(space: string, title: string): Promise<string> {
  const alice = stack.wallets[1]!;
  await mineBlocks(stack.chain.provider, 1);
  const envelope = await stack.sign(alice, 'Proposal', {
    from: alice.address,
    space,
    timestamp: nowSeconds(),
    title,
    body: 'b',
    discussion: '',
    choices: ['For', 'Against', 'Abstain'],
    votingType: 'basic',
    snapshot: (await latestBlock(stack)) - 1,
    execution: '',
    payloadHash: ZERO_HASH,
    idea: '',
    kind: 'default',
  });
  const created = await stack.submit(envelope);
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
  keep(created.body, envelope.sig);
  return created.body.id;
}

/**
 * Rounds of votes: in each round every voter (wallets 1..VOTERS) votes once, with a signed
 * timestamp newer than all before, so every vote is a new message that replaces the voter's last.
 * A batch holds at most one vote per voter: items of one batch are checked concurrently, so two of
 * the same voter could reach the writer in either order.
 */
let voteClock = nowSeconds() - 3000;
async function voteRounds(space: string, proposal: string, rounds: number) {
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const round = [];
    for (let v = 1; v <= VOTERS; v++) {
      const wallet = stack.wallets[v]!;
      round.push(
        await stack.sign(wallet, 'Vote', {
          from: wallet.address,
          space,
          proposal,
          stage: 1,
          timestamp: voteClock,
          choice: String(1 + ((r + v) % 3)),
          reason: '',
        }),
      );
    }
    voteClock++;
    out.push(round);
  }
  return out;
}

let proposalId: string;

t.test('every receipt carries a signed tree head and an inclusion proof that verify', async (t) => {
  const spaceEnvelope = await stack.sign(stack.wallets[0]!, 'Space', {
    from: stack.wallets[0]!.address,
    space: 'blocktrack',
    timestamp: nowSeconds(),
    settings: JSON.stringify({}),
  });
  t.equal((await stack.submit(spaceEnvelope)).status, 400, 'a refused message gets no leaf');
  // A stage that stays open for the whole file.
  const space = await createSpace(stack, 'blocktrack', {
    temperature: { votingType: 'proposal', period: 3600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
  });
  t.equal(space.status, 200);
  t.equal(space.body.receipt.leafIndex, 0, 'the first message is leaf 0');
  t.equal(space.body.receipt.treeHead.treeSize, 1);
  t.same(space.body.receipt.inclusionProof, []);
  heads.set(1, space.body.receipt.treeHead);
  const stored = await stack.get(`/api/messages/${space.body.id}`);
  receipts.push({ id: space.body.id, receivedAt: space.body.receivedAt, receipt: space.body.receipt, signature: stored.body.signature });

  proposalId = await propose('blocktrack', 'Logged');
  const [singles, ...batches] = await voteRounds('blocktrack', proposalId, 4);
  for (const envelope of singles!.slice(0, 6)) {
    const r = await stack.submit(envelope);
    t.equal(r.status, 200, JSON.stringify(r.body));
    keep(r.body, envelope.sig);
  }
  const results: any[] = [];
  for (const batch of batches) {
    const response = await stack.app.inject({ method: 'POST', url: '/api/messages/batch', payload: batch });
    const items = response.json().results as any[];
    t.same(
      items.filter((r) => !r.ok),
      [],
      'every batch item committed',
    );
    items.forEach((r, i) => keep(r, batch[i]!.sig));
    results.push(...items);
  }
  t.ok(new Set(results.map((r) => r.receipt.treeHead.treeSize)).size < results.length, 'batch items share the heads of their group commits');

  const problems = receipts.flatMap((r) => receiptLogProblems(r, r.signature, receiptSigner));
  t.same(problems, [], `${receipts.length} receipts verify`);
  const indexes = receipts.map((r) => r.receipt.leafIndex).sort((a, b) => a - b);
  t.same(
    indexes,
    indexes.map((_, i) => i),
    'leaf indexes 0..n-1, once each',
  );
  for (const r of receipts) t.ok(r.receipt.leafIndex < r.receipt.treeHead.treeSize, 'the head includes its leaf');

  const message = await stack.get(`/api/messages/${results[3].id}`);
  t.same(message.body.receipt, results[3].receipt, 'GET /api/messages/:id gives the receipt');
});

t.test('heads, proofs and leaves: a mirror rebuilt from the leaves agrees with every head', async (t) => {
  const latest = (await stack.get('/api/log/head')).body as HeadJson;
  t.equal(latest.treeSize, receipts.length);
  for (const head of heads.values()) {
    const published = await stack.get(`/api/log/heads/${head.treeSize}`);
    t.same(published.body, head, `head ${head.treeSize} as published`);
  }
  const mirror = await mirrorLog(stack.get);
  t.same(mirrorProblems(mirror, [...heads.values(), latest]), []);
  t.same(await consistencyProblems(stack.get, [...heads.values()], latest), [], 'every head is consistent with the latest');

  // Inclusion against the latest head and against an older published size.
  for (const r of receipts.slice(0, 10)) {
    for (const size of [latest.treeSize, r.receipt.treeHead.treeSize]) {
      const proof = await stack.get(`/api/log/proof/inclusion?id=${r.id}&treeSize=${size}`);
      t.equal(proof.status, 200);
      const root = size === latest.treeSize ? latest.rootHash : r.receipt.treeHead.rootHash;
      t.ok(
        verifyInclusion(proof.body.leafIndex, size, unhex(proof.body.leafHash), proof.body.auditPath.map(unhex), unhex(root)),
        `leaf ${r.receipt.leafIndex} in ${size}`,
      );
    }
  }
  const byDefault = await stack.get(`/api/log/proof/inclusion?id=${receipts[0]!.id}`);
  t.equal(byDefault.body.treeSize, latest.treeSize, 'treeSize defaults to the latest head');
});

t.test('bad input on the log endpoints: 4xx with a code, the field named', async (t) => {
  const latest = (await stack.get('/api/log/head')).body as HeadJson;
  const id = receipts[5]!.id;
  const cases: [string, number, string][] = [
    [`/api/log/proof/inclusion?id=${id}&treeSize=${latest.treeSize + 1}`, 400, 'TREE_SIZE_BEYOND_HEAD'],
    [`/api/log/proof/inclusion?id=${id}&treeSize=2`, 400, 'LEAF_NOT_IN_TREE'],
    [`/api/log/proof/inclusion?id=0x${'77'.repeat(32)}`, 404, 'MESSAGE_NOT_IN_LOG'],
    [`/api/log/proof/inclusion?id=0x1234`, 400, 'INVALID_REQUEST'],
    [`/api/log/proof/inclusion?id=${id}&treeSize=0`, 400, 'INVALID_REQUEST'],
    [`/api/log/proof/consistency?from=5&to=3`, 400, 'INVALID_RANGE'],
    [`/api/log/proof/consistency?from=1&to=${latest.treeSize + 5}`, 400, 'TREE_SIZE_BEYOND_HEAD'],
    [`/api/log/proof/consistency?from=-1&to=3`, 400, 'INVALID_REQUEST'],
    [`/api/log/leaves?start=0&end=1001`, 400, 'RANGE_TOO_LARGE'],
    [`/api/log/leaves?start=9&end=3`, 400, 'INVALID_RANGE'],
    [`/api/log/leaves?start=0`, 400, 'INVALID_REQUEST'],
    [`/api/log/heads/${latest.treeSize + 100}`, 404, 'TREE_HEAD_NOT_FOUND'],
    [`/api/log/heads/abc`, 400, 'INVALID_REQUEST'],
  ];
  for (const [path, status, code] of cases) {
    const response = await stack.get(path);
    t.equal(response.status, status, path);
    t.equal(response.body.code, code, path);
  }
  const tooLarge = await stack.get(`/api/log/proof/inclusion?id=${id}&treeSize=${latest.treeSize + 1}`);
  t.match(tooLarge.body.message, /treeSize/);
  t.same((await stack.get(`/api/log/proof/consistency?from=3&to=3`)).body.proof, [], 'equal sizes: an empty proof');
  t.equal((await stack.get(`/api/log/leaves?start=${latest.treeSize}&end=${latest.treeSize + 10}`)).body.leaves.length, 0, 'no leaves past the head');
});

t.test('two server instances append to one log in one order', async (t) => {
  const second = await stack.startApp();
  const before = (await stack.get('/api/log/head')).body.treeSize as number;
  const rounds = await voteRounds('blocktrack', proposalId, 10);
  // Each instance takes half of the voters, one batch per round, both instances at once.
  const got: { body: any; sig: string }[] = [];
  await Promise.all(
    [stack.app, second].map(async (app, half) => {
      for (const round of rounds) {
        const chunk = round.filter((_, v) => v % 2 === half);
        const response = await app.inject({ method: 'POST', url: '/api/messages/batch', payload: chunk });
        response.json().results.forEach((r: any, j: number) => got.push({ body: r, sig: chunk[j]!.sig }));
      }
    }),
  );
  t.same(
    got.filter((g) => !g.body.ok).map((g) => g.body),
    [],
    'every vote committed',
  );
  for (const g of got) keep(g.body, g.sig);
  t.same(
    got.flatMap((g) => receiptLogProblems(g.body, g.sig, receiptSigner)),
    [],
    'receipts from both instances verify',
  );
  const latest = (await stack.get('/api/log/head', second)).body as HeadJson;
  t.equal(latest.treeSize, before + 10 * VOTERS);
  const indexes = got.map((g) => g.body.receipt.leafIndex as number).sort((a, b) => a - b);
  t.same(
    indexes,
    indexes.map((_, i) => before + i),
    'one leaf per message, no gap, no index twice',
  );
  const mirror = await mirrorLog((path) => stack.get(path, second));
  t.same(mirrorProblems(mirror, [...heads.values(), latest]), [], 'one log: every head either instance signed is a prefix of it');
  t.same(await consistencyProblems((path) => stack.get(path, second), [...heads.values()], latest), []);
  const db = new pg.Pool({ connectionString: stack.db.url, max: 1 });
  t.teardown(() => db.end());
  const stored = await db.query(`SELECT count(*)::int AS n FROM signed_messages`);
  t.equal(stored.rows[0].n, latest.treeSize, 'every stored message is a leaf');
  const unlogged = await db.query(`SELECT count(*)::int AS n FROM signed_messages s LEFT JOIN log_leaves l ON l.message_id = s.id WHERE l.idx IS NULL`);
  t.equal(unlogged.rows[0].n, 0);
});

/** Canonical JSON as docs/api.md defines it, written here again: keys sorted, no whitespace. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

t.test('a final stage result names its log tree size, is signed with it, and counts exactly the stage’s votes among those leaves', async (t) => {
  t.equal(
    (await createSpace(stack, 'quick', { temperature: { votingType: 'basic', period: 8, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 } }))
      .status,
    200,
  );
  const quick = await propose('quick', 'Counted at a tree size');
  for (const round of await voteRounds('quick', quick, 2)) for (const envelope of round.slice(0, 5)) t.equal((await stack.submit(envelope)).status, 200);
  const proposal = await waitFor(async () => {
    const p = await stack.get(`/api/proposals/${quick}`);
    return p.body.results.length > 0 ? p.body : null;
  }, 40_000);
  const result = proposal.results[0];
  t.type(result.logTreeSize, 'number');
  // warnings are added after the close (power spikes): not part of what was signed.
  const { stage, computedAt: _computedAt, logTreeSize, signature, warnings: _warnings, ...signed } = result;
  const digest = solidityPackedKeccak256(
    ['string', 'bytes32', 'uint8', 'uint64', 'bytes32'],
    ['govrelay:stage-result:v1', quick, stage, logTreeSize, keccak256(toUtf8Bytes(canonical(signed)))],
  );
  t.equal(recoverAddress(digest, signature), receiptSigner, 'signed by the receipt key over the documented digest');
  t.equal((await stack.get(`/api/log/heads/${logTreeSize}`)).status, 200, 'the tree size is a published head');

  // The stage's votes among the first logTreeSize leaves, the latest per voter, counted here.
  const mirror = await mirrorLog(stack.get);
  const inLog = new Set(mirror.leaves.slice(0, logTreeSize).map((l) => l.messageId));
  const messages = (await stack.get(`/api/proposals/${quick}/messages?limit=1000`)).body.items as any[];
  const latestByVoter = new Map<string, any>();
  for (const m of messages) {
    if (m.type !== 'Vote' || !inLog.has(m.id)) continue;
    const vote = m.envelope.data.message;
    const previous = latestByVoter.get(m.from);
    if (!previous || BigInt(vote.timestamp) > BigInt(previous.timestamp)) latestByVoter.set(m.from, vote);
  }
  const powers = new Map<string, bigint>();
  for (const voter of latestByVoter.keys()) powers.set(voter, BigInt((await stack.get(`/api/proposals/${quick}/power/${voter}`)).body.power));
  const scores = [0n, 0n, 0n];
  for (const [voter, vote] of latestByVoter) scores[Number(vote.choice) - 1]! += powers.get(voter)!;
  t.same(result.scores, scores.map(String), 'scores = the stage’s votes in the log up to logTreeSize');
  t.equal(result.voterCount, latestByVoter.size);
});
