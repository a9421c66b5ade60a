/**
 * Inclusion and consistency proofs from stored nodes: the RFC 9162 recursion names O(log n) ranges,
 * each range is the fold of at most log n stored perfect subtrees, and they are read in one query.
 */
import type { Queryable } from '../db/transaction.js';
import { findLeafByMessage, firstTreeHeadIncluding, readNodes } from '../db/log.js';
import { treeHeadJson, type LogReceipt } from './append.js';
import { consistencyRanges, foldRange, inclusionRanges, nodeKey, nodesFor, rootRange, toHex, type Hash, type LeafRange, type NodeId } from './merkle.js';

async function hashRanges(db: Queryable, ranges: readonly LeafRange[]): Promise<Hash[]> {
  const stored = await readNodes(db, nodesFor(ranges));
  const node = (id: NodeId): Hash => {
    const hash = stored.get(nodeKey(id));
    if (!hash) throw new Error(`log: node ${nodeKey(id)} is not stored`);
    return hash;
  };
  return ranges.map((range) => foldRange(range, node));
}

/** The audit path of leaf `leafIndex` in the tree of `treeSize` leaves (treeSize ≤ the latest head's). */
export async function inclusionProof(db: Queryable, leafIndex: number, treeSize: number): Promise<string[]> {
  return (await hashRanges(db, inclusionRanges(leafIndex, treeSize))).map(toHex);
}

/** The consistency proof from the tree of `first` leaves to the tree of `second` (first ≤ second ≤ the latest head's). */
export async function consistencyProof(db: Queryable, first: number, second: number): Promise<string[]> {
  return (await hashRanges(db, consistencyRanges(first, second))).map(toHex);
}

/** The root of the tree of `treeSize` leaves, from stored nodes (any size up to the latest head's). */
export async function rootAt(db: Queryable, treeSize: number): Promise<Hash> {
  const [root] = await hashRanges(db, [rootRange(treeSize)]);
  return root!;
}

/** A stored message's log entry as its receipt gave it: the first head that includes it and the proof against that head. */
export async function logReceiptFor(db: Queryable, messageId: string): Promise<LogReceipt | null> {
  const leaf = await findLeafByMessage(db, messageId);
  if (!leaf) return null;
  const head = await firstTreeHeadIncluding(db, leaf.index);
  if (!head) throw new Error(`log: leaf ${leaf.index} has no tree head`);
  return { leafIndex: leaf.index, treeHead: treeHeadJson(head), inclusionProof: await inclusionProof(db, leaf.index, head.treeSize) };
}
