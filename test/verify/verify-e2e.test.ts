/**
 * The verify command against the real stack (chain, PostgreSQL, Redis, a listening server, the
 * relayer): two grant proposals voted through both stages and scheduled on the timelock. The clean
 * one verifies (exit 0, also as `npm run verify` in a child process); then each tamper is made in
 * the database, caught and named, and undone: a vote deleted, a vote's choice altered (both also with
 * the messages read in pages of two, the tampered one on the last page), a vote's power altered, a message inserted with a back-dated time, a stage result that does not match its
 * messages. The second grant had an operation with another payload scheduled under its salt before
 * the relayer ran: caught and named call by call. This branch's server publishes no log, so the
 * report says the log was not checked (test/verify/merkle.test.ts covers the log check).
 */
import t from 'tap';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { AbiCoder, concat, Contract, hexlify, id as keccakText, Interface, Wallet } from 'ethers';
import { createSpace, latestBlock, startStack, TOKEN, waitFor, type TestStack } from '../helpers/stack.js';
import { asDatabaseOwner } from '../helpers/database.js';
import { envelopeFor, nowSeconds, testDomain } from '../helpers/messages.js';
import { deployContract, mineBlocks } from '../../scripts/local-chain.js';
import { ZERO_HASH } from '../../core/proposals/payload.js';
import { MESSAGE_TYPES, type VoteMessage } from '../../server/eip712/types.js';
import { GRANT, passGrants, setupTreasury, type Grant } from '../helpers/relay-flow.js';
import { verifyProposal } from '../../verify/verify.js';
import { runVerifyCli } from '../helpers/verify-cli.js';
import { receiptDigest } from '../../verify/signatures.js';
import type { Report } from '../../verify/report.js';

const erc20 = new Interface(['function transfer(address to, uint256 amount) returns (bool)']);

let stack: TestStack;
let pool: pg.Pool;
let server: string;
let grants: Grant[];

t.before(async () => {
  stack = await startStack({ dao: {} });
  pool = new pg.Pool({ connectionString: stack.db.url, max: 2 });
  await stack.app.listen({ host: '127.0.0.1', port: 0 });
  server = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  await setupTreasury(stack);
  grants = await passGrants(stack, ['Clean grant', 'Grant whose operation is swapped']);

  // Before any relayer runs, an operation with another payload (twice the grant, to someone else)
  // is scheduled under the second grant's salt, from the key holding the proposer role.
  const dao = stack.dao!;
  const timelock = dao.timelock.connect(dao.relayerWallet) as typeof dao.timelock;
  const swapped = erc20.encodeFunctionData('transfer', [Wallet.createRandom().address, GRANT * 2n]);
  const delay = (await timelock.getFunction('getMinDelay')()) as bigint;
  await (await timelock.getFunction('scheduleBatch')([String(stack.token.target)], [0n], [swapped], `0x${'0'.repeat(64)}`, grants[1]!.id, delay)).wait();

  await stack.startRelayer();
  for (const grant of grants) await waitFor(async () => (await stack.get(`/api/proposals/${grant.id}`)).body.executionStatus?.status === 'scheduled', 30_000);
});

t.teardown(async () => {
  await pool?.end();
  await stack?.close();
});

const verify = (id: string): Promise<Report> => verifyProposal({ server, proposalId: id, rpc: stack.chain.rpcUrl });
const subjects = (report: Report) => report.differences.map((d) => `${d.check} ${d.subject}: ${d.detail}`).join('\n');

/** Runs `sql` with the append-only triggers off (helpers/database.ts asDatabaseOwner). */
const tamper = (sql: string, values: unknown[] = []) => asDatabaseOwner(pool, (client) => client.query(sql, values));

const wallet = (i: number) => stack.wallets[i]!.address.toLowerCase();

