/**
 * The verifier's RFC 9162 code (verify/merkle.ts) against a tree this test builds with the RFC's own
 * recursive definitions (MTH, PATH, PROOF of §2.1), and the log check (verify/log-check.ts) against
 * a log source serving such trees: a clean log, forked heads, a dropped message, a back-dated leaf,
 * a vote counted after the result's tree size.
 */
import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { hexlify, keccak256, Wallet } from 'ethers';
import {
  EMPTY_ROOT,
  leafHash,
  leafInput,
  messageLeafHash,
  nodeHash,
  StreamingRoot,
  toHex,
  treeHeadDigest,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from '../../verify/merkle.js';
import { checkLog, type LogLeaf, type LoggedMessage, type LogSource, type TreeHead } from '../../verify/log-check.js';
import { recoverSigner } from '../../verify/signatures.js';
import { seededRandom } from '../helpers/random.js';

// ---- RFC 9162 §2.1, written as the RFC defines it (recursive), over index ranges of one leaf list
// ---- with each subtree's MTH memoised, so proofs of 2,500-leaf trees stay cheap ----
const largestPowerOfTwoBelow = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
class NaiveTree {
  private readonly memo = new Map<string, Hash>();
  constructor(readonly leaves: Hash[]) {}
  /** MTH(D[lo:hi]). */
  mth(lo = 0, hi = this.leaves.length): Hash {
    const n = hi - lo;
    if (n === 0) return new Uint8Array(createHash('sha256').digest());
    if (n === 1) return this.leaves[lo]!;
    const key = `${lo}:${hi}`;
    let hash = this.memo.get(key);
    if (!hash) {
      const k = largestPowerOfTwoBelow(n);
      hash = nodeHash(this.mth(lo, lo + k), this.mth(lo + k, hi));
      this.memo.set(key, hash);
    }
    return hash;
  }
  /** PATH(m, D[lo:hi]), m relative to lo. */
  path(m: number, lo = 0, hi = this.leaves.length): Hash[] {
    const n = hi - lo;
    if (n <= 1) return [];
    const k = largestPowerOfTwoBelow(n);
    return m < k ? [...this.path(m, lo, lo + k), this.mth(lo + k, hi)] : [...this.path(m - k, lo + k, hi), this.mth(lo, lo + k)];
  }
  /** SUBPROOF(m, D[lo:hi], b). */
  subproof(m: number, lo: number, hi: number, b: boolean): Hash[] {
    const n = hi - lo;
    if (m === n) return b ? [] : [this.mth(lo, hi)];
    const k = largestPowerOfTwoBelow(n);
    return m <= k ? [...this.subproof(m, lo, lo + k, b), this.mth(lo + k, hi)] : [...this.subproof(m - k, lo + k, hi, false), this.mth(lo, lo + k)];
  }
  /** PROOF(m, D[0:n]). */
  proof(m: number, n = this.leaves.length): Hash[] {
    return m === 0 ? [] : this.subproof(m, 0, n, true);
  }
}
const mth = (leaves: Hash[]) => new NaiveTree(leaves).mth();
const path = (m: number, leaves: Hash[]) => new NaiveTree(leaves).path(m);
const proof = (m: number, leaves: Hash[]) => new NaiveTree(leaves).proof(m);

const randomLeaves = (n: number, seed: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => leafHash(Uint8Array.from([i & 255, (i >> 8) & 255, Math.floor(random() * 256)])));
};

