/**
 * The log's Merkle math (core/log/merkle.ts) against a naive RFC 9162 implementation written from
 * the RFC's recursive definitions (test/helpers/merkle-reference.ts): appends in random batches give
 * the reference root and audit paths, the stored perfect subtrees are exactly those of the tree, and
 * proofs planned from stored nodes equal the reference's PATH and PROOF for random sizes. The signed
 * digests are checked against ethers' solidityPackedKeccak256 of the documented layout.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { solidityPackedKeccak256, toUtf8Bytes, keccak256, hexlify } from 'ethers';
import {
  Append,
  consistencyRanges,
  EMPTY_ROOT,
  foldRange,
  hashLeaf,
  inclusionRanges,
  leafInput,
  nodeKey,
  nodesFor,
  rangeNodes,
  type Hash,
  type NodeId,
} from '../../core/log/merkle.js';
import { canonicalJson, stageResultDigest, treeHeadDigest } from '../../core/log/digests.js';
import { consistency, leafHash, mth, path, verifyConsistency, verifyInclusion } from '../helpers/merkle-reference.js';
import { seededRandom } from '../helpers/random.js';

const SEED = Number(process.env.MERKLE_SEED ?? 17);

/** A log built by appends in random batches, keeping every stored node like the database does. */
function buildLog(total: number, random: () => number) {
  const leaves: Buffer[] = Array.from({ length: total }, () => hashLeaf(randomBytes(72)));
  const store = new Map<string, Hash>();
  const heads: { size: number; root: Hash }[] = [];
  let size = 0;
  const problems: string[] = [];
  while (size < total) {
    const batch = Math.min(total - size, 1 + Math.floor(random() * (random() < 0.2 ? 40 : 5)));
    const peaks = new Map<string, Hash>();
    for (const id of rangeNodes(0, size)) peaks.set(nodeKey(id), store.get(nodeKey(id))!);
    const append = new Append(size, peaks, leaves.slice(size, size + batch));
    for (let i = 0; i < batch; i++) store.set(`0:${size + i}`, leaves[size + i]!);
    for (const { id, hash } of append.newNodes()) {
      if (store.has(nodeKey(id))) problems.push(`node ${nodeKey(id)} stored twice`);
      store.set(nodeKey(id), hash);
    }
    const newSize = size + batch;
    const root = append.root();
    if (!root.equals(mth(leaves.slice(0, newSize)))) problems.push(`root at ${newSize}`);
    for (let i = size; i < newSize; i++) {
      const expected = path(i, leaves.slice(0, newSize)).map((h) => `0x${h.toString('hex')}`);
      if (JSON.stringify(append.inclusionProof(i)) !== JSON.stringify(expected)) problems.push(`append proof of ${i} in ${newSize}`);
    }
    heads.push({ size: newSize, root });
    size = newSize;
  }
  return { leaves, store, heads, problems };
}

function fromStore(store: Map<string, Hash>) {
  return (id: NodeId): Hash => {
    const hash = store.get(nodeKey(id));
    if (!hash) throw new Error(`missing ${nodeKey(id)}`);
    return hash;
  };
}

t.test('appends in random batches: roots and audit paths equal the reference; every perfect subtree stored once', async (t) => {
  const random = seededRandom(SEED);
  const sizes = [
    1,
    2,
    3,
    4,
    5,
    7,
    8,
    9,
    15,
    16,
    17,
    31,
    32,
    33,
    64,
    100,
    127,
    128,
    129,
    257,
    ...Array.from({ length: 12 }, () => 1 + Math.floor(random() * 600)),
  ];
  for (const total of sizes) {
    const { store, problems } = buildLog(total, random);
    t.same(problems, [], `log of ${total}: appends agree with the reference`);
    let expected = total; // leaves
    for (let level = 1; 2 ** level <= total; level++) expected += Math.floor(total / 2 ** level);
    t.equal(store.size, expected, `log of ${total}: exactly its perfect subtrees are stored`);
  }
});

