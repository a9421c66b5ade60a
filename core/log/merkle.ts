/**
 * RFC 9162 (Certificate Transparency 2.0) §2.1 Merkle tree math for the message log, with no I/O.
 *
 * Hashing: leaf = SHA-256(0x00 ‖ leaf input), node = SHA-256(0x01 ‖ left ‖ right), empty tree =
 * SHA-256(""). A leaf input is 72 bytes: the message id (its EIP-712 digest, 32) ‖ keccak256 of the
 * signature bytes (32) ‖ uint64be(receivedAt in ms) (8).
 *
 * Storage model: the hash of every *perfect* subtree is stored once (level h, index i covers leaves
 * [i·2^h, (i+1)·2^h); level 0 are the leaf hashes). Any range the RFC's recursion names, [a, b) with a
 * aligned to the split, is the right fold of its perfect "peaks" (the binary digits of b − a), so a
 * proof is planned as ranges (PATH, SUBPROOF), each range resolved to O(log n) stored nodes, all read
 * at once, then folded. Nothing ever rehashes the log.
 */
import { hash } from 'node:crypto';

export type Hash = Buffer;

/** A perfect subtree: `level` h and `index` i, covering leaves [i·2^h, (i+1)·2^h). */
export interface NodeId {
  level: number;
  index: number;
}

/** A range of leaves [start, end) whose RFC 9162 MTH a proof contains. */
export interface LeafRange {
  start: number;
  end: number;
}

export const LEAF_INPUT_BYTES = 72;

/** SHA-256 of the parts, concatenated. One-shot crypto.hash over one buffer: a third cheaper than a Hash object per call. */
function sha256(...parts: Uint8Array[]): Hash {
  let length = 0;
  for (const part of parts) length += part.length;
  const input = Buffer.allocUnsafe(length);
  let at = 0;
  for (const part of parts) {
    input.set(part, at);
    at += part.length;
  }
  return hash('sha256', input, 'buffer');
}

const LEAF_PREFIX = Uint8Array.of(0);
const NODE_PREFIX = Uint8Array.of(1);

export const EMPTY_ROOT: Hash = sha256();

export function hashLeaf(input: Uint8Array): Hash {
  return sha256(LEAF_PREFIX, input);
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Hash {
  return sha256(NODE_PREFIX, left, right);
}

/** The 72-byte leaf input of a message: id ‖ keccak256(signature) ‖ uint64be(receivedAt ms). */
export function leafInput(messageId: Uint8Array, signatureHash: Uint8Array, receivedAtMs: number): Buffer {
  if (messageId.length !== 32 || signatureHash.length !== 32) throw new Error('log leaf: message id and signature hash must be 32 bytes');
  if (!Number.isSafeInteger(receivedAtMs) || receivedAtMs < 0) throw new Error(`log leaf: bad receivedAt ${receivedAtMs}`);
  const input = Buffer.allocUnsafe(LEAF_INPUT_BYTES);
  input.set(messageId, 0);
  input.set(signatureHash, 32);
  input.writeBigUInt64BE(BigInt(receivedAtMs), 64);
  return input;
}

export function toHex(hash: Uint8Array): string {
  return `0x${Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('hex')}`;
}

export function fromHex(hex: string): Hash {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`log: expected a 32-byte 0x hash, got ${hex}`);
  return Buffer.from(hex.slice(2), 'hex');
}

/** The largest power of two strictly below n (n ≥ 2): the RFC's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees whose right fold is MTH(D[start:end]), left to right. For ranges of the RFC
 * recursion (start aligned to the largest power of two ≤ end − start) they shrink left to right.
 */
export function rangeNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    let level = 0;
    while (at % (size * 2) === 0 && at + size * 2 <= end) {
      size *= 2;
      level++;
    }
    nodes.push({ level, index: at / size });
    at += size;
  }
  return nodes;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) as the ranges whose MTH it lists, from the leaf upwards. */
export function inclusionRanges(leafIndex: number, treeSize: number): LeafRange[] {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) throw new Error(`inclusion proof: leaf ${leafIndex} is not in a tree of ${treeSize}`);
  const out: LeafRange[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      out.push({ start: start + k, end });
    } else {
      walk(m - k, start + k, end);
      out.push({ start, end: start + k });
    }
  };
  walk(leafIndex, 0, treeSize);
  return out;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) as ranges; empty when m = n or m = 0 (every tree extends the empty one). */