t.test('the empty tree and leaf/node prefixes', async (t) => {
  t.equal(toHex(EMPTY_ROOT), '0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'SHA-256 of ""');
  const d = Uint8Array.of(1, 2, 3);
  t.equal(
    toHex(leafHash(d)),
    `0x${createHash('sha256')
      .update(Uint8Array.of(0, 1, 2, 3))
      .digest('hex')}`,
    'leaf = SHA-256(0x00 ‖ d)',
  );
  t.equal(
    toHex(nodeHash(leafHash(d), EMPTY_ROOT)),
    `0x${createHash('sha256').update(Uint8Array.of(1)).update(leafHash(d)).update(EMPTY_ROOT).digest('hex')}`,
    'node = SHA-256(0x01 ‖ l ‖ r)',
  );
});

t.test('streaming root = MTH at every size', async (t) => {
  const leaves = randomLeaves(130, 1);
  const stream = new StreamingRoot();
  t.same(stream.root(), mth([]));
  let equal = 0;
  for (let n = 1; n <= leaves.length; n++) {
    stream.append(leaves[n - 1]!);
    if (toHex(stream.root()) === toHex(mth(leaves.slice(0, n)))) equal++;
  }
  t.equal(equal, leaves.length);
});

t.test('inclusion proofs: every leaf of trees of 1..70 leaves and random sizes verifies; any change fails', async (t) => {
  const random = seededRandom(7);
  const sizes = [...Array.from({ length: 70 }, (_, i) => i + 1), ...Array.from({ length: 5 }, () => 100 + Math.floor(random() * 900))];
  let verified = 0;
  let checked = 0;
  for (const n of sizes) {
    const leaves = randomLeaves(n, n);
    const root = mth(leaves);
    const indexes = n <= 70 ? Array.from({ length: n }, (_, i) => i) : [0, n - 1, Math.floor(random() * n)];
    for (const m of indexes) {
      checked++;
      const audit = path(m, leaves);
      if (verifyInclusion(m, n, leaves[m]!, audit, root)) verified++;
      const other = (m + 1) % n;
      if (n > 1 && verifyInclusion(other, n, leaves[m]!, audit, root)) t.fail(`index ${other} accepted for leaf ${m} of ${n}`);
      if (verifyInclusion(m, n, leafHash(Uint8Array.of(9, 9)), audit, root)) t.fail(`another leaf accepted at ${m} of ${n}`);
      if (audit.length > 0 && verifyInclusion(m, n, leaves[m]!, audit.slice(0, -1), root)) t.fail(`a short path accepted at ${m} of ${n}`);
    }
  }
  t.equal(verified, checked, `${checked} inclusion proofs verify`);
  t.notOk(verifyInclusion(0, 0, EMPTY_ROOT, [], EMPTY_ROOT), 'nothing is in the empty tree');
  t.notOk(verifyInclusion(3, 3, randomLeaves(3, 3)[2]!, [], mth(randomLeaves(3, 3))), 'an index beyond the tree');
});

t.test('consistency proofs: every pair of sizes up to 40 verifies; forked heads do not', async (t) => {
  const leaves = randomLeaves(40, 11);
  let verified = 0;
  let pairs = 0;
  let forksCaught = 0;
  let forks = 0;
  for (let n = 1; n <= leaves.length; n++) {
    for (let m = 0; m <= n; m++) {
      pairs++;
      const first = mth(leaves.slice(0, m));
      const second = mth(leaves.slice(0, n));
      const p = proof(m, leaves.slice(0, n));
      if (verifyConsistency(m, n, first, second, p)) verified++;
      if (m >= 1 && m < n) {
        // A fork: the second head's tree rewrote leaf m-1 (inside the first head's tree).
        forks++;
        const forked = [...leaves.slice(0, n)];
        forked[m - 1] = leafHash(Uint8Array.of(0xff, m, n));
        const forkedProof = proof(m, forked);
        if (!verifyConsistency(m, n, first, mth(forked), forkedProof) && !verifyConsistency(m, n, first, mth(forked), p)) forksCaught++;
        const tampered = p.map((h, i) => (i === 0 ? nodeHash(h, h) : h));
        if (p.length > 0 && verifyConsistency(m, n, first, second, tampered)) t.fail(`a tampered proof ${m} → ${n} accepted`);
      }
    }
  }
  t.equal(verified, pairs, `${pairs} consistency proofs verify`);
  t.equal(forksCaught, forks, `${forks} forked head pairs refused`);
  t.notOk(verifyConsistency(5, 4, mth(leaves.slice(0, 5)), mth(leaves.slice(0, 4)), []), 'a shrinking log');
  t.notOk(verifyConsistency(4, 4, mth(leaves.slice(0, 4)), mth(leaves.slice(0, 5)), []), 'two different roots of one size');
  t.notOk(verifyConsistency(3, 8, mth(leaves.slice(0, 3)), mth(leaves.slice(0, 8)), []), 'an empty proof between different sizes');
});

t.test("the leaf and tree head formats of the log contract; a head's signer recovers", async (t) => {
  const id = `0x${'11'.repeat(32)}`;
  const sig = `0x${'22'.repeat(65)}`;
  const input = leafInput(id, sig, 1_700_000_000_123);
  t.equal(input.length, 72);
  t.equal(hexlify(input.subarray(0, 32)), id, 'message id first');
  t.equal(hexlify(input.subarray(32, 64)), keccak256(sig), 'then keccak256(signature)');
  t.equal(hexlify(input.subarray(64)), '0x0000018bcfe5687b', 'then uint64be(receivedAt ms)');
  const wallet = Wallet.createRandom();
  const root = toHex(mth(randomLeaves(5, 5)));
  const digest = treeHeadDigest(5, root, 1_700_000_000_000);
  t.equal(
    digest,
    keccak256(
      Buffer.concat([
        Buffer.from('govrelay:tree-head:v1'),
        Buffer.from('0000000000000005', 'hex'),
        Buffer.from(root.slice(2), 'hex'),
        Buffer.from('0000018bcfe56800', 'hex'),
      ]),
    ),
  );
  t.equal(recoverSigner(digest, wallet.signingKey.sign(digest).serialized), wallet.address.toLowerCase());
});

// ---- The log check against a log source serving trees built here ----

interface TestLog {
  messages: (LoggedMessage & { proposalId: string })[];
  heads: Map<number, TreeHead>;
  /** Leaf hashes served (a fork or a rewrite changes them). */
  leaves: LogLeaf[];
}

function buildLog(key: Wallet, messages: TestLog['messages'], headSizes: number[]): TestLog {
  const leaves = messages.map((m, index) => ({
    index,
    messageId: m.id,
    signatureHash: keccak256(m.signature),
    receivedAt: m.receivedAtMs,
    leafHash: toHex(messageLeafHash(m.id, m.signature, m.receivedAtMs)),
  }));
  const heads = new Map<number, TreeHead>();
  for (const size of headSizes) heads.set(size, signedHead(key, leaves.slice(0, size), 1_700_000_000_000 + size));
  return { messages, heads, leaves };
}

function signedHead(key: Wallet, leaves: LogLeaf[], timestamp: number): TreeHead {
  const rootHash = toHex(mth(leaves.map((l) => Uint8Array.from(Buffer.from(l.leafHash.slice(2), 'hex')))));
  return { treeSize: leaves.length, rootHash, timestamp, signature: key.signingKey.sign(treeHeadDigest(leaves.length, rootHash, timestamp)).serialized };
}

function sourceOf(log: TestLog, served: { messages?: TestLog['messages'] } = {}): LogSource {
  const tree = new NaiveTree(log.leaves.map((l) => Uint8Array.from(Buffer.from(l.leafHash.slice(2), 'hex'))));
  const latest = Math.max(...log.heads.keys());
  const available = served.messages ?? log.messages;
  return {
    head: async () => log.heads.get(latest)!,
    headAt: async (size) => log.heads.get(size) ?? null,
    inclusion: async (id, size) => {
      const index = log.leaves.findIndex((l) => l.messageId === id);
      if (index < 0 || index >= size) return null;
      return { leafIndex: index, treeSize: size, leafHash: log.leaves[index]!.leafHash, auditPath: tree.path(index, 0, size).map(toHex) };
    },
    consistency: async (from, to) => ({ from, to, proof: tree.proof(from, to).map(toHex) }),
    leaves: async (start, end) => log.leaves.slice(start, end),
    message: async (id) => {
      const m = available.find((x) => x.id === id);
      return m ? { proposalId: m.proposalId } : null;
    },
  };
}

const PROPOSAL = `0x${'aa'.repeat(32)}`;
const OTHER = `0x${'bb'.repeat(32)}`;

function messagesFor(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: hexlify(randomBytes(32)),
    type: i === 0 ? 'Proposal' : 'Vote',
    signature: hexlify(randomBytes(65)),
    receivedAtMs: 1_700_000_000_000 + i * 10,
    proposalId: i % 5 === 4 ? OTHER : PROPOSAL,
  }));
}