t.test('a clean executable proposal verifies', async (t) => {
  const report = await verify(grants[0]!.id);
  t.same(report.differences, [], subjects(report));
  t.ok(report.ok);
  t.match(report.checked.power, /3 voters recomputed from the chain/);
  t.match(
    report.checked.tallies,
    /stage 1: 3 votes recounted, passed \(result signed at log size \d+\); stage 2: 3 votes recounted, passed \(result signed at log size \d+\)/,
    "both results' signatures hold",
  );
  t.match(report.checked.execution, /scheduled \(timelock path\)/);
  t.match(report.checked.log, /tree head\(s\) up to size \d+ signed and consistent, \d+ messages in the log, \d+ inclusion proofs/, 'the log was checked');
});

t.test('npm run verify: exit 0 and the human report on the clean proposal', async (t) => {
  const run = await runVerifyCli(['--server', server, '--rpc', stack.chain.rpcUrl, grants[0]!.id]);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /everything matches/);
  const usage = await runVerifyCli(['--server', server, 'not-an-id']);
  t.equal(usage.code, 2);
  t.match(usage.stderr, /usage: npm run verify/);
});

t.test('pages of two messages: the same report; tampers on the last page are caught', async (t) => {
  const id = grants[0]!.id;
  const whole = await verify(id);
  const paged = await verifyProposal({ server, proposalId: id, rpc: stack.chain.rpcUrl, pageSize: 2 });
  const { rows: counted } = await pool.query('SELECT count(*)::int AS n FROM signed_messages WHERE proposal_id = $1', [id]);
  t.ok(counted[0].n >= 7, `${counted[0].n} messages: at least 4 pages`);
  t.same(paged.differences, [], subjects(paged));
  t.same(paged.checked, whole.checked, 'the same checks as with pages of 1,000');
  t.same(paged.notes, whole.notes);

  // The last vote received is on the last page.
  const { rows } = await pool.query(
    'SELECT voter, message_id FROM votes WHERE proposal_id = $1 AND stage = 2 ORDER BY received_at DESC, message_id DESC LIMIT 1',
    [id],
  );
  const { voter, message_id: messageId } = rows[0] as { voter: string; message_id: string };
  await pool.query('CREATE TABLE saved_page_message AS SELECT * FROM signed_messages WHERE id = $1', [messageId]);
  await tamper('DELETE FROM signed_messages WHERE id = $1', [messageId]);
  const deleted = await verifyProposal({ server, proposalId: id, rpc: stack.chain.rpcUrl, pageSize: 2 });
  t.ok(
    deleted.differences.some((d) => d.check === 'tally' && d.subject === 'stage 2 voterCount'),
    `its message deleted: the stage 2 result counts a vote the pages lack\n${subjects(deleted)}`,
  );
  await tamper('INSERT INTO signed_messages SELECT * FROM saved_page_message');
  await pool.query('DROP TABLE saved_page_message');

  const { rows: before } = await pool.query('SELECT choice FROM votes WHERE message_id = $1', [messageId]);
  const other = JSON.stringify(before[0].choice) === '1' ? '2' : '1';
  await pool.query('UPDATE votes SET choice = $2::jsonb WHERE message_id = $1', [messageId, other]);
  const altered = await verifyProposal({ server, proposalId: id, rpc: stack.chain.rpcUrl, pageSize: 2 });
  t.ok(
    altered.differences.some((d) => d.check === 'vote' && d.subject === voter && new RegExp(`stage 2: choice ${other} published`).test(d.detail)),
    `its choice altered: named\n${subjects(altered)}`,
  );
  await pool.query('UPDATE votes SET choice = $2::jsonb WHERE message_id = $1', [messageId, JSON.stringify(before[0].choice)]);
  t.ok((await verifyProposal({ server, proposalId: id, rpc: stack.chain.rpcUrl, pageSize: 2 })).ok, 'restored: it verifies again');
});

