/**
 * The in-flight transaction record a relayer keeps in Redis per step, and the read-only view of a
 * sender that operator tools use. The relayer's TxSender (relayer/tx-sender.ts) writes the records
 * and implements PendingTxReader; the server's admin routes and the CLI only read them.
 */

/** What Redis keeps per step while its transaction is in flight. Amounts are decimal strings. */
export interface PendingTx {
  owner: string;
  claimedAt: number;
  nonce?: number;
  to?: string;
  data?: string;
  value?: string;
  gasLimit?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  gasPrice?: string;
  /** Hashes of every version sent, oldest first. */
  hashes?: string[];
  /** The latest signed version. */
  raw?: string;
  sentAt?: number;
}

/** The Redis key of a step's in-flight transaction record (operator tools read it without a key). */
export function pendingTxKey(redisPrefix: string, key: string): string {
  return `${redisPrefix}:relayer:tx:${key}`;
}

/** What operator tools need of a sender: in-flight records and simulations from the relayer's address. */
export interface PendingTxReader {
  pending(key: string): Promise<PendingTx | null>;
  /** Gas estimate of the call from the relayer's address; throws the classified error of a failing call. */
  simulate(intent: { to: string; data: string; value?: bigint }): Promise<bigint>;
}
