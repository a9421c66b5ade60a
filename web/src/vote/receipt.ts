/**
 * Checks a receipt in the browser: the server signs keccak256(id ‖ uint64be(receivedAt in ms)) with
 * its receipt key (docs/api.md#receipts); we recover the signer and compare it with
 * GET /api/info's receiptSigner. secp256k1 from @noble/curves, keccak from @noble/hashes.
 */
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3.js';

const hexToBytes = (hex: string) => {
  const clean = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new TypeError('not hex');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
};
const bytesToHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function receiptDigest(messageId: string, receivedAtMs: number): Uint8Array {
  const data = new Uint8Array(40);
  data.set(hexToBytes(messageId), 0);
  new DataView(data.buffer).setBigUint64(32, BigInt(receivedAtMs));
  return keccak_256(data);
}

/** The address that signed `receipt` over (id, receivedAt), lowercase; null when it is no valid signature. */
export function receiptSignerOf(messageId: string, receivedAt: string, receipt: string): string | null {
  try {
    const sig = hexToBytes(receipt);
    if (sig.length !== 65) return null;
    const v = sig[64]!;
    const recovery = v >= 27 ? v - 27 : v;
    if (recovery > 1) return null;
    const point = secp256k1.Signature.fromCompact(sig.slice(0, 64))
      .addRecoveryBit(recovery)
      .recoverPublicKey(receiptDigest(messageId, Date.parse(receivedAt)));
    const publicKey = point.toRawBytes(false).slice(1);
    return `0x${bytesToHex(keccak_256(publicKey).slice(12))}`;
  } catch {
    return null;
  }
}

export function receiptIsValid(answer: { id: string; receipt: string; receivedAt: string }, receiptSigner: string): boolean {
  const signer = receiptSignerOf(answer.id, answer.receivedAt, answer.receipt);
  return signer !== null && signer === receiptSigner.toLowerCase();
}