t.test('a vote deleted from the database', async (t) => {
  const id = grants[0]!.id;
  const bob = wallet(2);
  const { rows } = await pool.query('SELECT message_id FROM votes WHERE proposal_id = $1 AND stage = 2 AND voter = $2', [id, bob]);
  const messageId = rows[0].message_id as string;
  await pool.query('CREATE TABLE saved_votes AS SELECT * FROM votes WHERE message_id = $1', [messageId]);
  await pool.query('CREATE TABLE saved_messages AS SELECT * FROM signed_messages WHERE id = $1', [messageId]);
  await tamper('DELETE FROM votes WHERE message_id = $1', [messageId]);
  await tamper('DELETE FROM signed_messages WHERE id = $1', [messageId]);
  const report = await verify(id);
  t.notOk(report.ok);
  t.ok(
    report.differences.some(
      (d) => d.check === 'tally' && d.subject === 'stage 2 voterCount' && /published 3, recounted from the signed messages 2/.test(d.detail),
    ),
    subjects(report),
  );
  t.ok(
    report.differences.some((d) => d.subject === 'stage 2 scores[1]'),
    'the Against score that lost the vote is named',
  );
  await tamper('INSERT INTO signed_messages SELECT * FROM saved_messages');
  await tamper('INSERT INTO votes SELECT * FROM saved_votes');
  await pool.query('DROP TABLE saved_votes, saved_messages');
  t.ok((await verify(id)).ok, 'restored: it verifies again');
});

t.test("a vote's choice (and reason) altered", async (t) => {
  const id = grants[0]!.id;
  const alice = wallet(1);
  await pool.query(`UPDATE votes SET choice = '2', reason = 'edited' WHERE proposal_id = $1 AND stage = 2 AND voter = $2`, [id, alice]);
  const report = await verify(id);
  t.notOk(report.ok);
  t.ok(
    report.differences.some((d) => d.check === 'vote' && d.subject === alice && /stage 2: choice 2 published, 1 signed/.test(d.detail)),
    subjects(report),
  );
  t.ok(
    report.differences.some((d) => d.check === 'vote' && d.subject === alice && /stage 2: the published reason differs from the signed one/.test(d.detail)),
    'the edited reason is named too',
  );
  await pool.query(`UPDATE votes SET choice = '1', reason = '' WHERE proposal_id = $1 AND stage = 2 AND voter = $2`, [id, alice]);
  t.ok((await verify(id)).ok, 'restored: it verifies again');
});

t.test("a vote's power altered", async (t) => {
  const id = grants[0]!.id;
  const carol = wallet(3);
  await pool.query('UPDATE votes SET power = power * 2 WHERE proposal_id = $1 AND voter = $2', [id, carol]);
  const report = await verify(id);
  t.notOk(report.ok);
  t.ok(
    report.differences.some(
      (d) => d.check === 'power' && d.subject === carol && d.detail.includes(`the server counts ${50n * TOKEN}, the chain gives ${25n * TOKEN}`),
    ),
    subjects(report),
  );
  await pool.query('UPDATE votes SET power = power / 2 WHERE proposal_id = $1 AND voter = $2', [id, carol]);
});

