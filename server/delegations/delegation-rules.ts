/**
 * The checks of a Delegate message that need nothing but the message (shares, list, expiry), with
 * one code per problem, and the documented limits. Shared by the handler and the API docs.
 */
import { InvalidInputError } from '../../core/errors.js';
import type { DelegateMessage } from '../eip712/types.js';
import type { DelegateShare } from '../../core/db/delegations.js';

/** Delegates one Delegate message may name. */
export const MAX_DELEGATES = 20;
/** 100 %, in basis points. */
export const FULL_BPS = 10_000;

function refuse(code: string, message: string, path: string, details: Record<string, unknown> = {}): InvalidInputError {
  return new InvalidInputError(code, message, { details: { path, ...details } });
}

/** The message's delegates with their shares, checked; throws the first problem found. */
export function checkDelegateMessage(message: DelegateMessage, signer: string, now: Date): DelegateShare[] {
  const { delegates, shares } = message;
  if (delegates.length === 0)
    throw refuse('NO_DELEGATES', 'delegates must name at least one address (to end a delegation, sign Undelegate)', '/message/delegates');
  if (delegates.length > MAX_DELEGATES) {
    throw refuse('TOO_MANY_DELEGATES', `delegates names at most ${MAX_DELEGATES} addresses (got ${delegates.length})`, '/message/delegates', {
      limit: MAX_DELEGATES,
    });
  }
  if (shares.length !== delegates.length) {
    throw refuse('SHARES_MISMATCH', `shares must have one entry per delegate (${delegates.length}), got ${shares.length}`, '/message/shares');
  }
  const seen = new Set<string>();
  let total = 0;
  const result: DelegateShare[] = [];
  for (let i = 0; i < delegates.length; i++) {
    const address = delegates[i]!.toLowerCase();
    const bps = shares[i]!;
    if (address === signer) throw refuse('SELF_DELEGATION', 'a signer cannot delegate to themselves', `/message/delegates/${i}`);
    if (seen.has(address)) throw refuse('DUPLICATE_DELEGATE', `delegate ${address} is listed twice`, `/message/delegates/${i}`);
    if (bps < 1 || bps > FULL_BPS) throw refuse('INVALID_SHARE', `shares[${i}] must be 1 to ${FULL_BPS} basis points (got ${bps})`, `/message/shares/${i}`);
    seen.add(address);
    total += bps;
    result.push({ address, bps });
  }
  if (total > FULL_BPS) {
    throw refuse('SHARES_OVER_LIMIT', `shares sum to ${total} basis points; at most ${FULL_BPS} (100 %)`, '/message/shares', { total, limit: FULL_BPS });
  }
  if (message.expiry !== 0 && message.expiry <= Math.floor(now.getTime() / 1000)) {
    throw refuse('EXPIRY_IN_PAST', `expiry ${message.expiry} is not in the future (0 means no expiry)`, '/message/expiry');
  }
  return result;
}
