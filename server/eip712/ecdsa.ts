/**
 * The ECDSA fast path: recover an EOA signer and sign a digest with native libsecp256k1.
 * Synchronous, no chain access and few imports, so it runs on the event loop or in the vote
 * crypto workers (server/messages/vote-crypto-worker.ts) alike.
 */
import secp256k1 from 'secp256k1';
import { keccak256 } from './keccak.js';
import { bytesToHex, hexToBytes } from './digest.js';

/** secp256k1n / 2, big-endian: s above this is the malleable twin of a low-s signature. */
const HALF_CURVE_ORDER = hexToBytes('0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0')!;

/** Recovery id from v (27/28, or 0/1 as some wallets send), or -1 if v is neither. */
export function recoveryId(sig: Uint8Array): number {
  const v = sig[64]!;
  if (v === 27 || v === 28) return v - 27;
  if (v === 0 || v === 1) return v;
  return -1;
}

/** True for a 65-byte signature whose s (bytes 32..63) exceeds secp256k1n/2. */
export function isHighS(sig: Uint8Array): boolean {
  if (sig.length !== 65) return false;
  for (let i = 0; i < 32; i++) {
    const s = sig[32 + i]!;
    const half = HALF_CURVE_ORDER[i]!;
    if (s !== half) return s > half;
  }
  return false;
}

/**
 * The 20 address bytes of the key that made this 65-byte r‖s‖v signature over the 32-byte digest,
 * or null if it is not a recoverable low-s ECDSA signature (wrong length, bad v, high s, r or s
 * out of range).
 */
export function recoverEoaBytes(digest: Uint8Array, sig: Uint8Array): Uint8Array | null {
  if (digest.length !== 32 || sig.length !== 65 || isHighS(sig)) return null;
  const recid = recoveryId(sig);
  if (recid < 0) return null;
  let publicKey: Uint8Array;
  try {
    publicKey = secp256k1.ecdsaRecover(sig.subarray(0, 64), recid, digest, false);
  } catch {
    return null; // r or s is zero or not below the curve order, or no point for this r
  }
  return keccak256(publicKey.subarray(1)).subarray(12);
}

/** recoverEoaBytes as a lowercase 0x address. */
export function recoverEoa(digest: Uint8Array, sig: Uint8Array): string | null {
  const address = recoverEoaBytes(digest, sig);
  return address ? bytesToHex(address) : null;
}

/**
 * r ‖ s ‖ v with v = 27 + recovery id, exactly as ethers' Signature.serialized: RFC 6979
 * deterministic nonce and low-s, like ethers' SigningKey.sign.
 */
export function signDigest(digest: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const { signature, recid } = secp256k1.ecdsaSign(digest, privateKey);
  const out = new Uint8Array(65);
  out.set(signature, 0);
  out[64] = 27 + recid;
  return out;
}
