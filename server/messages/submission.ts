/** A signed message that passed envelope, timestamp and signature checks, ready for its handler. */
import type { Queryable } from '../../core/db/transaction.js';
import { isUniqueViolation } from '../../core/db/transaction.js';
import { ConflictError } from '../../core/errors.js';
import type { GovernanceType, MessageByType, PrimaryType } from '../eip712/types.js';

export interface Submission<P extends GovernanceType = GovernanceType> {
  primaryType: P;
  message: MessageByType[P];
  /** Lowercase signer address (= message.from). */
  from: string;
  /** EIP-712 digest: the message id. */
  id: string;
  signature: string;
  /** The request body exactly as received. */
  envelope: unknown;
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

/** Appends the message to the signed-message log; a second message with the same digest is a replay. */
export async function recordMessage(
  db: Queryable,
  submission: Submission,
  refs: { spaceId: string; proposalId?: string | null },
): Promise<void> {
  try {
    await db.query(
      `INSERT INTO signed_messages (id, type, "from", space_id, proposal_id, timestamp, envelope, signature, sig_kind, sig_block, receipt, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        submission.id,
        submission.primaryType,
        submission.from,
        refs.spaceId,
        refs.proposalId ?? null,
        String(submission.message.timestamp),
        JSON.stringify(submission.envelope),
        submission.signature,
        submission.sigKind,
        submission.sigBlock === null ? null : submission.sigBlock.toString(),
        submission.receipt,
        submission.receivedAt,
      ],
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateError(submission.id, error);
    throw error;
  }
}

export function duplicateError(id: string, cause?: unknown): ConflictError {
  return new ConflictError('DUPLICATE', `message ${id} was already received`, { details: { id }, cause });
}
