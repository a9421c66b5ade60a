/**
 * Receipts: the server signs (message id, receivedAt) with its receipt key, so a client can prove
 * that the server acknowledged its message at that time. Verify with
 * ethers.recoverAddress(receiptDigest(id, receivedAtMs), receipt) == GET /api/info receiptSigner.
 *
 * Signing is on the vote hot path, so it uses native libsecp256k1 (RFC 6979 deterministic nonce,
 * low-s normalised, like ethers) and serialises exactly as ethers' Signature.serialized: r ‖ s ‖ v
 * with v = 27 + recovery id, 0x-prefixed lowercase hex. The digest is keccak256(id ‖ uint64 ms).
 */
import { keccak256 } from '../eip712/keccak.js';
import { Wallet, getBytes } from 'ethers';
import { bytesToHex, hexToBytes } from '../eip712/digest.js';
import { signDigest } from '../eip712/ecdsa.js';

const ID_PATTERN = /^0x[0-9a-fA-F]{64}$/;

export function receiptDigestBytes(messageId: string, receivedAtMs: number): Uint8Array {
  if (!ID_PATTERN.test(messageId)) throw new Error(`receipt: message id must be 32 bytes of hex, got ${messageId}`);
  if (!Number.isSafeInteger(receivedAtMs) || receivedAtMs < 0) throw new Error(`receipt: receivedAtMs must be a non-negative integer, got ${receivedAtMs}`);
  const input = new Uint8Array(40);
  input.set(hexToBytes(messageId)!, 0);
  new DataView(input.buffer).setBigUint64(32, BigInt(receivedAtMs));
  return keccak256(input);
}

export function receiptDigest(messageId: string, receivedAtMs: number): string {
  return bytesToHex(receiptDigestBytes(messageId, receivedAtMs));
}

export class ReceiptSigner {
  private readonly key: Uint8Array;
  readonly address: string;

  constructor(privateKey?: string) {
    const wallet = privateKey ? new Wallet(privateKey) : Wallet.createRandom();
    this.key = getBytes(wallet.signingKey.privateKey);
    this.address = wallet.address;
  }

  sign(messageId: string, receivedAtMs: number): string {
    return bytesToHex(signDigest(receiptDigestBytes(messageId, receivedAtMs), this.key));
  }

  /** Signs another tagged digest with the same key (the log's tree heads, stage results: core/log/digests.ts). */
  signDigest = (digest: Uint8Array): string => bytesToHex(signDigest(digest, this.key));

  /** The key, for the vote crypto workers that sign receipts off the event loop. */
  get privateKey(): Uint8Array {
    return this.key;
  }
}
