/**
 * Delegate and Undelegate messages. Each applies to one signer and one scope (a space, or "" for
 * every space); a newer signed timestamp replaces the older message, an older or equal one is
 * STALE_MESSAGE. The message and its delegations row are written in one transaction, so nothing is
 * stored for a refusal. Which delegations count for a proposal is decided at its snapshot
 * (delegated-power.ts), not here.
 */
import type pg from 'pg';
import { withTransaction, type Queryable } from '../../core/db/transaction.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { findSpaceSettings } from '../../core/db/spaces.js';
import { delegationEnabled, SPACE_ID_PATTERN } from '../../core/spaces/settings.js';
import { insertDelegation, latestDelegation, type DelegationRow } from '../../core/db/delegations.js';
import { lockDelegations, lockDelegationScope } from '../../core/db/locks.js';
import { snapshotResolvedSince } from '../../core/db/delegation-shares.js';
import { recordMessage, type Submission } from '../messages/submission.js';
import type { MessageHandler } from '../messages/registry.js';
import { checkDelegateMessage } from './delegation-rules.js';

const spaceIdPattern = new RegExp(SPACE_ID_PATTERN);

/** A space-scoped message needs an existing space with delegation on (an undelegation only an existing space). */
async function checkScope(db: Queryable, spaceId: string, requireEnabled: boolean): Promise<void> {
  if (spaceId === '') return;
  if (!spaceIdPattern.test(spaceId)) throw new NotFoundError('SPACE_NOT_FOUND', `space ${spaceId} does not exist`, { details: { path: '/message/space' } });
  const settings = await findSpaceSettings(db, spaceId);
  if (!settings) throw new NotFoundError('SPACE_NOT_FOUND', `space ${spaceId} does not exist`, { details: { path: '/message/space' } });
  if (requireEnabled && !delegationEnabled(settings)) {
    throw new ConflictError('DELEGATION_OFF', `space ${spaceId} does not count off-chain delegation (its settings say delegation: "off")`, {
      details: { path: '/message/space' },
    });
  }
}

/**
 * Takes the write locks (core/db/locks.ts) and refuses a message that a proposal created after it
 * arrived has already been resolved without: it would otherwise change that proposal's power after
 * the fact. Posting the same signed message again gives it a new arrival time, and it is accepted.
 */
async function lockScope(db: Queryable, submission: Submission<'Delegate' | 'Undelegate'>): Promise<void> {
  const { from, message } = submission;
  await lockDelegations(db, 'shared');
  await lockDelegationScope(db, from, message.space);
  if (await snapshotResolvedSince(db, message.space, submission.receivedAt)) {
    throw new ConflictError('DELEGATION_RACE', 'a proposal was created while this message was in flight; post it again', {
      retryable: true,
      details: { path: '/message' },
    });
  }
}

function assertNewer(latest: DelegationRow | null, timestamp: number): void {
  if (latest && BigInt(timestamp) <= latest.timestamp) {
    throw new ConflictError('STALE_MESSAGE', 'a delegation message of this signer and scope with the same or a newer timestamp was already applied', {
      details: { path: '/message/timestamp', latest: latest.timestamp.toString() },
    });
  }
}

export async function handleDelegate(submission: Submission<'Delegate'>, pool: pg.Pool): Promise<void> {
  const { message, from } = submission;
  const delegates = checkDelegateMessage(message, from, submission.receivedAt);
  await withTransaction(pool, async (client) => {
    await checkScope(client, message.space, true);
    await lockScope(client, submission);
    assertNewer(await latestDelegation(client, from, message.space), message.timestamp);
    await recordMessage(client, submission, { spaceId: message.space });
    await insertDelegation(client, {
      messageId: submission.id,
      delegator: from,
      spaceId: message.space,
      kind: 'delegate',
      delegates,
      expiry: message.expiry === 0 ? null : BigInt(message.expiry),
      timestamp: BigInt(message.timestamp),
      receivedAt: submission.receivedAt,
    });
  });
}

export async function handleUndelegate(submission: Submission<'Undelegate'>, pool: pg.Pool): Promise<void> {
  const { message, from } = submission;
  await withTransaction(pool, async (client) => {
    await checkScope(client, message.space, false);
    await lockScope(client, submission);
    const latest = await latestDelegation(client, from, message.space);
    if (!latest || latest.kind === 'undelegate') {
      throw new ConflictError('NOT_DELEGATED', `${from} has no delegation ${message.space === '' ? 'in every space' : `in space ${message.space}`} to end`, {
        details: { path: '/message/space' },
      });
    }
    assertNewer(latest, message.timestamp);
    await recordMessage(client, submission, { spaceId: message.space });
    await insertDelegation(client, {
      messageId: submission.id,
      delegator: from,
      spaceId: message.space,
      kind: 'undelegate',
      delegates: [],
      expiry: null,
      timestamp: BigInt(message.timestamp),
      receivedAt: submission.receivedAt,
    });
  });
}

/** The Delegate entry of the message registry. */
export function createDelegateHandler(pool: pg.Pool): MessageHandler<'Delegate', void> {
  return {
    type: 'Delegate',
    parse: (submission) => void checkDelegateMessage(submission.message, submission.from, submission.receivedAt),
    handle: (submission) => handleDelegate(submission, pool),
  };
}

/** The Undelegate entry of the message registry. */
export function createUndelegateHandler(pool: pg.Pool): MessageHandler<'Undelegate', void> {
  return { type: 'Undelegate', handle: (submission) => handleUndelegate(submission, pool) };
}
