/**
 * `npm run verify -- --anchor` on the real stack: a signal proposal with votes, the relayer anchoring
 * the log's heads in LogAnchor as they come. The anchored heads match the server's log (through the
 * mirrored roots, and through the server's consistency proofs alone); then the server's history is
 * forked after the anchor (its last append rewritten with another receipt time and re-signed with the
 * receipt key, so the server's log is consistent in itself): verify exits 1 naming "forked log vs
 * chain anchor", while the log check alone finds nothing. A server that rolled back leaves the chain
 * has anchored is named too. Bad --anchor arguments are usage errors (exit 2).
 */
import t from 'tap';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { SigningKey, Wallet } from 'ethers';
import { createProposal, createSpace, startStack, waitFor, type TestStack } from '../helpers/stack.js';
import { castVote } from '../helpers/relay-flow.js';
import { runVerifyCli } from '../helpers/verify-cli.js';
import { asDatabaseOwner } from '../helpers/database.js';
import { deployLogAnchor, type LogAnchorDeployment } from '../../scripts/deploy.js';
import type { Relayer } from '../../relayer/relayer.js';
import { lockAndReadFrontier, insertLogAppend } from '../../core/db/log.js';
import { planAppend } from '../../core/log/append.js';
import { verifyProposal } from '../../verify/verify.js';
import { checkAnchors, readAnchoredHeads, FORKED_VS_ANCHOR } from '../../verify/anchor-check.js';
import { httpLogSource } from '../../verify/log-check.js';
import { createApi } from '../../verify/http-client.js';
import type { Report } from '../../verify/report.js';

const RECEIPT_KEY = Wallet.createRandom().privateKey;

let stack: TestStack;
let pool: pg.Pool;
let server: string;
let anchor: LogAnchorDeployment;
let relayer: Relayer;
let proposalId: string;

t.before(async () => {
  stack = await startStack({ dao: {}, config: { RECEIPT_PRIVATE_KEY: RECEIPT_KEY } });
  pool = new pg.Pool({ connectionString: stack.db.url, max: 2 });
  anchor = await deployLogAnchor(stack.wallets[0]!, stack.dao!.relayerWallet.address);
  const app = await stack.startApp({ LOG_ANCHOR_ADDRESS: anchor.address, LOG_ANCHOR_FROM_BLOCK: anchor.deployBlock });
  await app.listen({ host: '127.0.0.1', port: 0 });
  server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  relayer = await stack.startRelayer({ LOG_ANCHOR_ADDRESS: anchor.address, LOG_ANCHOR_INTERVAL_MS: 200 });

  if ((await createSpace(stack)).status !== 200) throw new Error('space');
  proposalId = await createProposal(stack, 'Anchored signal');
  await waitFor(async () => (await stack.get(`/api/proposals/${proposalId}`)).body.state === 'temperature', 10_000);
  await castVote(stack, proposalId, stack.wallets[1]!, 1, '1');
  await castVote(stack, proposalId, stack.wallets[2]!, 1, '2');
  // Anchored once here and once after the next message, whatever the timing: at least two anchors.
  const voted = (await stack.get('/api/log/head')).body;
  await waitFor(async () => (await readAnchoredHeads(stack.chain.rpcUrl, anchor.address, 0)).at(-1)?.treeSize === voted.treeSize, 10_000);
  // A later message of another space: the append the fork below rewrites (outside the proposal's range).
  if ((await createSpace(stack, 'other')).status !== 200) throw new Error('other space');
  const head = (await stack.get('/api/log/head')).body;
  await waitFor(async () => (await readAnchoredHeads(stack.chain.rpcUrl, anchor.address, 0)).at(-1)?.treeSize === head.treeSize, 10_000);
  await relayer.close();
});

t.teardown(async () => {
  await pool?.end();
  await stack?.close();
});

const verify = (extra: { anchor?: { address: string; fromBlock?: number } } = {}): Promise<Report> =>
  verifyProposal({ server, proposalId, rpc: stack.chain.rpcUrl, ...extra });