t.test('a message inserted with a back-dated time', async (t) => {
  const id = grants[0]!.id;
  const dave = stack.wallets[4]!;
  const history = (await stack.get(`/api/proposals/${id}/history`)).body.items as { to: string; at: string }[];
  const opened = Date.parse(history.find((h) => h.to === 'consensus')!.at);
  const receivedAt = new Date(opened + 1000);
  const envelope = await stack.sign(dave, 'Vote', {
    from: dave.address,
    space: 'blocktrack',
    proposal: id,
    stage: 2,
    timestamp: nowSeconds(),
    choice: '2',
    reason: '',
  });
  const { TypedDataEncoder } = await import('ethers');
  const messageId = TypedDataEncoder.hash(envelope.data.domain, { Vote: envelope.data.types.Vote as never }, envelope.data.message);
  const insert = async (receipt: string | null) =>
    pool.query(
      `INSERT INTO signed_messages (id, type, "from", space_id, proposal_id, timestamp, envelope, signature, sig_kind, sig_block, legacy_receipt, received_at)
       VALUES ($1, 'Vote', $2, 'blocktrack', $3, $4, $5, $6, 'eoa', NULL, $7, $8)`,
      [messageId, dave.address.toLowerCase(), id, envelope.data.message.timestamp, JSON.stringify(envelope), envelope.sig, receipt, receivedAt],
    );

  // Someone with database access but not the receipt key: the message has no leaf in the signed log.
  await insert(null);
  let report = await verify(id);
  t.notOk(report.ok);
  t.ok(
    report.differences.some((d) => d.check === 'log' && d.subject === messageId && d.detail.includes('not in the log')),
    subjects(report),
  );
  await tamper('DELETE FROM signed_messages WHERE id = $1', [messageId]);

  // Passed off as a message from before the log, with a receipt signature of its own: the wrong key.
  const forger = Wallet.createRandom();
  await insert(forger.signingKey.sign(receiptDigest(messageId, receivedAt.getTime())).serialized);
  report = await verify(id);
  t.notOk(report.ok);
  t.ok(
    report.differences.some((d) => d.check === 'receipt' && d.subject === messageId),
    subjects(report),
  );
  await tamper('DELETE FROM signed_messages WHERE id = $1', [messageId]);

  // With the server's own receipt key: the stage result no longer matches the signed messages.
  const key = (stack.app as any).gov.receipts.key as Uint8Array;
  await insert(new Wallet(`0x${Buffer.from(key).toString('hex')}`).signingKey.sign(receiptDigest(messageId, receivedAt.getTime())).serialized);
  report = await verify(id);
  t.notOk(report.ok);
  t.ok(
    report.differences.some((d) => d.check === 'vote' && d.subject === dave.address.toLowerCase() && d.detail.includes(messageId)),
    subjects(report),
  );
  t.ok(
    report.differences.some((d) => d.check === 'tally' && d.subject === 'stage 2 voterCount'),
    'the stage result does not count it',
  );
  await tamper('DELETE FROM signed_messages WHERE id = $1', [messageId]);
  t.ok((await verify(id)).ok, 'removed: it verifies again');
});

