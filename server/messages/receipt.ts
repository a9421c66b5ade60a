/**
 * Receipts: the server signs (message id, receivedAt) with its receipt key, so a client can prove
 * that the server acknowledged its message at that time. Verify with
 * ethers.recoverAddress(receiptDigest(id, receivedAtMs), receipt) == GET /api/info receiptSigner.
 */
import { SigningKey, Wallet, concat, keccak256, toBeHex, zeroPadValue } from 'ethers';

export function receiptDigest(messageId: string, receivedAtMs: number): string {
  return keccak256(concat([messageId, zeroPadValue(toBeHex(receivedAtMs), 8)]));
}

export class ReceiptSigner {
  private readonly key: SigningKey;
  readonly address: string;

  constructor(privateKey?: string) {
    const wallet = privateKey ? new Wallet(privateKey) : Wallet.createRandom();
    this.key = wallet.signingKey;
    this.address = wallet.address;
  }

  sign(messageId: string, receivedAtMs: number): string {
    return this.key.sign(receiptDigest(messageId, receivedAtMs)).serialized;
  }
}