const lines = (report: Report) => report.differences.map((d) => `${d.check} ${d.subject}: ${d.detail}`).join('\n');

t.test('the anchored heads match the log: ok, with a report line and the JSON field', async (t) => {
  const anchors = await readAnchoredHeads(stack.chain.rpcUrl, anchor.address, anchor.deployBlock);
  t.ok(anchors.length >= 2, `${anchors.length} anchors`);
  const report = await verify({ anchor: { address: anchor.address, fromBlock: anchor.deployBlock } });
  t.same(report.differences, [], lines(report));
  t.ok(report.ok);
  t.match(
    report.checked.anchor,
    new RegExp(
      `^${anchors.length} anchored tree head\\(s\\) .*the latest of size ${anchors.at(-1)!.treeSize}\\): ${anchors.length} signed by the receipt key and heads of the server's log`,
    ),
  );
  t.equal(report.anchor?.address, anchor.address);
  t.same(
    report.anchor?.heads.map((h) => [h.treeSize, h.rootHash, h.ok]),
    anchors.map((a) => [a.treeSize, a.rootHash, true]),
  );
  t.notOk(
    report.notes.some((n) => n.startsWith('anchor:')),
    'the server names the same anchor; every leaf is anchored',
  );

  const without = await verify();
  t.ok(without.ok);
  t.ok(
    without.notes.some((n) => n.includes(`the server says its log is anchored at ${anchor.address}`) && n.includes('not checked')),
    'without --anchor, the announced anchor is a note',
  );
  t.equal(without.anchor, undefined);

  // Where no mirrored root is at hand, the server's consistency proofs settle it.
  const latest = (await stack.get('/api/log/head')).body;
  const source = httpLogSource(createApi(server));
  const byProofs = await checkAnchors({ anchors, receiptSigner: new Wallet(RECEIPT_KEY).address, latest, mirroredRoots: new Map(), source });
  t.same(byProofs.differences, []);
  t.ok(byProofs.heads.every((h) => h.ok));

  const cli = await runVerifyCli([
    '--server',
    server,
    '--rpc',
    stack.chain.rpcUrl,
    '--anchor',
    anchor.address,
    '--anchor-from-block',
    String(anchor.deployBlock),
    proposalId,
  ]);
  t.equal(cli.code, 0, cli.stderr);
  t.match(cli.stdout, /\n {2}anchor +\d+ anchored tree head/);
  t.match(cli.stdout, /everything matches/);
});

t.test('bad --anchor arguments are usage errors', async (t) => {
  for (const [args, message] of [
    [['--anchor', '0x1234'], /--anchor must be a contract address/],
    [['--anchor', anchor.address, '--anchor-from-block', '-1'], /--anchor-from-block must be a non-negative integer/],
    [['--anchor-from-block', '3'], /--anchor-from-block needs --anchor/],
  ] as const) {
    const run = await runVerifyCli(['--server', server, '--rpc', stack.chain.rpcUrl, ...args, proposalId]);
    t.equal(run.code, 2, args.join(' '));
    t.match(run.stderr, message);
  }
  const noRpc = await runVerifyCli(['--server', server, '--anchor', anchor.address, proposalId]);
  t.equal(noRpc.code, 2);
  t.match(noRpc.stderr, /--anchor needs --rpc/);
});

/** Removes the log's last `count` leaves with their nodes and heads (a rollback); returns the removed leaves. */
async function dropLastLeaves(client: pg.PoolClient, count: number) {
  const size = Number((await client.query('SELECT max(tree_size) AS s FROM log_tree_heads')).rows[0].s);
  const from = size - count;
  const { rows } = await client.query('DELETE FROM log_leaves WHERE idx >= $1 RETURNING message_id, signature_hash, received_at', [from]);
  // A perfect subtree (level h, index i) covers leaves [i·2^h, (i+1)·2^h): those reaching past `from` go.
  await client.query('DELETE FROM log_nodes WHERE (idx + 1) * (1::bigint << level) > $1', [from]);
  await client.query('DELETE FROM log_tree_heads WHERE tree_size > $1', [from]);
  return rows as { message_id: string; signature_hash: Buffer; received_at: Date }[];
}