t.test('the log check: a clean log passes; forks, drops, back-dating and late counting are named', async (t) => {
  const key = new Wallet(Wallet.createRandom().privateKey);
  const all = messagesFor(2500);
  const ours = all.filter((m) => m.proposalId === PROPOSAL);
  const votes = ours.filter((m) => m.type === 'Vote');
  const stageSize = 2000;
  const counted = votes.filter((m) => all.indexOf(m) < stageSize).map((m) => m.id);
  const input = { proposalId: PROPOSAL, receiptSigner: key.address, messages: ours, stages: [{ stage: 1, logTreeSize: stageSize, messageIds: counted }] };

  const clean = buildLog(key, all, [stageSize, 2500]);
  const ok = await checkLog(sourceOf(clean), input);
  t.ok(ok.checked);
  t.same(ok.differences, [], 'a clean log: no difference');

  // Forked heads: the latest head's tree rewrote leaf 10, inside the stage result's head.
  const forked = buildLog(key, all, [2500]);
  forked.heads.set(stageSize, clean.heads.get(stageSize)!);
  forked.leaves[10] = { ...forked.leaves[10]!, leafHash: toHex(leafHash(Uint8Array.of(1))) };
  forked.heads.set(2500, signedHead(key, forked.leaves, 1_700_000_002_500));
  const fork = await checkLog(sourceOf(forked), input);
  t.ok(
    fork.differences.some((d) => d.subject === `tree heads ${stageSize} → 2500` && /not consistent/.test(d.detail)),
    'forked heads: not consistent',
  );
  t.ok(
    fork.differences.some((d) => d.subject === 'leaf 10'),
    'the rewritten leaf is named',
  );

  // A message of the proposal the server no longer serves (deleted), but the log still holds.
  const dropped = ours[7]!;
  const drop = await checkLog(sourceOf(clean, { messages: all.filter((m) => m !== dropped) }), { ...input, messages: ours.filter((m) => m !== dropped) });
  t.same(
    drop.differences.map((d) => d.subject),
    [`leaf ${all.indexOf(dropped)}`],
    'the deleted message is named by its leaf',
  );
  t.match(drop.differences[0]!.detail, dropped.id);

  // A message published with a back-dated receipt time: its leaf commits to the real one.
  const backdated = ours.map((m) => (m === votes[3] ? { ...m, receivedAtMs: m.receivedAtMs - 60_000 } : m));
  const back = await checkLog(sourceOf(clean), { ...input, messages: backdated });
  t.ok(
    back.differences.some((d) => d.subject === votes[3]!.id && /receivedAt/.test(d.detail)),
    'the back-dated message is named',
  );

  // A vote counted in the stage but appended after the tree size the result names.
  const late = votes.find((m) => all.indexOf(m) >= stageSize)!;
  const lateCheck = await checkLog(sourceOf(clean), { ...input, stages: [{ ...input.stages[0]!, messageIds: [...counted, late.id] }] });
  t.same(
    lateCheck.differences.map((d) => d.subject),
    [late.id],
  );

  // The space's settings changes are leaves too: one in the log passes, one missing or back-dated is named.
  const settings = all.find((m) => m.proposalId === OTHER)!;
  t.same((await checkLog(sourceOf(clean), { ...input, settingsMessages: [{ ...settings, type: 'Space' }] })).differences, [], 'a settings change in the log');
  const unlogged = { id: hexlify(randomBytes(32)), type: 'Space', signature: hexlify(randomBytes(65)), receivedAtMs: 1_700_000_000_000 };
  const settingsCheck = await checkLog(sourceOf(clean), {
    ...input,
    settingsMessages: [unlogged, { ...settings, type: 'Space', receivedAtMs: settings.receivedAtMs - 1 }],
  });
  t.same(
    settingsCheck.differences.map((d) => `${d.subject}: ${d.detail.replace(/\d{4}-.*Z/g, 'T')}`),
    [
      `${unlogged.id}: Space message (a settings change) is not in the log (size 2500)`,
      `${settings.id}: receivedAt T in its log leaf ${all.indexOf(settings)}`,
    ],
    'a settings change without a leaf, and one published with another receipt time',
  );

  // A head signed by another key.
  const stranger = buildLog(new Wallet(Wallet.createRandom().privateKey), all, [stageSize, 2500]);
  const foreign = await checkLog(sourceOf(stranger), input);
  t.equal(foreign.differences.filter((d) => /not signed by the receipt key/.test(d.detail)).length, 2, 'both heads refused');

  // No log published: not checked, not a failure.
  const none = await checkLog({ ...sourceOf(clean), head: async () => null }, input);
  t.notOk(none.checked);
  t.same(none.differences, []);
  t.match(none.notes[0], /not checked/);
});
