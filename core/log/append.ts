/**
 * Appending accepted messages to the log, inside the transaction that stores them.
 *
 * Under the log's append lock (core/db/locks.ts), taken last and held until COMMIT, the append reads
 * the latest head and its peaks (popcount(size) key probes), computes in memory the new leaves' perfect
 * subtrees, the new root and each new leaf's inclusion proof, signs the new tree head with the receipt
 * key and inserts leaves, nodes and head in one statement. The database decides the order: the lock
 * serialises every append of every instance, and an append is visible only once its transaction
 * (with its messages) committed. A rolled-back transaction leaves no leaf, node or head behind.
 *
 * One head per append: a group commit of votes appends its votes together and publishes one head.
 */
import type { Queryable } from '../db/transaction.js';
import { insertLogAppend, lockAndReadFrontier, logAppendDocument, type LogAppendRows, type LogFrontier, type TreeHeadRow } from '../db/log.js';
import { Append, fromHex, hashLeaf, leafInput, toHex, type Hash } from './merkle.js';
import { treeHeadDigest, type DigestSigner } from './digests.js';

export interface LogLeafInput {
  /** The message id (EIP-712 digest), 0x hex. */
  messageId: string;
  /** keccak256 of the signature bytes. */
  signatureHash: Uint8Array;
  receivedAt: Date;
  /** leafHashOf(this), when the caller computed it before taking the lock. */
  leafHash?: Hash;
}

/** A tree head as published: sizes and times as JSON integers, hashes as 0x hex. */
export interface SignedTreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: number;
  signature: string;
}

/** A message's place in the log, returned in its receipt: the first head that includes it and the proof against it. */
export interface LogReceipt {
  leafIndex: number;
  treeHead: SignedTreeHead;
  inclusionProof: string[];
}

export function leafHashOf(leaf: LogLeafInput): Hash {
  return hashLeaf(leafInput(fromHex(leaf.messageId), leaf.signatureHash, leaf.receivedAt.getTime()));
}

export function treeHeadJson(head: TreeHeadRow): SignedTreeHead {
  return { treeSize: head.treeSize, rootHash: toHex(head.rootHash), timestamp: head.timestamp, signature: head.signature };
}

/** An append computed from the frontier: the rows to insert, and the receipts (computed on demand, e.g. while COMMIT is on its way). */
export interface PlannedAppend {
  rows: LogAppendRows;
  document: string;
  receipts(): LogReceipt[];
}

export function planAppend(frontier: LogFrontier, leaves: readonly LogLeafInput[], sign: DigestSigner, nowMs = Date.now()): PlannedAppend {
  if (leaves.length === 0) throw new Error('log append: no leaves');
  const leafHashes = leaves.map((leaf) => leaf.leafHash ?? leafHashOf(leaf));
  const append = new Append(frontier.size, frontier.peaks, leafHashes);
  const root = append.root();
  // Heads of one log never go back in time, whatever the clocks of several instances say.
  const timestamp = Math.max(nowMs, frontier.timestamp);
  const signature = sign(treeHeadDigest(append.size, root, timestamp));
  const head: TreeHeadRow = { treeSize: append.size, rootHash: root, timestamp, signature };
  const rows: LogAppendRows = {
    leaves: leaves.map((leaf, i) => ({
      index: frontier.size + i,
      messageId: leaf.messageId,
      signatureHash: Buffer.from(leaf.signatureHash),
      leafHash: leafHashes[i]!,
      receivedAt: leaf.receivedAt,
    })),
    nodes: append.newNodes().map(({ id, hash }) => ({ level: id.level, index: id.index, hash })),
    head,
  };
  return {
    rows,
    document: logAppendDocument(rows),
    receipts() {
      const treeHead = treeHeadJson(head);
      return leaves.map((_, i) => ({ leafIndex: frontier.size + i, treeHead, inclusionProof: append.inclusionProof(frontier.size + i) }));
    },
  };
}

/** Appends the messages (in this order) within the caller's transaction; call it last in the transaction. */
export async function appendToLog(client: Queryable, leaves: readonly LogLeafInput[], sign: DigestSigner): Promise<LogReceipt[]> {
  const frontier = await lockAndReadFrontier(client);
  const planned = planAppend(frontier, leaves, sign);
  await insertLogAppend(client, planned.document);
  return planned.receipts();
}
