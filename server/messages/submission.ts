/** A signed message that passed envelope, timestamp and signature checks, ready for its handler. */
import type { Queryable } from '../../core/db/transaction.js';
import { isUniqueViolation } from '../../core/db/transaction.js';
import { ConflictError } from '../../core/errors.js';
import { insertSignedMessage } from '../../core/db/signed-messages.js';
import type { GovernanceType, MessageByType, PrimaryType } from '../eip712/types.js';

export interface Submission<P extends GovernanceType = GovernanceType> {
  primaryType: P;
  message: MessageByType[P];
  /** Lowercase signer address (= message.from). */
  from: string;
  /** EIP-712 digest: the message id. */
  id: string;
  signature: string;
  /** The request body as received and as it is stored and published (a Subscribe's private `email` field removed). */
  envelope: unknown;
  /** The envelope's unsigned top-level fields (`payload`, `email`) as received. */
  unsigned: Record<string, unknown>;
  receivedAt: Date;
  sigKind: 'eoa' | 'eip1271' | 'eip6492';
  sigBlock: bigint | null;
  receipt: string;
}

export interface Receipt {
  id: string;
  type: PrimaryType;
  receipt: string;
  receivedAt: string;
}

/** Appends the message to the signed-message log (core/db/signed-messages.ts); a second message with the same digest is a replay. */
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
      receipt: submission.receipt,
      receivedAt: submission.receivedAt,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateError(submission.id, error);
    throw error;
  }
}

export function duplicateError(id: string, cause?: unknown): ConflictError {
  return new ConflictError('DUPLICATE', `message ${id} was already received`, { details: { id }, cause });
}
