/**
 * Checks a receipt in the browser (docs/api.md#receipts). A receipt is the message's place in the
 * server's log: its leaf index, the first signed tree head that includes it, and the inclusion proof.
 * We recompute the leaf from what we sent (message id, our signature) and the receipt time, walk the
 * proof up to the root (RFC 9162 §2.1.3.2), and recover the tree head's signer, which must be
 * GET /api/info's receiptSigner. secp256k1 from @noble/curves, SHA-256 and keccak from @noble/hashes.
 */
import { secp256k1 } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';

export interface TreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: number;
  signature: string;
}

export interface LogReceipt {
  leafIndex: number;
  treeHead: TreeHead;
  inclusionProof: string[];
}

const hexToBytes = (hex: string) => {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new TypeError('not hex');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
};
const bytesToHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const uint64be = (value: number) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
};

/** SHA-256(0x00 ‖ id ‖ keccak256(signature) ‖ uint64be(receivedAt ms)): the leaf the log must hold. */
export function leafHash(messageId: string, signature: string, receivedAtMs: number): Uint8Array {
  return sha256(concat(Uint8Array.of(0), hexToBytes(messageId), keccak_256(hexToBytes(signature)), uint64be(receivedAtMs)));
}

/** RFC 9162 §2.1.3.2: the root the audit path gives for `leaf` at `index` in a tree of `size`, or null. */
export function rootFromInclusionProof(index: number, size: number, leaf: Uint8Array, path: Uint8Array[]): Uint8Array | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = sha256(concat(Uint8Array.of(1), p, r));
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = sha256(concat(Uint8Array.of(1), r, p));
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** The address that signed the tree head, lowercase; null when it is no valid signature. */
export function treeHeadSignerOf(head: TreeHead): string | null {
  try {
    const digest = keccak_256(
      concat(new TextEncoder().encode('govrelay:tree-head:v1'), uint64be(head.treeSize), hexToBytes(head.rootHash), uint64be(head.timestamp)),
    );
    const sig = hexToBytes(head.signature);
    if (sig.length !== 65) return null;
    const v = sig[64]!;
    const recovery = v >= 27 ? v - 27 : v;
    if (recovery > 1) return null;
    const point = secp256k1.Signature.fromCompact(sig.slice(0, 64)).addRecoveryBit(recovery).recoverPublicKey(digest);
    return `0x${bytesToHex(keccak_256(point.toRawBytes(false).slice(1)).slice(12))}`;
  } catch {
    return null;
  }
}

/** True when the receipt places (id, our signature, receivedAt) in a tree head signed by `receiptSigner`. */
export function receiptIsValid(answer: { id: string; receivedAt: string; receipt: LogReceipt }, signature: string, receiptSigner: string): boolean {
  try {
    const { leafIndex, treeHead, inclusionProof } = answer.receipt;
    const leaf = leafHash(answer.id, signature, Date.parse(answer.receivedAt));
    const root = rootFromInclusionProof(leafIndex, treeHead.treeSize, leaf, inclusionProof.map(hexToBytes));
    if (!root || `0x${bytesToHex(root)}` !== treeHead.rootHash.toLowerCase()) return false;
    return treeHeadSignerOf(treeHead) === receiptSigner.toLowerCase();
  } catch {
    return false;
  }
}