export function consistencyRanges(first: number, second: number): LeafRange[] {
  if (!(first >= 0 && first <= second)) throw new Error(`consistency proof: ${first} > ${second}`);
  if (first === 0 || first === second) return [];
  const out: LeafRange[] = [];
  const sub = (m: number, start: number, end: number, complete: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!complete) out.push({ start, end });
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, start, start + k, complete);
      out.push({ start: start + k, end });
    } else {
      sub(m - k, start + k, end, false);
      out.push({ start, end: start + k });
    }
  };
  sub(first, 0, second, true);
  return out;
}

export const nodeKey = (node: NodeId): string => `${node.level}:${node.index}`;

/** Every stored node the ranges need, without repeats. */
export function nodesFor(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const range of ranges) for (const node of rangeNodes(range.start, range.end)) seen.set(nodeKey(node), node);
  return [...seen.values()];
}

/** MTH of a range from its perfect subtrees' hashes (the right fold). */
export function foldRange(range: LeafRange, node: (id: NodeId) => Hash): Hash {
  if (range.end <= range.start) return EMPTY_ROOT;
  const peaks = rangeNodes(range.start, range.end);
  let hash = node(peaks[peaks.length - 1]!);
  for (let i = peaks.length - 2; i >= 0; i--) hash = hashChildren(node(peaks[i]!), hash);
  return hash;
}

/** The root of a tree of `size` leaves. */
export function rootRange(size: number): LeafRange {
  return { start: 0, end: size };
}

/**
 * An append of leaves to a tree of `base` leaves whose peaks are known: computes every new perfect
 * node (those containing a new leaf), the new root, and the inclusion proof of each new leaf in the
 * new tree, from memory. Every hash is computed once (proofs of neighbouring leaves share nodes and
 * right-hand ranges).
 */
export class Append {
  readonly size: number;
  private readonly nodes = new Map<string, Hash>();
  private readonly ranges = new Map<string, { hash: Hash; hex: string }>();

  constructor(
    readonly base: number,
    /** The hashes of rangeNodes(0, base), keyed by nodeKey. */
    peaks: ReadonlyMap<string, Hash>,
    readonly leafHashes: readonly Hash[],
  ) {
    this.size = base + leafHashes.length;
    for (const id of rangeNodes(0, base)) {
      const hash = peaks.get(nodeKey(id));
      if (!hash) throw new Error(`log append: peak ${nodeKey(id)} of a tree of ${base} is missing`);
      this.nodes.set(nodeKey(id), hash);
    }
    leafHashes.forEach((hash, i) => this.nodes.set(`0:${base + i}`, hash));
  }

  /** A perfect subtree's hash: known (peak, new leaf) or computed from its children. */
  node = (id: NodeId): Hash => {
    const key = nodeKey(id);
    const known = this.nodes.get(key);
    if (known) return known;
    if (id.level === 0) throw new Error(`log append: leaf ${id.index} is neither new nor under a peak`);
    const hash = hashChildren(this.node({ level: id.level - 1, index: id.index * 2 }), this.node({ level: id.level - 1, index: id.index * 2 + 1 }));
    this.nodes.set(key, hash);
    return hash;
  };

  /** The perfect nodes (level ≥ 1) that contain at least one new leaf: what the append stores. */
  newNodes(): { id: NodeId; hash: Hash }[] {
    const out: { id: NodeId; hash: Hash }[] = [];
    for (let level = 1; 2 ** level <= this.size; level++) {
      const width = 2 ** level;
      for (let index = Math.floor(this.base / width); (index + 1) * width <= this.size; index++) {
        const id = { level, index };
        out.push({ id, hash: this.node(id) });
      }
    }
    return out;
  }

  private range(range: LeafRange): { hash: Hash; hex: string } {
    const key = `${range.start}:${range.end}`;
    let found = this.ranges.get(key);
    if (!found) {
      const hash = foldRange(range, this.node);
      found = { hash, hex: toHex(hash) };
      this.ranges.set(key, found);
    }
    return found;
  }

  root(): Hash {
    return this.size === 0 ? EMPTY_ROOT : this.range(rootRange(this.size)).hash;
  }

  /** The audit path of new leaf `leafIndex` in the new tree, as 0x hex. */
  inclusionProof(leafIndex: number): string[] {
    return inclusionRanges(leafIndex, this.size).map((range) => this.range(range).hex);
  }
}
