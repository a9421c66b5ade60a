/**
 * The log across a crash: two server processes (`server/main.ts` children on one database) take
 * batches of votes at once; one is SIGKILLed mid-load and started again, and the load goes on. Then
 * every receipted message is in the log at the index its receipt says, every receipt's proof
 * verifies, every head either process ever returned is consistent with the latest one (before the
 * kill, across it and after), a mirror rebuilt from the leaves gives every head's root, and the log
 * holds exactly the stored messages, without a gap. Checked with the test's own RFC 9162 code.
 */
import t from 'tap';
import pg from 'pg';
import { createProposal, createSpace, startStack, TOKEN, waitFor, type TestStack } from '../helpers/stack.js';
import { nowSeconds, type Envelope } from '../helpers/messages.js';
import { ChildGroup } from '../helpers/relayer-child.js';
import { consistencyProblems, mirrorLog, mirrorProblems, receiptLogProblems, type HeadJson, type LogJson } from '../helpers/log-check.js';

const VOTERS = 12;

t.test('a server killed mid-load: every receipted message is in the log where its receipt says, and the log stays consistent', async (t) => {
  const holders = Object.fromEntries(Array.from({ length: VOTERS }, (_, i) => [i + 1, BigInt(i + 1) * TOKEN]));
  const stack: TestStack = await startStack({ holders, config: { RECEIPT_PRIVATE_KEY: `0x${'6b'.repeat(32)}` } });
  const children = new ChildGroup();
  const db = new pg.Pool({ connectionString: stack.db.url, max: 1 });
  let stop = false;
  let loads: Promise<void>[] = [];
  t.teardown(async () => {
    stop = true;
    await Promise.all(loads);
    await children.stopAll();
    await db.end();
    await stack.close();
  });
  const receiptSigner = (await stack.get('/api/info')).body.receiptSigner as string;
  const longStage = { votingType: 'proposal', period: 3600, quorum: { kind: 'absolute', power: '1' }, passThresholdBps: 5000 };
  t.equal((await createSpace(stack, 'blocktrack', { temperature: longStage })).status, 200);
  const alice = stack.wallets[1]!;
  const proposalId = await createProposal(stack, 'Crash', { author: alice });
  // The in-process app only set things up; the children take the load.
  const childConfig = { ...stack.config, LIFECYCLE_SWEEP_INTERVAL_MS: 60_000 };
  const servers = [await children.spawnServer('a', childConfig), await children.spawnServer('b', childConfig)];

  const receipts: { id: string; receivedAt: string; receipt: LogJson; signature: string; phase: string }[] = [];
  let failedRequests = 0;
  let lastFailure = '';
  const refused: string[] = [];
  let phase = 'before the kill';
  let clock = nowSeconds() - 3000;
  /** One instance's load: its half of the voters, one vote each per batch, newer timestamps each round. */
  const load = async (slot: number) => {
    while (!stop) {
      const timestamp = clock++;
      const batch: Envelope<'Vote'>[] = [];
      for (let v = 1 + slot; v <= VOTERS; v += 2) {
        const wallet = stack.wallets[v]!;
        batch.push(
          await stack.sign(wallet, 'Vote', {
            from: wallet.address,
            space: 'blocktrack',
            proposal: proposalId,
            stage: 1,
            timestamp,
            choice: String(1 + (v % 3)),
            reason: '',
          }),
        );
      }
      const sentIn = phase;
      try {
        const response = await fetch(`${servers[slot]!.url}/api/messages/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        });
        const body = (await response.json()) as { results: any[] };
        if (response.status !== 200) throw new Error(`${response.status} ${JSON.stringify(body)}`);
        body.results.forEach((r, i) => {
          if (r.ok) receipts.push({ id: r.id, receivedAt: r.receivedAt, receipt: r.receipt, signature: batch[i]!.sig, phase: sentIn });
          else refused.push(r.code);
        });
      } catch (error) {
        lastFailure = String(error);
        failedRequests++; // the killed server's requests in flight: no receipt, so no promise
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  loads = [load(0), load(1)];
  const progress = (enough: () => boolean) => async () => {
    if (failedRequests > 200) throw new Error(`the load fails: ${lastFailure}`);
    if (refused.length > 0) throw new Error(`votes refused: ${refused.join(', ')}`);
    return enough();
  };

  await waitFor(
    progress(() => receipts.length >= 60),
    90_000,
    20,
  );
  await servers[0]!.kill();
  const atKill = receipts.length;
  phase = 'after the restart';
  servers[0] = await children.spawnServer('a-restarted', childConfig);
  await waitFor(
    progress(() => receipts.filter((r) => r.phase === 'after the restart').length >= 60),
    90_000,
    20,
  );
  stop = true;
  await Promise.all(loads);
  t.comment(`${atKill} receipts before the kill, ${receipts.length - atKill} after; ${failedRequests} requests lost to the kill`);

  const get = async (path: string) => {
    const response = await fetch(`${servers[1]!.url}${path}`);
    return { status: response.status, body: await response.json() };
  };
  t.same(
    receipts.flatMap((r) => receiptLogProblems(r, r.signature, receiptSigner)),
    [],
    'every receipt: head signed by the receipt key, inclusion proof verifies',
  );
  const mirror = await mirrorLog(get);
  const misplaced = receipts.filter((r) => mirror.leaves[r.receipt.leafIndex]?.messageId !== r.id).map((r) => `${r.id} @ ${r.receipt.leafIndex}`);
  t.same(misplaced, [], 'every receipted message is in the log at the index of its receipt');
  const heads = new Map<number, HeadJson>();
  for (const r of receipts) heads.set(r.receipt.treeHead.treeSize, r.receipt.treeHead);
  t.same(mirrorProblems(mirror, [...heads.values()]), [], `the mirror of ${mirror.leaves.length} leaves gives the root of all ${heads.size} heads seen`);
  t.same(await consistencyProblems(get, [...heads.values()], mirror.head), [], 'every head seen is consistent with the latest, across the restart');
  const stored = await db.query(
    `SELECT (SELECT count(*) FROM signed_messages)::int AS messages,
            (SELECT count(*) FROM signed_messages s WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.message_id = s.id))::int AS unlogged`,
  );
  t.same(stored.rows[0], { messages: mirror.head.treeSize, unlogged: 0 }, 'the log holds exactly the stored messages');
});