t.test("a forked server history vs the chain: verify exits 1 naming 'forked log vs chain anchor'", async (t) => {
  const anchored = (await readAnchoredHeads(stack.chain.rpcUrl, anchor.address, 0)).at(-1)!;
  const signer = new SigningKey(RECEIPT_KEY);
  // The last append (the other space's message) rewritten with another receipt time, its head re-signed:
  // same size, another root, a log consistent in itself.
  await asDatabaseOwner(pool, async (client) => {
    const [leaf] = await dropLastLeaves(client, 1);
    const frontier = await lockAndReadFrontier(client);
    const planned = planAppend(
      frontier,
      [{ messageId: leaf!.message_id, signatureHash: leaf!.signature_hash, receivedAt: new Date(leaf!.received_at.getTime() + 1000) }],
      (digest) => signer.sign(digest).serialized,
    );
    await insertLogAppend(client, planned.document);
  });
  const forked = (await stack.get('/api/log/head')).body;
  t.equal(forked.treeSize, anchored.treeSize, 'the same size');
  t.not(forked.rootHash, anchored.rootHash, 'another root');

  const plain = await verify();
  t.same(plain.differences, [], 'the log check alone finds the server consistent in itself');

  const report = await verify({ anchor: { address: anchor.address } });
  t.notOk(report.ok);
  t.same(
    report.differences.map((d) => [d.check, d.subject.replace(/ \(block .*/, '')]),
    [['anchor', `anchored tree head ${anchored.treeSize}`]],
    lines(report),
  );
  t.equal(
    report.differences[0]!.detail,
    `${FORKED_VS_ANCHOR}: root ${anchored.rootHash} on chain, the server's log of ${anchored.treeSize} leaves has root ${forked.rootHash}`,
  );
  t.same(report.anchor?.heads.at(-1), { ...report.anchor?.heads.at(-1), treeSize: anchored.treeSize, ok: false });
  t.ok(
    report.anchor!.heads.slice(0, -1).every((h) => h.ok),
    'the anchors before the fork still match',
  );

  // The same verdict from the server's consistency proofs alone.
  const byProofs = await checkAnchors({
    anchors: [anchored],
    receiptSigner: new Wallet(RECEIPT_KEY).address,
    latest: forked,
    mirroredRoots: new Map(),
    source: httpLogSource(createApi(server)),
  });
  t.match(byProofs.differences, [{ check: 'anchor', detail: new RegExp(`^${FORKED_VS_ANCHOR}: .*does not verify from the anchored root`) }]);

  const cli = await runVerifyCli(['--server', server, '--rpc', stack.chain.rpcUrl, '--anchor', anchor.address, '--json', proposalId]);
  t.equal(cli.code, 1, 'npm run verify exits 1');
  const json = JSON.parse(cli.stdout) as Report;
  t.match(json.differences, [{ check: 'anchor', detail: new RegExp(`^${FORKED_VS_ANCHOR}`) }]);
  t.equal(json.anchor?.heads.at(-1)?.ok, false, 'the --json field names the anchored head');
});

t.test('a server that rolled back leaves the chain anchored is named', async (t) => {
  const anchored = (await readAnchoredHeads(stack.chain.rpcUrl, anchor.address, 0)).at(-1)!;
  await asDatabaseOwner(pool, (client) => dropLastLeaves(client, 1));
  const report = await verify({ anchor: { address: anchor.address } });
  t.notOk(report.ok);
  t.ok(
    report.differences.some(
      (d) =>
        d.check === 'anchor' &&
        d.detail ===
          `${FORKED_VS_ANCHOR}: the chain anchors ${anchored.treeSize} leaves, the server's latest head has ${anchored.treeSize - 1} (its log lost leaves)`,
    ),
    lines(report),
  );
});
