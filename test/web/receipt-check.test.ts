/**
 * The members' app checks a receipt in the browser (web/src/vote/receipt.ts) with code of its own:
 * against the test's reference tree (test/helpers/merkle-reference.ts) and ethers signatures, every
 * receipt of trees of 1 to 40 leaves checks out, and each kind of tampering is refused (another
 * leaf index, receipt time or signature, a proof element changed or dropped, another tree size, a
 * head signed by another key).
 */
import t from 'tap';
import { keccak256, solidityPackedKeccak256, Wallet } from 'ethers';
import { leafHash as referenceLeafHash, hex, mth, path } from '../helpers/merkle-reference.js';
import { clientLeafHash } from '../helpers/log-check.js';
import { leafHash, receiptIsValid, rootFromInclusionProof, treeHeadSignerOf, type LogReceipt } from '../../web/src/vote/receipt.js';

const key = new Wallet('0x' + '11'.repeat(32));
const other = new Wallet('0x' + '22'.repeat(32));
const BASE_MS = 1_764_860_400_000;

interface Sent {
  id: string;
  signature: string;
  receivedAtMs: number;
}

const sent: Sent[] = Array.from({ length: 40 }, (_, i) => ({
  id: keccak256(Buffer.from(`message ${i}`)),
  signature: keccak256(Buffer.from(`sig ${i}`)) + keccak256(Buffer.from(`sig2 ${i}`)).slice(2) + '1b',
  receivedAtMs: BASE_MS + i * 250,
}));

function signHead(treeSize: number, rootHash: string, timestamp: number, wallet = key) {
  const digest = solidityPackedKeccak256(['string', 'uint64', 'bytes32', 'uint64'], ['govrelay:tree-head:v1', treeSize, rootHash, timestamp]);
  return { treeSize, rootHash, timestamp, signature: wallet.signingKey.sign(digest).serialized };
}

function receiptFor(index: number, size: number): { id: string; receivedAt: string; receipt: LogReceipt } {
  const leaves = sent.slice(0, size).map((m) => clientLeafHash(m.id, m.signature, m.receivedAtMs));
  const root = hex(mth(leaves));
  return {
    id: sent[index]!.id,
    receivedAt: new Date(sent[index]!.receivedAtMs).toISOString(),
    receipt: { leafIndex: index, treeHead: signHead(size, root, BASE_MS + 60_000), inclusionProof: path(index, leaves).map(hex) },
  };
}

t.test('the leaf hash is the reference one', async (t) => {
  for (const m of sent.slice(0, 5)) {
    t.equal(Buffer.from(leafHash(m.id, m.signature, m.receivedAtMs)).toString('hex'), clientLeafHash(m.id, m.signature, m.receivedAtMs).toString('hex'));
  }
  t.equal(
    Buffer.from(leafHash(sent[0]!.id, sent[0]!.signature, 0)).toString('hex'),
    referenceLeafHash(
      Buffer.concat([Buffer.from(sent[0]!.id.slice(2), 'hex'), Buffer.from(keccak256(sent[0]!.signature).slice(2), 'hex'), Buffer.alloc(8)]),
    ).toString('hex'),
    'receivedAt 0',
  );
});

t.test('every receipt of every tree of 1 to 40 leaves checks out', async (t) => {
  let checked = 0;
  let failed = 0;
  for (let size = 1; size <= 40; size++) {
    for (let index = 0; index < size; index++) {
      checked++;
      if (!receiptIsValid(receiptFor(index, size), sent[index]!.signature, key.address)) failed++;
    }
  }
  t.equal(failed, 0, `${checked} receipts`);
  t.equal(treeHeadSignerOf(receiptFor(0, 1).receipt.treeHead), key.address.toLowerCase());
});

t.test('tampering is refused', async (t) => {
  const good = receiptFor(5, 13);
  const signature = sent[5]!.signature;
  t.ok(receiptIsValid(good, signature, key.address), 'the untouched receipt');
  const cases: [string, typeof good, string][] = [
    ['another leaf index', { ...good, receipt: { ...good.receipt, leafIndex: 6 } }, signature],
    ['another receipt time', { ...good, receivedAt: new Date(sent[5]!.receivedAtMs + 1).toISOString() }, signature],
    ['another signature', good, sent[6]!.signature],
    ['another message id', { ...good, id: sent[6]!.id }, signature],
    [
      'a proof element changed',
      { ...good, receipt: { ...good.receipt, inclusionProof: good.receipt.inclusionProof.map((p, i) => (i === 1 ? sent[0]!.id : p)) } },
      signature,
    ],
    ['a proof element dropped', { ...good, receipt: { ...good.receipt, inclusionProof: good.receipt.inclusionProof.slice(1) } }, signature],
    ['another tree size', { ...good, receipt: { ...good.receipt, treeHead: { ...good.receipt.treeHead, treeSize: 14 } } }, signature],
    [
      'a head signed by another key',
      { ...good, receipt: { ...good.receipt, treeHead: signHead(13, good.receipt.treeHead.rootHash, good.receipt.treeHead.timestamp, other) } },
      signature,
    ],
    ['a leaf index beyond the tree', { ...good, receipt: { ...good.receipt, leafIndex: 13 } }, signature],
    ['not hex', { ...good, receipt: { ...good.receipt, inclusionProof: ['0xzz'] } }, signature],
  ];
  for (const [what, receipt, sig] of cases) t.notOk(receiptIsValid(receipt, sig, key.address), what);
  t.equal(rootFromInclusionProof(0, 0, new Uint8Array(32), []), null, 'an empty tree includes nothing');
});