t.test('proofs from stored nodes equal RFC 9162 PATH and PROOF for random sizes, and verify', async (t) => {
  const random = seededRandom(SEED + 1);
  const total = 700;
  const { leaves, store, heads } = buildLog(total, random);
  const node = fromStore(store);
  let checked = 0;
  const problems: string[] = [];
  for (let round = 0; round < 400; round++) {
    const n = 1 + Math.floor(random() * total);
    const m = Math.floor(random() * n);
    const prefix = leaves.slice(0, n);
    const root = foldRange({ start: 0, end: n }, node);
    if (!root.equals(mth(prefix))) problems.push(`root ${n}`);
    const audit = inclusionRanges(m, n).map((r) => foldRange(r, node));
    if (!Buffer.concat(audit).equals(Buffer.concat(path(m, prefix)))) problems.push(`PATH(${m}, ${n})`);
    if (!verifyInclusion(m, n, leaves[m]!, audit, root)) problems.push(`inclusion of ${m} in ${n} does not verify`);
    // A proof reads O(log n) stored nodes.
    if (nodesFor(inclusionRanges(m, n)).length > 2 * Math.ceil(Math.log2(n + 1)) + 2) problems.push(`too many nodes for PATH(${m}, ${n})`);
    const first = 1 + Math.floor(random() * n);
    const proof = consistencyRanges(first, n).map((r) => foldRange(r, node));
    const reference = first === n ? [] : consistency(first, prefix);
    if (!Buffer.concat(proof).equals(Buffer.concat(reference))) problems.push(`PROOF(${first}, ${n})`);
    if (!verifyConsistency(first, n, mth(leaves.slice(0, first)), root, proof)) problems.push(`consistency ${first} → ${n} does not verify`);
    checked++;
  }
  t.same(problems, []);
  t.equal(checked, 400);
  // Every published head is consistent with the last one.
  const last = heads[heads.length - 1]!;
  for (const head of heads) {
    const proof = consistencyRanges(head.size, last.size).map((r) => foldRange(r, node));
    t.ok(verifyConsistency(head.size, last.size, head.root, last.root, proof), `head ${head.size} → ${last.size}`);
  }
});

t.test('a forked log fails consistency; a wrong leaf fails inclusion', async (t) => {
  const random = seededRandom(SEED + 2);
  const { leaves, store } = buildLog(40, random);
  const forked = [...leaves];
  forked[11] = leafHash(Buffer.from('another message'));
  const node = fromStore(store);
  const proof = consistencyRanges(20, 40).map((r) => foldRange(r, node));
  t.ok(verifyConsistency(20, 40, mth(leaves.slice(0, 20)), mth(leaves), proof));
  t.notOk(verifyConsistency(20, 40, mth(forked.slice(0, 20)), mth(leaves), proof), 'a different history at 20 is caught');
  t.notOk(verifyConsistency(20, 40, mth(leaves.slice(0, 20)), mth(forked), proof), 'a different tree at 40 is caught');
  const audit = inclusionRanges(11, 40).map((r) => foldRange(r, node));
  t.notOk(verifyInclusion(11, 40, forked[11]!, audit, mth(leaves)));
  t.equal(EMPTY_ROOT.toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'empty root = SHA-256("")');
});

t.test('leaf input, tree head and stage result digests follow the documented layouts', async (t) => {
  const id = randomBytes(32);
  const sigHash = randomBytes(32);
  const input = leafInput(id, sigHash, 1_700_000_000_123);
  t.equal(input.length, 72);
  t.same(input.subarray(64), Buffer.from('0000018bcfe5687b', 'hex'), 'uint64 big-endian ms');
  t.ok(hashLeaf(input).equals(leafHash(input)));

  const root = randomBytes(32);
  t.equal(
    hexlify(treeHeadDigest(12345, root, 1_700_000_000_123)),
    solidityPackedKeccak256(['string', 'uint64', 'bytes32', 'uint64'], ['govrelay:tree-head:v1', 12345, root, 1_700_000_000_123]),
  );
  const result = {
    votingType: 'basic',
    choices: ['For', 'Against', 'Abstain'],
    scores: ['10', '0', '1'],
    scoresByStrategy: [['10'], ['0'], ['1']],
    totalPower: '11',
    voterCount: 2,
    quorum: '5',
    quorumReached: true,
    passed: true,
    winningChoice: 1,
    outcome: 'passed',
  };
  const canonical =
    '{"choices":["For","Against","Abstain"],"outcome":"passed","passed":true,"quorum":"5","quorumReached":true,"scores":["10","0","1"],' +
    '"scoresByStrategy":[["10"],["0"],["1"]],"totalPower":"11","voterCount":2,"votingType":"basic","winningChoice":1}';
  t.equal(canonicalJson(result), canonical, 'keys sorted, no whitespace');
  t.equal(canonicalJson({ b: 'é"\\', a: [null, false] }), '{"a":[null,false],"b":"é\\"\\\\"}');
  const proposalId = `0x${randomBytes(32).toString('hex')}`;
  t.equal(
    hexlify(stageResultDigest(proposalId, 2, 77, { ...result, extra: 'ignored' } as typeof result)),
    solidityPackedKeccak256(
      ['string', 'bytes32', 'uint8', 'uint64', 'bytes32'],
      ['govrelay:stage-result:v1', proposalId, 2, 77, keccak256(toUtf8Bytes(canonical))],
    ),
  );
});
