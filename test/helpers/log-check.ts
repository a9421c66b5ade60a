/**
 * Checks of the message log as a client would make them, from the API alone and with code of the
 * test's own (test/helpers/merkle-reference.ts, ethers): a receipt's signed tree head and inclusion
 * proof, and a mirror of the whole log rebuilt from GET /api/log/leaves.
 */
import { keccak256, recoverAddress, solidityPackedKeccak256 } from 'ethers';
import { hex, leafHash, mth, unhex, verifyConsistency, verifyInclusion } from './merkle-reference.js';

export interface HeadJson {
  treeSize: number;
  rootHash: string;
  timestamp: number;
  signature: string;
}

export interface LogJson {
  leafIndex: number;
  treeHead: HeadJson;
  inclusionProof: string[];
}

type Get = (path: string) => Promise<{ status: number; body: any }>;

export function treeHeadSigner(head: HeadJson): string {
  const digest = solidityPackedKeccak256(['string', 'uint64', 'bytes32', 'uint64'], ['govrelay:tree-head:v1', head.treeSize, head.rootHash, head.timestamp]);
  return recoverAddress(digest, head.signature);
}

/** The leaf hash a client computes from what it sent and its receipt's receivedAt. */
export function clientLeafHash(messageId: string, signature: string, receivedAtMs: number): Buffer {
  const input = Buffer.alloc(72);
  unhex(messageId).copy(input, 0);
  unhex(keccak256(signature)).copy(input, 32);
  input.writeBigUInt64BE(BigInt(receivedAtMs), 64);
  return leafHash(input);
}

/** Problems with one receipt (empty when it checks out): its tree head's signature and its inclusion proof. */
export function receiptLogProblems(acknowledged: { id: string; receivedAt: string; receipt: LogJson }, signature: string, receiptSigner: string): string[] {
  const problems: string[] = [];
  const { id, receivedAt, receipt } = acknowledged;
  if (treeHeadSigner(receipt.treeHead) !== receiptSigner) problems.push(`${id}: tree head not signed by the receipt key`);
  const leaf = clientLeafHash(id, signature, Date.parse(receivedAt));
  if (!verifyInclusion(receipt.leafIndex, receipt.treeHead.treeSize, leaf, receipt.inclusionProof.map(unhex), unhex(receipt.treeHead.rootHash))) {
    problems.push(`${id}: inclusion proof of leaf ${receipt.leafIndex} does not verify against head ${receipt.treeHead.treeSize}`);
  }
  return problems;
}

export interface Mirror {
  leaves: { index: number; messageId: string; signatureHash: string; receivedAt: number; leafHash: string }[];
  head: HeadJson;
}

/** Downloads every leaf up to the latest head, 1000 at a time. */
export async function mirrorLog(get: Get): Promise<Mirror> {
  const head = (await get('/api/log/head')).body as HeadJson;
  const leaves: Mirror['leaves'] = [];
  for (let start = 0; start < head.treeSize; start += 1000) {
    const page = await get(`/api/log/leaves?start=${start}&end=${Math.min(head.treeSize, start + 1000)}`);
    if (page.status !== 200) throw new Error(`leaves: ${page.status} ${JSON.stringify(page.body)}`);
    leaves.push(...page.body.leaves);
  }
  return { leaves, head };
}

/** Problems with a mirror: indexes, each leaf hash recomputed from its fields, the root of every given head. */
export function mirrorProblems(mirror: Mirror, heads: readonly HeadJson[] = [mirror.head]): string[] {
  const problems: string[] = [];
  const hashes = mirror.leaves.map((leaf, i) => {
    if (leaf.index !== i) problems.push(`leaf ${i} has index ${leaf.index}`);
    const input = Buffer.alloc(72);
    unhex(leaf.messageId).copy(input, 0);
    unhex(leaf.signatureHash).copy(input, 32);
    input.writeBigUInt64BE(BigInt(leaf.receivedAt), 64);
    const hash = leafHash(input);
    if (hex(hash) !== leaf.leafHash) problems.push(`leaf ${i}: leafHash is not SHA-256(0x00 ‖ its fields)`);
    return hash;
  });
  if (hashes.length !== mirror.head.treeSize) problems.push(`${hashes.length} leaves for a head of ${mirror.head.treeSize}`);
  for (const head of heads) {
    if (hex(mth(hashes.slice(0, head.treeSize))) !== head.rootHash) problems.push(`head ${head.treeSize}: root differs from the mirror's`);
  }
  return problems;
}

/** Problems with the consistency of each head with the latest one, through GET /api/log/proof/consistency. */
export async function consistencyProblems(get: Get, heads: readonly HeadJson[], latest: HeadJson): Promise<string[]> {
  const problems: string[] = [];
  for (const head of heads) {
    const { status, body } = await get(`/api/log/proof/consistency?from=${head.treeSize}&to=${latest.treeSize}`);
    if (status !== 200) problems.push(`consistency ${head.treeSize} → ${latest.treeSize}: ${status}`);
    else if (!verifyConsistency(head.treeSize, latest.treeSize, unhex(head.rootHash), unhex(latest.rootHash), body.proof.map(unhex))) {
      problems.push(`head ${head.treeSize} is not consistent with ${latest.treeSize}`);
    }
  }
  return problems;
}
