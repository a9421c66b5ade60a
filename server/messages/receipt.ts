/**
 * The receipt key: it signs the log's tree heads and the final stage results (core/log/digests.ts).
 * A message's receipt is its place in the log (leaf index, the first signed tree head that includes
 * it, the inclusion proof), so there is one signature per committed group, not one per message.
 * Its address is GET /api/info `receiptSigner`.
 *
 * Signing uses native libsecp256k1 (RFC 6979 deterministic nonce, low-s normalised, like ethers) and
 * serialises exactly as ethers' Signature.serialized: r ‖ s ‖ v with v = 27 + recovery id,
 * 0x-prefixed lowercase hex.
 */
import { Wallet, getBytes } from 'ethers';
import { bytesToHex } from '../eip712/digest.js';
import { signDigest } from '../eip712/ecdsa.js';

export class ReceiptSigner {
  private readonly key: Uint8Array;
  readonly address: string;

  constructor(privateKey?: string) {
    const wallet = privateKey ? new Wallet(privateKey) : Wallet.createRandom();
    this.key = getBytes(wallet.signingKey.privateKey);
    this.address = wallet.address;
  }

  /** Signs a tagged digest (the log's tree heads, stage results: core/log/digests.ts). */
  signDigest = (digest: Uint8Array): string => bytesToHex(signDigest(digest, this.key));
}
