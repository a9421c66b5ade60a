/**
 * verify/log-prefetch.ts: the leaves checkLog mirrors are read ahead, at most 4 requests at a time,
 * each page once; the head is read once; checkLog's report is the same with or without the read-ahead
 * (a tampered leaf included); ranges it did not plan go to the source; a failed page fails checkLog
 * when it gets there, never as an unhandled rejection.
 */
import t from 'tap';
import { hexlify, keccak256, randomBytes, Wallet } from 'ethers';
import { checkLog, type LogLeaf, type LogSource, type TreeHead } from '../../verify/log-check.js';
import { prefetchLeaves } from '../../verify/log-prefetch.js';
import { messageLeafHash, StreamingRoot, toHex, treeHeadDigest } from '../../verify/merkle.js';

const PROPOSAL = `0x${'aa'.repeat(32)}`;
const key = new Wallet(Wallet.createRandom().privateKey);

/** A log of `size` leaves (every message this proposal's) under one signed head. */
function buildLog(size: number) {
  const messages = Array.from({ length: size }, (_, i) => ({
    id: hexlify(randomBytes(32)),
    type: i === 0 ? 'Proposal' : 'Vote',
    signature: hexlify(randomBytes(65)),
    receivedAtMs: 1_700_000_000_000 + i,
  }));
  const root = new StreamingRoot();
  const leaves: LogLeaf[] = messages.map((m, index) => {
    const hash = messageLeafHash(m.id, m.signature, m.receivedAtMs);
    root.append(hash);
    return { index, messageId: m.id, signatureHash: keccak256(m.signature), receivedAt: m.receivedAtMs, leafHash: toHex(hash) };
  });
  const rootHash = toHex(root.root());
  const head: TreeHead = {
    treeSize: size,
    rootHash,
    timestamp: 1_700_000_100_000,
    signature: key.signingKey.sign(treeHeadDigest(size, rootHash, 1_700_000_100_000)).serialized,
  };
  return { messages, leaves, head };
}

/** A source over the log that counts its requests and how many leaf pages were in flight at once. */
function countingSource(log: ReturnType<typeof buildLog>, options: { failPage?: number } = {}) {
  const calls = { head: 0, leaves: [] as [number, number][], inFlight: 0, maxInFlight: 0 };
  const source: LogSource = {
    head: async () => {
      calls.head++;
      return log.head;
    },
    headAt: async (size) => (size === log.head.treeSize ? log.head : null),
    inclusion: async () => null,
    consistency: async (from, to) => ({ from, to, proof: [] }),
    leaves: async (start, end) => {
      calls.leaves.push([start, end]);
      calls.maxInFlight = Math.max(calls.maxInFlight, ++calls.inFlight);
      await new Promise((r) => setTimeout(r, 5));
      calls.inFlight--;
      if (start === options.failPage) throw new Error(`leaves ${start}-${end}: HTTP 503`);
      return log.leaves.slice(start, end);
    },
    message: async (id) => (log.messages.some((m) => m.id === id) ? { proposalId: PROPOSAL } : null),
  };
  return { source, calls };
}

const inputOf = (log: ReturnType<typeof buildLog>) => ({
  proposalId: PROPOSAL,
  receiptSigner: key.address,
  messages: log.messages,
  stages: [],
  maxInclusionProofs: 3,
});

t.test('read ahead 4 at a time, each page once, the head once; the same report as without it', async (t) => {
  const log = buildLog(9_500);
  // A tampered leaf: both reports must name it the same way.
  log.leaves[4321] = { ...log.leaves[4321]!, leafHash: toHex(messageLeafHash(log.messages[0]!.id, log.messages[0]!.signature, 1)) };
  const direct = await checkLog(countingSource(log).source, inputOf(log));
  t.ok(
    direct.differences.some((d) => d.subject === 'leaf 4321'),
    'the tampered leaf is named',
  );

  const { source, calls } = countingSource(log);
  const ahead = prefetchLeaves(source);
  ahead.start();
  await new Promise((r) => setTimeout(r, 200));
  t.equal(calls.leaves.length, 10, 'every page of the log was read before checkLog asked');
  t.equal(calls.maxInFlight, 4, 'at most 4 requests in flight (and 4 used)');
  t.same(
    calls.leaves.map(([s]) => s),
    Array.from({ length: 10 }, (_, i) => i * 1000),
    'requested in index order',
  );
  t.same(calls.leaves.at(-1), [9000, 9500], 'the last page ends at the head size');
  const prefetched = await checkLog(ahead, inputOf(log));
  t.same(prefetched, direct, "checkLog's report is the same");
  t.equal(calls.head, 1, 'the head was read once, for the read-ahead and checkLog');
  t.equal(calls.leaves.length, 10, 'no page read twice');

  // A range that was not planned (or asked for twice) goes to the source.
  t.same(await ahead.leaves(5, 8), log.leaves.slice(5, 8));
  t.same(await ahead.leaves(0, 1000), log.leaves.slice(0, 1000));
  t.equal(calls.leaves.length, 12);
});

t.test('without start(), the source is used as it is', async (t) => {
  const log = buildLog(1_200);
  const { source, calls } = countingSource(log);
  const report = await checkLog(prefetchLeaves(source), inputOf(log));
  t.same(report, await checkLog(countingSource(log).source, inputOf(log)));
  t.equal(calls.maxInFlight, 1, 'one page after another, as checkLog asks');
});

t.test('a page that fails is the error checkLog sees when it gets there, not an unhandled rejection', async (t) => {
  const log = buildLog(3_000);
  const { source } = countingSource(log, { failPage: 1000 });
  const ahead = prefetchLeaves(source);
  ahead.start();
  // Long enough for the failed page to settle unobserved (tap fails the test on an unhandled rejection).
  await new Promise((r) => setTimeout(r, 100));
  await t.rejects(checkLog(ahead, inputOf(log)), /leaves 1000-2000: HTTP 503/);
});