t.test('a stage result that does not match its messages', async (t) => {
  const id = grants[0]!.id;
  const { rows } = await pool.query('SELECT scores FROM stage_results WHERE proposal_id = $1 AND stage = 1', [id]);
  const scores = rows[0].scores as string[];
  const altered = [String(BigInt(scores[0]!) + 1n), ...scores.slice(1)];
  await pool.query('UPDATE stage_results SET scores = $2 WHERE proposal_id = $1 AND stage = 1', [id, JSON.stringify(altered)]);
  const report = await verify(id);
  t.notOk(report.ok);
  t.same(
    report.differences.map((d) => `${d.check} ${d.subject}`),
    ['tally stage 1 scores[0]', 'tally stage 1 signature'],
    'the recount names the score, and the result is no longer the one the receipt key signed',
  );
  t.match(report.differences[1]!.detail, /is not the receipt key's over these fields at log tree size \d+/);
  await pool.query('UPDATE stage_results SET scores = $2 WHERE proposal_id = $1 AND stage = 1', [id, JSON.stringify(scores)]);

  // A result re-signed by another key, or its signature removed while it still names a tree size.
  const { rows: signed } = await pool.query('SELECT signature FROM stage_results WHERE proposal_id = $1 AND stage = 2', [id]);
  const forged = Wallet.createRandom().signingKey.sign('0x' + '11'.repeat(32)).serialized;
  for (const [signature, expected] of [
    [forged, /is not the receipt key's over these fields/],
    [null, /names log tree size \d+ but is not signed/],
  ] as const) {
    await pool.query('UPDATE stage_results SET signature = $2 WHERE proposal_id = $1 AND stage = 2', [id, signature]);
    const tampered = await verify(id);
    t.same(
      tampered.differences.map((d) => `${d.check} ${d.subject}`),
      ['tally stage 2 signature'],
      subjects(tampered),
    );
    t.match(tampered.differences[0]?.detail, expected);
  }
  await pool.query('UPDATE stage_results SET signature = $2 WHERE proposal_id = $1 AND stage = 2', [id, signed[0].signature]);
  t.ok((await verify(id)).ok, 'restored: it verifies again');
});

t.test('a scheduled operation whose payload differs from the signed one', async (t) => {
  const report = await verify(grants[1]!.id);
  t.notOk(report.ok);
  const swapped = report.differences.filter((d) => d.check === 'execution' && d.subject.startsWith('operation 0x'));
  t.equal(swapped.length, 1, subjects(report));
  t.match(swapped[0]!.detail, /with this proposal's salt but not its signed payload: call 0 data/);
  t.same(
    report.differences.filter((d) => d.check !== 'execution'),
    [],
    'everything else of it checks out',
  );
  const run = await runVerifyCli(['--server', server, '--rpc', stack.chain.rpcUrl, '--json', grants[1]!.id]);
  t.equal(run.code, 1, 'npm run verify exits 1');
  t.equal(JSON.parse(run.stdout).differences.length, report.differences.length);
});

t.test('contract wallets: ERC-1271 checked at the recorded block (the owner changed since), ERC-6492 listed as not checked', async (t) => {
  const owner = stack.wallets[8]!;
  const smartWallet = await deployContract(stack.wallets[0]!, 'TestSmartWallet', [owner.address]);
  const factory = await deployContract(stack.wallets[0]!, 'TestWalletFactory');
  const salt = keccakText('verify counterfactual');
  const counterfactual: string = await factory.getFunction('walletAddress')(owner.address, salt);
  await (await stack.token.getFunction('mint')(smartWallet.target, 40n * TOKEN)).wait();
  await (await stack.token.getFunction('mint')(counterfactual, 30n * TOKEN)).wait();
  await mineBlocks(stack.chain.provider, 1);
  const space = await createSpace(stack, 'wallets', {
    strategies: [{ name: 'token-weighted', params: { address: String(stack.token.target), method: 'balanceOf' } }],
    temperature: { votingType: 'proposal', period: 600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 },
  });
  t.equal(space.status, 200, JSON.stringify(space.body));
  await mineBlocks(stack.chain.provider, 1);
  const alice = stack.wallets[1]!;
  const created = await stack.submit(
    await stack.sign(alice, 'Proposal', {
      from: alice.address,
      space: 'wallets',
      timestamp: nowSeconds(),
      title: 'Contract wallets',
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
  t.equal(created.status, 200, JSON.stringify(created.body));
  const proposal = created.body.id as string;
  const sign = (message: VoteMessage) => owner.signTypedData(testDomain(), { Vote: [...MESSAGE_TYPES.Vote] }, message as unknown as Record<string, unknown>);
  const vote1271: VoteMessage = { from: String(smartWallet.target), space: 'wallets', proposal, stage: 1, timestamp: nowSeconds(), choice: '1', reason: '' };
  t.equal((await stack.submit(envelopeFor('Vote', vote1271, await sign(vote1271)))).status, 200);
  const vote6492: VoteMessage = { from: counterfactual, space: 'wallets', proposal, stage: 1, timestamp: nowSeconds(), choice: '2', reason: '' };
  const wrapped = hexlify(
    concat([
      AbiCoder.defaultAbiCoder().encode(
        ['address', 'bytes', 'bytes'],
        [factory.target, factory.interface.encodeFunctionData('deploy', [owner.address, salt]), await sign(vote6492)],
      ),
      `0x${'6492'.repeat(16)}`,
    ]),
  );
  const accepted6492 = await stack.submit(envelopeFor('Vote', vote6492, wrapped));
  t.equal(accepted6492.status, 200, JSON.stringify(accepted6492.body));

  // The wallet's owner rotates: its signature is no longer valid now, only at the block the server recorded.
  await (await (smartWallet.connect(owner) as Contract).getFunction('setOwner')(stack.wallets[9]!.address)).wait();
  const report = await verify(proposal);
  t.same(report.differences, [], subjects(report));
  t.ok(report.ok);
  t.ok(
    report.notes.some((n) => n.startsWith(accepted6492.body.id) && /ERC-6492 signature of a wallet not deployed/.test(n)),
    "the counterfactual wallet's signature is listed as not checked",
  );
  t.match(report.checked.power, /2 voters recomputed from the chain/);
});
