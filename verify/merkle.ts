/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree arithmetic, written for the verifier alone:
 * leaf and node hashing with their 0x00 / 0x01 prefixes, the verification of inclusion proofs
 * (§2.1.3.2) and of consistency proofs (§2.1.4.2), and a streaming root so a mirrored log can be
 * rehashed in one pass. Pure functions over bytes; nothing here knows HTTP or the server.
 *
 * govrelay's leaf (docs/api.md, the log contract): messageId (32 bytes, the EIP-712 digest) ‖
 * keccak256(signature bytes) (32) ‖ uint64 big-endian receivedAt in ms (8).
 */
import { createHash } from 'node:crypto';
import { toUtf8Bytes } from 'ethers';
import { fromHex as bytesOf, keccak256, keccak256Hex, toHex as hexOf } from './bytes.js';

export type Hash = Uint8Array;

const sha256 = (...parts: Uint8Array[]): Hash => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return new Uint8Array(h.digest());
};

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** SHA-256 of the empty string: the root of the empty tree. */
export const EMPTY_ROOT: Hash = sha256();

export const leafHash = (leafInput: Uint8Array): Hash => sha256(LEAF_PREFIX, leafInput);
export const nodeHash = (left: Hash, right: Hash): Hash => sha256(NODE_PREFIX, left, right);

export function uint64be(value: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

/** The 72-byte leaf input of one message. */
export function leafInput(messageId: string, signature: string, receivedAtMs: number): Uint8Array {
  const out = new Uint8Array(72);
  out.set(bytesOf(messageId), 0);
  out.set(keccak256(bytesOf(signature)), 32);
  out.set(uint64be(receivedAtMs), 64);
  return out;
}

export const messageLeafHash = (messageId: string, signature: string, receivedAtMs: number): Hash => leafHash(leafInput(messageId, signature, receivedAtMs));

/** The digest the receipt key signs for a tree head. */
export function treeHeadDigest(treeSize: number, rootHash: string, timestampMs: number): string {
  const tag = toUtf8Bytes('govrelay:tree-head:v1');
  const out = new Uint8Array(tag.length + 8 + 32 + 8);
  out.set(tag, 0);
  out.set(uint64be(treeSize), tag.length);
  out.set(bytesOf(rootHash), tag.length + 8);
  out.set(uint64be(timestampMs), tag.length + 40);
  return keccak256Hex(out);
}

export const toHex = (hash: Hash): string => hexOf(hash);
export const fromHex = (hex: string): Hash => bytesOf(hex);

export function sameHash(a: Hash, b: Hash): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** RFC 9162 §2.1.3.2: does `auditPath` prove leaf `leafIndex` (hash `leaf`) in the tree of `treeSize` leaves with root `root`? */
export function verifyInclusion(leafIndex: number, treeSize: number, leaf: Hash, auditPath: readonly Hash[], root: Hash): boolean {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return false;
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize - 1);
  let r = leaf;
  for (const p of auditPath) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && sameHash(r, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of `first` leaves (root `firstRoot`) is a prefix
 * of the tree of `second` leaves (root `secondRoot`)? Equal sizes need an empty proof and equal roots;
 * the empty tree is a prefix of every tree (empty proof).
 */
export function verifyConsistency(first: number, second: number, firstRoot: Hash, secondRoot: Hash, proof: readonly Hash[]): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && sameHash(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0 && sameHash(firstRoot, EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = BigInt(first - 1);
  let sn = BigInt(second - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && sameHash(fr, firstRoot) && sameHash(sr, secondRoot);
}

/**
 * The root of a log read leaf by leaf, in O(log n) memory: a stack of the perfect subtrees so far
 * (the binary digits of the size). root() at any size is what RFC 9162's MTH gives for the leaves
 * appended up to then, so one pass over a mirrored log checks every tree head seen on the way.
 */
export class StreamingRoot {
  private readonly stack: { size: number; hash: Hash }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  append(leaf: Hash): void {
    let node = { size: 1, hash: leaf };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.size === node.size) {
      const left = this.stack.pop()!;
      node = { size: left.size * 2, hash: nodeHash(left.hash, node.hash) };
    }
    this.stack.push(node);
    this.count++;
  }

  /** MTH of the leaves appended so far: the perfect subtrees folded right to left. */
  root(): Hash {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let hash = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i]!.hash, hash);
    return hash;
  }
}
