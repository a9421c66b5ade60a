/** A signed message that passed envelope, timestamp and signature checks, ready for its handler. */
import type { Queryable } from '../../core/db/transaction.js';
import { isUniqueViolation } from '../../core/db/transaction.js';
import { ConflictError } from '../../core/errors.js';
import { insertSignedMessage } from '../../core/db/signed-messages.js';
import { appendToLog, type LogReceipt } from '../../core/log/append.js';
import type { DigestSigner } from '../../core/log/digests.js';
import type { GovernanceType, MessageByType, PrimaryType } from '../eip712/types.js';
import { hexToBytes } from '../eip712/digest.js';
import { keccak256 } from '../eip712/keccak.js';

export interface Submission<P extends GovernanceType = GovernanceType> {
  primaryType: P;
  message: MessageByType[P];
  /** Lowercase signer address (= message.from). */
  from: string;
  /** EIP-712 digest: the message id. */
  id: string;
  signature: string;
  /**
   * The request body as it is stored (a Subscribe's private `email` field removed): its domain and
   * types named by envelope part ids (core/db/envelope-parts.ts), which readers put back.
   */
  envelope: unknown;
  /** The envelope's unsigned top-level fields (`payload`, `email`) as received. */
  unsigned: Record<string, unknown>;
  receivedAt: Date;
  sigKind: 'eoa' | 'eip1271' | 'eip6492';
  sigBlock: bigint | null;
  /** Signs the log's tree head of the transaction that appends this message (the receipt key). */
  signDigest: DigestSigner;
  /** The message's place in the log, set in its handler's transaction; returned in the receipt after COMMIT. */
  logReceipt?: LogReceipt;
}

/** What a committed message is acknowledged with: its receipt is its place in the log. */
export interface Receipt {
  id: string;
  type: PrimaryType;
  receivedAt: string;
  receipt: LogReceipt;
}

/** keccak256 of the signature bytes: the part of the log's leaf that commits to the signature. */
export function signatureHashOf(signature: string): Uint8Array {
  const bytes = hexToBytes(signature);
  if (!bytes) throw new Error(`signature is not hex: ${signature.slice(0, 20)}`);
  return keccak256(bytes);
}

/**
 * Stores the message in signed_messages (core/db/signed-messages.ts; a second message with the same
 * digest is a replay) and appends it to the verifiable log (core/log/append.ts), which takes the
 * log's lock until COMMIT: call it after the handler's checks and locks, and take no lock after it.
 */
export async function recordMessage(db: Queryable, submission: Submission, refs: { spaceId: string; proposalId?: string | null }): Promise<void> {
  try {
    await insertSignedMessage(db, {
      id: submission.id,
      type: submission.primaryType,
      from: submission.from,
      spaceId: refs.spaceId,
      proposalId: refs.proposalId ?? null,
      timestamp: BigInt(submission.message.timestamp),
      envelope: submission.envelope,
      signature: submission.signature,
      sigKind: submission.sigKind,
      sigBlock: submission.sigBlock,
      receivedAt: submission.receivedAt,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateError(submission.id, error);
    throw error;
  }
  const [logReceipt] = await appendToLog(
    db,
    [{ messageId: submission.id, signatureHash: signatureHashOf(submission.signature), receivedAt: submission.receivedAt }],
    submission.signDigest,
  );
  submission.logReceipt = logReceipt!;
}

export function duplicateError(id: string, cause?: unknown): ConflictError {
  return new ConflictError('DUPLICATE', `message ${id} was already received`, { details: { id }, cause });
}
